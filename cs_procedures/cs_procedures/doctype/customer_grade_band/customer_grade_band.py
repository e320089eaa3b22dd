from frappe.model.document import Document


class CustomerGradeBand(Document):
	pass
