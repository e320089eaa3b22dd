from cs_procedures import guards


class CustomerVisitLiaisonDepartment(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		acknowledged_by: DF.Link | None
		acknowledged_on: DF.Datetime | None
		attend_on: DF.Datetime | None
		attendees: DF.Data | None
		department: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		preparation: DF.SmallText | None
		prepare_by: DF.Datetime | None
	# end: auto-generated types
	pass
