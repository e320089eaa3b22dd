"""A reminder that a customer is overdue for a visit, written by the daily job only."""

from frappe import _

from cs_procedures import guards


class CustomerVisitReminder(guards.ProcedureDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		customer: DF.Link | None
		customer_name: DF.Data | None
		due_date: DF.Date | None
		grade: DF.Data | None
		interval_days: DF.Int
		last_visit: DF.Date | None
		reminded_users: DF.SmallText | None
		reminder_key: DF.Data | None
		status: DF.Literal["Open", "Visited"]
		visit: DF.Link | None

	# end: auto-generated types
	STATUS_MAP = (("Open", None), ("Visited", lambda doc: bool(doc.visit)))

	def on_trash(self):
		guards.refuse_deletion(self, _("the reminders show which visits were late."))
