"""One customer's answer to a survey campaign, on the portal or taken by phone (001 4.5-4.7)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from cs_procedures.procedures import satisfaction as rules


class SatisfactionSurveyResponse(Document):
	def before_insert(self):
		if not self.answers:  # entered by staff, e.g. a phone survey of a customer not invited by e-mail
			template = frappe.db.get_value("Satisfaction Survey Campaign", self.campaign, "template")
			for item in frappe.get_doc("Satisfaction Survey Template", template).items:
				self.append(
					"answers",
					{f: item.get(f) for f in ("category", "question", "question_zh", "max_score")},
				)

	def validate(self):
		if frappe.db.get_value("Satisfaction Survey Campaign", self.campaign, "status") == "Closed":
			before = self.get_doc_before_save()
			if before and before.answers_signature() != self.answers_signature():
				frappe.throw(
					_("The campaign is closed: its answers can no longer change."), title=_("Campaign Closed")
				)
		if (
			any(row.score is not None and row.score != "" for row in self.answers)
			or self.status == "Answered"
		):
			self.record_answers()

	def answers_signature(self):
		return [(row.question, row.score) for row in self.answers]

	def record_answers(self):
		"""Check every answer and score the survey."""
		for row in self.answers:
			if rules.check_answer(flt(row.score), flt(row.max_score)):
				frappe.throw(
					_("Question {0}: the score must be between 0 and {1}.").format(row.idx, row.max_score),
					title=_("Invalid Score"),
				)
		self.score = rules.survey_score(
			rules.Answer(r.question, r.category, flt(r.score), flt(r.max_score)) for r in self.answers
		)
		if self.status != "Answered":
			self.status = "Answered"
			self.answered_on = now_datetime()
