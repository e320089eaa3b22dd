"""Customer portal: answer a satisfaction survey by personal link or as a logged-in customer.

Only the customer answers here: whoever holds the personal link, or a portal user of the customer
(a Website User in the Customer's Portal Users). Staff record answers in the desk, under their name.
"""

import json

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.sessions import get_csrf_token
from frappe.utils import cint, get_datetime, now_datetime

from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	LEVELS,  # the five answers offered for each question (share of the maximum, label)
	find_by_token,
)
from cs_procedures.portal import check_csrf_token, portal_customers
from cs_procedures.procedures import satisfaction as rules

no_cache = 1
DOCTYPE = "Satisfaction Survey Response"


def get_context(context):
	context.no_cache = 1
	context.show_sidebar = False
	context.title = _("Customer Satisfaction Survey")
	token, name = frappe.form_dict.get("token"), frappe.form_dict.get("name")
	token, name = (value if isinstance(value, str) else None for value in (token, name))
	if frappe.session.user != "Guest":
		get_csrf_token()  # the page carries it; the answers are posted with it
	if not token and frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/survey"
		raise frappe.Redirect(302)  # temporary: browsers must not cache it
	return survey_context(context, token, name)


@frappe.read_only()  # on a site with a read replica, the page reads from it (the answers go to the primary)
def survey_context(context, token: str | None, name: str | None):
	if not token and not name:
		context.state = "list"
		context.surveys = open_surveys_of_user()
		return context
	response = find_response(token, name)
	context.state = "invalid" if response is None else (unusable_reason(response) or "open")
	if context.state == "open":
		context.response = response
		context.campaign = frappe.get_cached_doc("Satisfaction Survey Campaign", response.campaign)
		context.chinese = (frappe.local.lang or "").startswith("zh")
		introduction, introduction_zh = frappe.db.get_value(
			"Satisfaction Survey Template", context.campaign.template, ["introduction", "introduction_zh"]
		)
		context.introduction = (introduction_zh if context.chinese else None) or introduction
		context.levels = [(share, _(label)) for share, label in LEVELS]
		context.token = token or ""
	return context


def open_surveys_of_user():
	customers = portal_customers()
	if not customers:
		return []
	return frappe.get_all(
		DOCTYPE,
		filters={
			"customer": ("in", customers),
			"status": "Invited",
			"token_expires_on": (">=", now_datetime()),
		},
		fields=["name", "campaign", "customer_name", "token_expires_on"],
		ignore_permissions=True,
	)


def find_response(token: str | None, name: str | None):
	"""The response a personal token opens, or the logged-in customer's own response; never another's."""
	if token:
		name = find_by_token(token)
	elif name and frappe.db.get_value(DOCTYPE, name, "customer") not in portal_customers():
		name = None
	return frappe.get_doc(DOCTYPE, name) if name else None


def unusable_reason(response) -> str | None:
	campaign_open = (
		frappe.db.get_value("Satisfaction Survey Campaign", response.campaign, "status") == rules.SENT
	)
	reason = rules.token_usable(
		get_datetime(response.token_expires_on) if response.token_expires_on else None,
		response.status == "Answered",
		now_datetime(),
	)
	return reason or (None if campaign_open else "expired")


def text_argument(value, label: str) -> str | None:
	if value is None or isinstance(value, str):
		return value
	frappe.throw(_("{0} must be text.").format(label), title=_("Invalid Request"))


def scores_argument(answers) -> dict:
	"""The answers as sent: question number -> score (the response checks the scores)."""
	if isinstance(answers, str):
		try:
			answers = json.loads(answers)
		except ValueError:
			answers = None
	if not isinstance(answers, dict):
		frappe.throw(_("The answers must give a score for each question number."), title=_("Invalid Request"))
	return answers


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=30, seconds=60 * 60)
def submit(answers=None, token=None, name=None, respondent=None, comments=None):
	"""Hand the customer's answers to the response, which checks and scores them."""
	check_csrf_token()
	token = text_argument(token, _("The survey link"))
	name = text_argument(name, _("The survey"))
	respondent = text_argument(respondent, _("Your name and position"))
	comments = text_argument(comments, _("Comments and Suggestions"))
	answers = scores_argument(answers)
	response = find_response(token, name)
	if response is None:
		frappe.throw(_("This survey link is not valid."), frappe.PermissionError, title=_("Invalid Link"))
	reason = unusable_reason(response)
	if reason == "answered":
		frappe.throw(_("This survey has already been answered. Thank you!"), title=_("Already Answered"))
	if reason:
		frappe.throw(_("This survey is closed."), title=_("Survey Closed"))
	questions = {str(row.idx) for row in response.answers}
	unknown = sorted(set(map(str, answers)) - questions)
	if unknown:
		frappe.throw(_("The survey has no question {0}.").format(unknown[0][:10]), title=_("Invalid Request"))
	for row in response.answers:
		row.score = answers.get(str(row.idx))
	response.update(
		{"channel": "Portal", "respondent": (respondent or "")[:140], "comments": (comments or "")[:2000]}
	)
	response.flags.via_portal = True  # the customer answers: every question, channel Portal
	response.flags.ignore_permissions = True  # the link or the portal user was checked above
	response.save()
	return {"status": response.status, "answered": cint(response.status == "Answered")}
