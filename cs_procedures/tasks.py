"""Scheduled jobs (registered in hooks.py). Each is safe to run any number of times."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.utils import get_datetime, now_datetime

from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.procedures import complaint as rules
from cs_procedures.workflows import complaint as workflow


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
		.select(complaint.name, complaint.breach_level, complaint.next_deadline)
		.where((complaint.next_sweep_at <= now) & (complaint.docstatus == 0))
		.orderby(complaint.next_sweep_at)
		.run(as_dict=True)
	)
	if not due:
		return 0
	settings = get_settings()
	calendar = settings.calendar()
	acted = 0
	for row in due:
		step = rules.sweep_step(
			row.breach_level, get_datetime(row.next_deadline), now, settings.escalate_after_hours, calendar
		)
		doc = frappe.get_doc("Customer Complaint", row.name)
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
			},
			update_modified=False,
		)
		acted += bool(step.action)
	return acted


def _notify_overdue(doc) -> None:
	stage = _(doc.deadline_stage)
	message = _("Complaint {0} ({1}) is overdue: the {2} deadline was {3}.").format(
		doc.name, doc.customer_name or doc.customer, stage, frappe.format(doc.next_deadline, "Datetime")
	)
	users = {doc.follower, *workflow.department_heads(doc.responsible_department)} - {None}
	_send(doc, users, message)
	doc.add_comment("Info", message)


def _escalate(doc) -> None:
	message = _(
		"Complaint {0} ({1}) is still overdue at the {2} stage and is escalated to the vice president."
	).format(doc.name, doc.customer_name or doc.customer, _(doc.deadline_stage))
	_send(doc, {doc.follower} - {None}, message)
	workflow.assign(doc, workflow.vice_presidents(), message)  # the assignment notifies the vice president
	doc.add_comment("Info", message)


def _send(doc, users, subject: str) -> None:
	if users:
		enqueue_create_notification(
			sorted(users),
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
				"email_content": subject,
				"from_user": "Administrator",
			},
		)
