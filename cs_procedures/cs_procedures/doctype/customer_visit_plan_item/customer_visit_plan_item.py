from frappe.model.document import Document


class CustomerVisitPlanItem(Document):
	pass
