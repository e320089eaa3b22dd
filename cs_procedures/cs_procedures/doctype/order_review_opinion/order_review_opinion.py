from cs_procedures import guards


class OrderReviewOpinion(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aspect: DF.Data | None
		comments: DF.SmallText | None
		conclusion: DF.Literal["Pending", "Feasible", "Feasible with Conditions", "Not Feasible"]
		department: DF.Link | None
		function: DF.Literal["Engineering", "Quality", "Materials", "Sales"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reviewed_by: DF.Link | None
		reviewed_on: DF.Datetime | None
	# end: auto-generated types
	pass
