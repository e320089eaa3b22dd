from cs_procedures import guards


class SatisfactionSurveyFollowUp(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		average_score: DF.Float
		category: DF.Literal["Product Quality", "Delivery", "Service", "Price", "Staff", "Other"]
		customer: DF.Link | None
		department: DF.Link | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		quality_action: DF.Link | None
		question: DF.Data | None
		replied_on: DF.Datetime | None
		resolution_row: DF.Data | None
		status: DF.Literal["Proposed", "Approved"]
	# end: auto-generated types
	pass
