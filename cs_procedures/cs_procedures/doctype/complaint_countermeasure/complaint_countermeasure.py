from cs_procedures import guards


class ComplaintCountermeasure(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		completed_on: DF.Date | None
		containment_action: DF.SmallText | None
		department: DF.Link | None
		due_date: DF.Date
		how: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		status: DF.Literal["Open", "Done"]
		what: DF.SmallText
		where: DF.Data | None
		who: DF.Data
		why: DF.SmallText | None
	# end: auto-generated types
	pass
