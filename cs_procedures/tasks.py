"""Scheduled jobs (registered in hooks.py). Each is safe to run any number of times."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, getdate, now_datetime

from cs_procedures import jobs, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.notifications import assign, can_email, notify
from cs_procedures.procedures import complaint as rules
from cs_procedures.procedures import satisfaction
from cs_procedures.workflows.complaint import named_departments


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


def create_scheduled_campaigns(today=None) -> list[str]:
	"""Create and send the automatic campaigns of CS Settings, once per schedule and period."""
	today = getdate(today)
	created = jobs.each(
		get_settings().survey_schedules,
		lambda row: _create_scheduled_campaign(row, today),
		doctype="Satisfaction Survey Campaign",
		title=_("Scheduled satisfaction survey failed"),
	)
	return [name for name in created if name]


def _create_scheduled_campaign(row, today) -> str | None:
	period = satisfaction.scheduled_period(row.frequency, today)
	if not period:
		return None
	key = "|".join(
		(row.frequency, row.audience, row.customer_group or "", row.territory or "", str(period[0]))
	)
	if frappe.db.exists("Satisfaction Survey Campaign", {"schedule_key": key}):
		return None
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
	return campaign.name


def remind_survey_non_responders(today=None) -> int:
	"""E-mail the next reminder step to invited customers who have not answered; never twice a step."""
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.satisfaction_survey_campaign import (
		send_survey_mail,
	)

	today = getdate(today)
	steps = [cint(step) for step in (get_settings().survey_reminder_days or "").split(",") if cint(step) > 0]
	if not steps or not can_email():
		return 0  # without an outgoing account the reminders wait; the chase list is the telephone
	pending = frappe.db.sql(
		"""select r.name, r.reminders_sent, c.send_date, c.reply_by
		from `tabSatisfaction Survey Response` r
		join `tabSatisfaction Survey Campaign` c on c.name = r.campaign
		where c.status = 'Sent' and r.status = 'Invited' and ifnull(r.email, '') != ''
		and r.reminders_sent < %(steps)s""",
		{"steps": len(steps)},
		as_dict=True,
	)
	due = [
		row
		for row in pending
		if satisfaction.reminder_due(
			getdate(row.send_date), getdate(row.reply_by), row.reminders_sent, today, steps
		)
	]
	return len(
		jobs.each(
			due,
			lambda row: _remind(row, send_survey_mail),
			doctype="Satisfaction Survey Response",
			title=_("Survey reminder failed"),
		)
	)


def _remind(row, send_survey_mail) -> None:
	response = frappe.get_doc("Satisfaction Survey Response", row.name, for_update=True)
	if response.status != "Invited" or response.reminders_sent != row.reminders_sent:
		return  # answered, or reminded by an overlapping run
	send_survey_mail(response, reminder=True)
	response.db_set("reminders_sent", row.reminders_sent + 1, update_modified=False)


def close_due_campaigns(today=None) -> list[str]:
	"""Close the campaigns whose reply-by date has passed."""
	due = frappe.get_all(
		"Satisfaction Survey Campaign",
		filters={"status": "Sent", "reply_by": ("<", getdate(today))},
		pluck="name",
	)
	return jobs.each(
		due,
		_close_campaign,
		doctype="Satisfaction Survey Campaign",
		title=_("Closing a satisfaction survey failed"),
	)


def _close_campaign(name: str) -> str:
	frappe.get_doc("Satisfaction Survey Campaign", name).close()
	return name
