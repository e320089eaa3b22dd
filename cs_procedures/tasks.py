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
	savepoint = f"cs_{frappe.generate_hash(length=12)}"
	frappe.db.savepoint(savepoint)
	try:
		campaign = _new_scheduled_campaign(row, today, period, key)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		# an overlapping run (e.g. `bench execute` beside the scheduler) created it first: its
		# insert held the unique key until it committed; this run leaves it to that one
		frappe.db.rollback(save_point=savepoint)
		frappe.clear_last_message()
		return None
	frappe.db.release_savepoint(savepoint)
	# the job runs on the long queue: the invitations are sent here, whatever the audience's size
	campaign = frappe.get_doc(campaign.doctype, campaign.name, for_update=True)
	campaign.invite("Draft")
	return campaign.name


def _new_scheduled_campaign(row, today, period, key):
	return frappe.get_doc(
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


def remind_survey_non_responders(today=None) -> int:
	"""E-mail the next reminder step to invited customers who have not answered; never twice a step.

	The reminders are queued in bulk, a batch at a time (rows locked and read again, the e-mails
	inserted and the step counted in a few statements); a batch that fails is done again one
	response at a time, so that one bad record neither stops the job nor repeats a reminder."""
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import invitations

	today = getdate(today)
	steps = [cint(step) for step in (get_settings().survey_reminder_days or "").split(",") if cint(step) > 0]
	if not steps or not can_email():
		return 0  # without an outgoing account the reminders wait; the chase list is the telephone
	pending = frappe.db.sql(
		"""select r.name, r.reminders_sent, r.campaign, r.email, r.customer, r.customer_name,
			c.send_date, c.reply_by
		from `tabSatisfaction Survey Response` r
		join `tabSatisfaction Survey Campaign` c on c.name = r.campaign
		where c.status = 'Sent' and r.status = 'Invited' and ifnull(r.email, '') != ''
		and r.reminders_sent < %(steps)s
		order by r.campaign, r.name""",
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
	reminded = 0
	for start in range(0, len(due), invitations.BATCH):
		batch = due[start : start + invitations.BATCH]
		savepoint = f"cs_{frappe.generate_hash(length=12)}"
		frappe.db.savepoint(savepoint)
		try:
			reminded += invitations.remind(batch)
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			reminded += sum(
				jobs.each(
					batch,
					lambda row: invitations.remind([row]),
					doctype="Satisfaction Survey Response",
					title=_("Survey reminder failed"),
				)
			)
		else:
			frappe.db.release_savepoint(savepoint)
	return reminded


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
