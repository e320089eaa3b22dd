from cs_procedures import guards


class ComplaintSignOff(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		department: DF.Link | None
		function: DF.Literal["Sales", "Production", "Quality", "Finance", "Vice President", "General Manager"]
		opinion: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		signed_by: DF.Link | None
		signed_on: DF.Datetime | None

	# end: auto-generated types
	pass
