import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures import guards
from cs_procedures.procedures import satisfaction as rules

FULL_MARKS = 100


class SatisfactionSurveyTemplate(guards.ProcedureDocument):
	def validate(self):
		total = sum(flt(item.max_score) for item in self.items)
		if abs(total - FULL_MARKS) > 0.001:
			frappe.throw(
				_("The maximum scores of the questions add up to {0}; they must add up to {1}.").format(
					total, FULL_MARKS
				),
				title=_("Invalid Questionnaire"),
			)
		before = self.get_doc_before_save()
		if (
			before
			and questions(before) != questions(self)
			and frappe.db.exists(
				"Satisfaction Survey Campaign", {"template": self.name, "status": ("!=", rules.DRAFT)}
			)
		):
			frappe.throw(
				_(
					"Surveys have been sent with this questionnaire: its questions can no longer change. Copy it to make a new questionnaire."
				),
				title=_("Questionnaire in Use"),
			)
		if self.is_default:
			frappe.db.set_value(
				"Satisfaction Survey Template", {"is_default": 1, "name": ("!=", self.name)}, "is_default", 0
			)


def questions(template) -> list[tuple]:
	"""The questions as the survey responses copy them (see Satisfaction Survey Response)."""
	return [
		(item.category or "", item.question or "", item.question_zh or "", flt(item.max_score))
		for item in sorted(template.items, key=lambda item: item.idx)
	]
