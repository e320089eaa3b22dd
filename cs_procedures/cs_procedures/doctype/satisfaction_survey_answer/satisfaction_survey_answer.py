from frappe.model.document import Document


class SatisfactionSurveyAnswer(Document):
	pass
