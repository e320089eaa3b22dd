from cs_procedures import guards


class CustomerVisitPlanItem(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact: DF.Link | None
		contact_department: DF.Data | None
		customer: DF.Link
		customer_name: DF.Data | None
		event: DF.Link | None
		key_points: DF.SmallText | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		preparation: DF.SmallText | None
		visit_date: DF.Date
		visit_time: DF.Time | None
	# end: auto-generated types
	pass
