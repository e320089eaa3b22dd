from frappe.model.document import Document


class SatisfactionSurveyFollowUp(Document):
	pass
