from cs_procedures import guards


class SatisfactionSurveyAnswer(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal["Product Quality", "Delivery", "Service", "Price", "Staff", "Other"]
		comment: DF.Data | None
		max_score: DF.Float
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		question: DF.Data | None
		question_zh: DF.Data | None
		score: DF.Float
	# end: auto-generated types
	pass
