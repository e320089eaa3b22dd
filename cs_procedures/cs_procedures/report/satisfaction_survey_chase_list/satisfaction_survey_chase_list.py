"""The chase list of a survey (003 §5.3.2: 顾客未按调查表要求回交调查表时,应通过FAX、E-mail或电话方式向顾客征求意见):
each invited contact who has not answered, how they are chased (e-mailed reminders, or a phone call
when they have no e-mail or the site cannot send it), the reminders sent and the next one due, and
the phone-call to-do with whom it lies."""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.chase import contact_phones
from cs_procedures.cs_procedures.report.columns import campaign_of, declared, escape_values, response_columns
from cs_procedures.notifications import can_email
from cs_procedures.procedures import satisfaction as rules


def execute(filters=None):
	filters = frappe._dict(filters or {})
	campaign = campaign_of(filters)
	steps = [cint(step) for step in (get_settings().survey_reminder_days or "").split(",") if cint(step) > 0]
	emailing = can_email()
	rows = frappe.get_all(
		"Satisfaction Survey Response",
		filters={"campaign": campaign.name, "status": "Invited"},
		fields=[
			"name",
			"customer",
			"customer_name",
			"contact",
			"email",
			"invitation_sent_on",
			"reminders_sent",
		],
		order_by="customer asc, name asc",
	)
	todos = {}
	for todo in frappe.get_all(
		"ToDo",
		filters={
			"reference_type": "Satisfaction Survey Response",
			"reference_name": ("in", [row.name for row in rows] or [""]),
			"status": ("!=", "Cancelled"),
		},
		fields=["name", "reference_name", "allocated_to", "status"],
		order_by="creation asc",
	):
		todos[todo.reference_name] = todo  # the latest
	phones = contact_phones(row.contact for row in rows)
	for row in rows:
		by_email = bool(row.email) and emailing
		row.chase = _("E-mail reminders") if by_email else _("Phone call")
		row.phone = phones.get(row.contact)
		row.next_reminder = (
			rules.next_reminder_on(
				getdate(campaign.send_date), getdate(campaign.reply_by), cint(row.reminders_sent), steps
			)
			if by_email and campaign.status == rules.SENT
			else None
		)
		todo = todos.get(row.name)
		if todo:
			row.todo, row.todo_allocated_to, row.todo_status = todo.name, todo.allocated_to, _(todo.status)
	escape_values(rows, ("customer_name", "email", "phone", "todo_status"))
	message = None
	if campaign.status == rules.SENT and not emailing:
		message = "<p>{}</p>".format(
			frappe.utils.escape_html(
				_("The site cannot send e-mail: every non-responder is chased by phone.")
			)
		)
	return columns(), rows, message


def columns():
	return [*response_columns(), *declared(__file__)]
