"""A reminder that a customer is overdue for a visit, written by the daily job only."""

from frappe import _

from cs_procedures import guards


class CustomerVisitReminder(guards.ProcedureDocument):
	STATUS_MAP = (("Open", None), ("Visited", lambda doc: bool(doc.visit)))

	def on_trash(self):
		guards.refuse_deletion(self, _("the reminders show which visits were late."))
