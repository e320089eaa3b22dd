from frappe.model.document import Document


class ComplaintCountermeasure(Document):
	pass
