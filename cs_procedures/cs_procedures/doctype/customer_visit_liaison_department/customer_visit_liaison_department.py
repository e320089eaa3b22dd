from frappe.model.document import Document


class CustomerVisitLiaisonDepartment(Document):
	pass
