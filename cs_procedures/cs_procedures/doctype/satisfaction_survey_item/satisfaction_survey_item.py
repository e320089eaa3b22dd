from frappe.model.document import Document


class SatisfactionSurveyItem(Document):
	pass
