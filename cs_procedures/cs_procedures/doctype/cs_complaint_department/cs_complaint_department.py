from frappe.model.document import Document


class CSComplaintDepartment(Document):
	pass
