from frappe.model.document import Document


class CSReviewDepartment(Document):
	pass
