from cs_procedures import guards


class SatisfactionSurveySchedule(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		audience: DF.Literal["All Active Customers", "Customer Group", "Territory", "Key Customers"]
		customer_group: DF.Link | None
		frequency: DF.Literal["Half-yearly", "Every December", "Quarterly", "Monthly"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reply_within_days: DF.Int
		template: DF.Link
		territory: DF.Link | None
	# end: auto-generated types
	pass
