from frappe.model.document import Document


class SatisfactionSurveySchedule(Document):
	pass
