"""The complaint procedure's scheduled job (hooks.py `scheduler_events`): the deadline sweep.
Safe to run any number of times."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from cs_procedures import jobs, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.customer_complaint.workflow import named_departments
from cs_procedures.notifications import assign, notify
from cs_procedures.procedures import complaint as rules


def sweep_overdue_complaints(now=None) -> int:
	"""Notify, then escalate, complaints whose current deadline has passed.

	Only complaints whose `next_sweep_at` has come are read (an indexed column
	that is empty for closed complaints and for those already escalated), so the
	sweep does not grow with the archive. Returns how many complaints it acted on.
	"""
	now = now or now_datetime()
	complaint = frappe.qb.DocType("Customer Complaint")
	# the query builder keeps the plain range condition on the index (get_all would wrap it in ifnull)
	due = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where((complaint.next_sweep_at <= now) & (complaint.docstatus == 0))
		.orderby(complaint.next_sweep_at)
		.run(as_dict=True)
	)
	if not due:
		return 0
	settings = get_settings()
	calendar = settings.calendar()
	acted = jobs.each(
		[row.name for row in due],
		lambda name: _sweep_one(name, now, settings, calendar),
		doctype="Customer Complaint",
		title=_("Overdue complaint sweep failed"),
	)
	return sum(acted)


def _sweep_one(name: str, now, settings, calendar) -> bool:
	"""One complaint, read again under a row lock: an overlapping run finds it already handled."""
	if not frappe.db.exists("Customer Complaint", name):
		return False  # deleted since the query
	doc = frappe.get_doc("Customer Complaint", name, for_update=True)
	if doc.docstatus != 0 or not doc.next_sweep_at or get_datetime(doc.next_sweep_at) > now:
		return False
	step = rules.sweep_step(
		doc.breach_level, get_datetime(doc.next_deadline), now, settings.escalate_after_hours, calendar
	)
	if step.action == "notify":
		_notify_overdue(doc)
	elif step.action == "escalate":
		_escalate(doc)
	doc.db_set(
		{
			"breach_level": step.level,
			"next_sweep_at": step.next_check,
			"is_overdue": 1 if step.level else 0,
			"escalated_to_vp": 1 if step.action == "escalate" else doc.escalated_to_vp,
			# 督促记录 (002 ch6 §12): how often the complaint's late stages were chased
			"reminders_sent": (doc.reminders_sent or 0) + (1 if step.action else 0),
		},
		update_modified=False,
	)
	return bool(step.action)


def _notify_overdue(doc) -> None:
	stage = _(doc.deadline_stage)
	message = _("Complaint {0} ({1}) is overdue: the {2} deadline was {3}.").format(
		doc.name, doc.customer_name or doc.customer, stage, frappe.format(doc.next_deadline, "Datetime")
	)
	heads = [head for department in named_departments(doc) for head in people.department_heads(department)]
	users = {doc.follower, *heads} - {None}
	notify(users, message, doc)
	doc.add_comment("Info", message)


def _escalate(doc) -> None:
	message = _(
		"Complaint {0} ({1}) is still overdue at the {2} stage and is escalated to the vice president."
	).format(doc.name, doc.customer_name or doc.customer, _(doc.deadline_stage))
	notify({doc.follower}, message, doc)
	assign(doc, people.vice_presidents(), message)  # the assignment notifies the vice president
	doc.add_comment("Info", message)
