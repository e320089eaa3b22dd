from frappe.model.document import Document


class CustomerVisitAction(Document):
	pass
