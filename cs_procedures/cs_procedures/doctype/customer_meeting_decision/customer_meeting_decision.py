from frappe.model.document import Document


class CustomerMeetingDecision(Document):
	pass
