import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

FULL_MARKS = 100


class SatisfactionSurveyTemplate(Document):
	def validate(self):
		total = sum(flt(item.max_score) for item in self.items)
		if abs(total - FULL_MARKS) > 0.001:
			frappe.throw(
				_("The maximum scores of the questions add up to {0}; they must add up to {1}.").format(
					total, FULL_MARKS
				),
				title=_("Invalid Questionnaire"),
			)
		if self.is_default:
			frappe.db.set_value(
				"Satisfaction Survey Template", {"is_default": 1, "name": ("!=", self.name)}, "is_default", 0
			)
