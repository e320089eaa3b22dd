from frappe.model.document import Document


class CSVisitInterval(Document):
	pass
