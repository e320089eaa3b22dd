from frappe.model.document import Document


class CustomerVisitExpense(Document):
	pass
