"""The survey procedure's scheduled jobs (hooks.py `scheduler_events`): scheduled campaigns,
reminders to non-responders, closing at the reply-by date. Each is safe to run any number of times."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate

from cs_procedures import jobs
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.notifications import can_email
from cs_procedures.procedures import satisfaction
from cs_procedures.procedures import satisfaction as rules


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
	campaign.invite(rules.DRAFT)
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
		filters={"status": rules.SENT, "reply_by": ("<", getdate(today))},
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
