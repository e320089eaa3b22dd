"""Customer portal: answer a satisfaction survey by personal link or as a logged-in customer."""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, flt, get_datetime, now_datetime

from cs_procedures.procedures import satisfaction as rules

no_cache = 1
DOCTYPE = "Satisfaction Survey Response"

# (share of the maximum, label) offered for each question
LEVELS = (
	(1.0, "Very satisfied"),
	(0.8, "Satisfied"),
	(0.6, "Neutral"),
	(0.4, "Dissatisfied"),
	(0.2, "Very dissatisfied"),
)


def get_context(context):
	context.no_cache = 1
	context.show_sidebar = False
	context.title = _("Customer Satisfaction Survey")
	token, name = frappe.form_dict.get("token"), frappe.form_dict.get("name")
	if not token and frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/survey"
		raise frappe.Redirect(302)  # temporary: browsers must not cache it
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


def portal_customers() -> list[str]:
	from erpnext.controllers.website_list_for_contact import get_customers_suppliers

	customers, _suppliers = get_customers_suppliers(DOCTYPE, frappe.session.user)
	return customers or []


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
		name = frappe.db.get_value(DOCTYPE, {"token": token}, "name") if len(token) >= 32 else None
	elif name and frappe.db.get_value(DOCTYPE, name, "customer") not in portal_customers():
		name = None
	return frappe.get_doc(DOCTYPE, name) if name else None


def unusable_reason(response) -> str | None:
	campaign_open = frappe.db.get_value("Satisfaction Survey Campaign", response.campaign, "status") == "Sent"
	reason = rules.token_usable(
		get_datetime(response.token_expires_on) if response.token_expires_on else None,
		response.status == "Answered",
		now_datetime(),
	)
	return reason or (None if campaign_open else "expired")


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=30, seconds=60 * 60)
def submit(answers, token=None, name=None, respondent=None, comments=None):
	"""Record the customer's answers: every question answered, each score within its range."""
	response = find_response(token, name)
	if response is None:
		frappe.throw(_("This survey link is not valid."), frappe.PermissionError, title=_("Invalid Link"))
	reason = unusable_reason(response)
	if reason == "answered":
		frappe.throw(_("This survey has already been answered. Thank you!"), title=_("Already Answered"))
	if reason:
		frappe.throw(_("This survey is closed."), title=_("Survey Closed"))
	answers = frappe.parse_json(answers) or {}
	for row in response.answers:
		value = answers.get(str(row.idx))
		if value in (None, ""):
			frappe.throw(_("Please answer question {0}.").format(row.idx), title=_("Unanswered Question"))
		try:
			score = float(value)
		except (TypeError, ValueError):
			score = -1
		if rules.check_answer(score, flt(row.max_score)):
			frappe.throw(
				_("Question {0}: the score must be between 0 and {1}.").format(row.idx, row.max_score),
				title=_("Invalid Score"),
			)
		row.score = score
	response.update(
		{"channel": "Portal", "respondent": (respondent or "")[:140], "comments": (comments or "")[:2000]}
	)
	response.flags.ignore_permissions = True
	response.save()
	return {"status": response.status, "answered": cint(response.status == "Answered")}
