"""Scheduled jobs (registered in hooks.py). Each is safe to run any number of times."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification
from frappe.utils import add_days, cint, get_datetime, getdate, now_datetime

from cs_procedures import people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.procedures import complaint as rules
from cs_procedures.procedures import satisfaction


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
	users = {doc.follower, *people.department_heads(doc.responsible_department)} - {None}
	_send(doc, users, message)
	doc.add_comment("Info", message)


def _escalate(doc) -> None:
	message = _(
		"Complaint {0} ({1}) is still overdue at the {2} stage and is escalated to the vice president."
	).format(doc.name, doc.customer_name or doc.customer, _(doc.deadline_stage))
	_send(doc, {doc.follower} - {None}, message)
	people.assign(doc, people.vice_presidents(), message)  # the assignment notifies the vice president
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


def create_scheduled_campaigns(today=None) -> list[str]:
	"""Create and send the automatic campaigns of CS Settings, once per schedule and period."""
	today = getdate(today)
	created = []
	for row in get_settings().survey_schedules:
		period = satisfaction.scheduled_period(row.frequency, today)
		if not period:
			continue
		key = "|".join(
			(row.frequency, row.audience, row.customer_group or "", row.territory or "", str(period[0]))
		)
		if frappe.db.exists("Satisfaction Survey Campaign", {"schedule_key": key}):
			continue
		campaign = frappe.get_doc(
			{
				"doctype": "Satisfaction Survey Campaign",
				"title": _("{0} satisfaction survey {1} to {2}").format(
					_(row.frequency), frappe.format(period[0], "Date"), frappe.format(period[1], "Date")
				),
				"template": row.template,
				"period_start": period[0],
				"period_end": period[1],
				"send_date": today,
				"reply_by": add_days(today, row.reply_within_days),
				"audience": row.audience,
				"customer_group": row.customer_group,
				"territory": row.territory,
				"schedule_key": key,
			}
		).insert(ignore_permissions=True)
		campaign.send_invitations()
		created.append(campaign.name)
	return created


def remind_survey_non_responders(today=None) -> int:
	"""E-mail the next reminder step to invited customers who have not answered; never twice a step."""
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.satisfaction_survey_campaign import (
		send_survey_mail,
	)

	today = getdate(today)
	steps = [cint(step) for step in (get_settings().survey_reminder_days or "").split(",") if cint(step) > 0]
	if not steps:
		return 0
	pending = frappe.db.sql(
		"""select r.name, r.reminders_sent, c.send_date, c.reply_by
		from `tabSatisfaction Survey Response` r
		join `tabSatisfaction Survey Campaign` c on c.name = r.campaign
		where c.status = 'Sent' and r.status = 'Invited' and ifnull(r.email, '') != ''
		and r.reminders_sent < %(steps)s""",
		{"steps": len(steps)},
		as_dict=True,
	)
	sent = 0
	for row in pending:
		if satisfaction.reminder_due(
			getdate(row.send_date), getdate(row.reply_by), row.reminders_sent, today, steps
		):
			response = frappe.get_doc("Satisfaction Survey Response", row.name)
			send_survey_mail(response, reminder=True)
			response.db_set("reminders_sent", row.reminders_sent + 1, update_modified=False)
			sent += 1
	return sent


def close_due_campaigns(today=None) -> list[str]:
	"""Close the campaigns whose reply-by date has passed."""
	due = frappe.get_all(
		"Satisfaction Survey Campaign",
		filters={"status": "Sent", "reply_by": ("<", getdate(today))},
		pluck="name",
	)
	for name in due:
		frappe.get_doc("Satisfaction Survey Campaign", name).close()
	return due
