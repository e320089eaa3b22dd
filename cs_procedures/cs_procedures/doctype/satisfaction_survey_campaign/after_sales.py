"""The after-sales satisfaction survey (002 ch5 §8 售后服务评价表, §9 售后服务调查问卷): when a repair is
completed, the customer is asked through the survey procedure itself, a one-customer campaign on the
template named in CS Settings, answered on the portal like any other."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, nowdate

from cs_procedures import people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.satisfaction_survey_campaign import (
	contacts_by_customer,
)
from cs_procedures.notifications import assign, can_email
from cs_procedures.procedures import satisfaction as rules

DEFAULT_REPLY_DAYS = 14


def schedule_key(claim: str) -> str:
	return f"after-sales|{claim}"


def enqueue_after_sales_survey(claim: str):
	"""After the visit's transaction commits, in the background: the visit never waits on it."""
	if not get_settings().after_sales_survey_template:
		return
	frappe.enqueue(
		"cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.after_sales.create_after_sales_survey",
		claim=claim,
		enqueue_after_commit=True,
		job_id=f"cs-after-sales-survey::{claim}",
		deduplicate=True,
	)


def create_after_sales_survey(claim: str) -> str | None:
	"""The campaign asking the customer of a completed repair; once per warranty claim (safe to run
	again). Returns the campaign's name."""
	settings = get_settings()
	if not settings.after_sales_survey_template or not frappe.db.exists("Warranty Claim", claim):
		# no survey asked for, or the claim is gone since the job was queued
		return frappe.db.get_value("Satisfaction Survey Campaign", {"schedule_key": schedule_key(claim)})
	doc = frappe.get_doc("Warranty Claim", claim)
	today = getdate(nowdate())
	follower = None
	if doc.get("cs_customer_complaint"):
		follower = frappe.db.get_value("Customer Complaint", doc.cs_customer_complaint, "follower")
	name = one_customer_survey(
		doc.customer,
		settings.after_sales_survey_template,
		_("After-sales survey: {0} ({1})").format(doc.customer_name or doc.customer, claim),
		schedule_key(claim),
		period_start=min(getdate(doc.complaint_date or today), today),
		reply_by=add_days(today, cint(settings.after_sales_survey_days) or DEFAULT_REPLY_DAYS),
		follower=follower,
		what=_("the after-sales survey"),
	)
	frappe.db.set_value("Warranty Claim", claim, "cs_after_sales_survey", name, update_modified=False)
	return name


def one_customer_survey(
	customer: str,
	template: str,
	title: str,
	key: str,
	period_start,
	reply_by,
	follower: str | None = None,
	what: str | None = None,
	**values,
) -> str:
	"""A campaign asking one customer, through the survey procedure itself (invited at once; its link
	answered on the portal, or its answers taken down by staff), once per `key`: safe to run again.
	Where the customer has an e-mail contact and the site cannot e-mail, the campaign stays a draft and
	the follower (else the CS officers) gets a to-do to send it (nothing waits on e-mail)."""
	existing = frappe.db.get_value("Satisfaction Survey Campaign", {"schedule_key": key})
	if existing:
		return existing
	today = getdate(nowdate())
	campaign = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Campaign",
			"title": title,
			"template": template,
			"period_start": period_start,
			"period_end": today,
			"send_date": today,
			"reply_by": reply_by,
			"audience": "Selected Customers",
			"customers": [{"customer": customer}],
			"follower": follower,
			"schedule_key": key,
			**values,
		}
	).insert(ignore_permissions=True)
	if contacts_by_customer([customer]) and not can_email():
		assign(
			campaign,
			[follower] if follower else people.users_with_role(people.CS_OFFICER),
			_("Send {0} of {1}: the site has no outgoing e-mail.").format(
				what or campaign.title, frappe.db.get_value("Customer", customer, "customer_name") or customer
			),
		)
		return campaign.name
	campaign = frappe.get_doc(campaign.doctype, campaign.name, for_update=True)
	campaign.invite(rules.DRAFT)
	return campaign.name
