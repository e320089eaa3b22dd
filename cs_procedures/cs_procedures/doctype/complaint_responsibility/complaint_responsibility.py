from cs_procedures import guards


class ComplaintResponsibility(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		approved_by: DF.Link | None
		approved_on: DF.Datetime | None
		department: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types
	"""One department named on a complaint sheet, with the approval of its part of the countermeasure."""
