"""The customer's answer to a complaint's reply (002 ch6 §17): given on the portal, or by phone and
recorded by CS staff. A "No" reopens the complaint for renegotiation."""

import frappe
from frappe import _
from frappe.utils import cint, escape_html, now_datetime

from cs_procedures import people
from cs_procedures.notifications import assign, notify
from cs_procedures.portal import as_datetime
from cs_procedures.procedures import complaint as complaint_rules
from cs_procedures.procedures import portal as rules

COMPLAINT = "Customer Complaint"

FEEDBACK_PROBLEMS = {
	"choice": lambda: _("Say whether the reply satisfies you."),
	"reason": lambda: _("Tell us why the reply does not satisfy you."),
	"length": lambda: _("Your reason is too long: at most {0} characters.").format(rules.FEEDBACK_LENGTH),
}


def apply_customer_answer(name: str, satisfied, feedback: str | None, recorded_for: str | None = None):
	"""Record the customer's answer on the stored complaint (locked), only while it stands at
	Replied and once per reply; a "No" reopens it (workflow action Reopen) and is counted.

	`recorded_for` names the customer when CS staff record an answer given by phone; otherwise the
	portal user answers for themselves."""
	doc = frappe.get_doc(COMPLAINT, name, for_update=True)
	if not rules.may_answer(
		doc.workflow_state, as_datetime(doc.replied_on), as_datetime(doc.customer_feedback_on)
	):
		frappe.throw(
			_("Complaint {0} is not waiting for the customer's answer to a reply.").format(doc.name),
			title=_("Not Waiting for an Answer"),
		)
	problem = rules.feedback_problem(satisfied, feedback)
	if problem:
		frappe.throw(FEEDBACK_PROBLEMS[problem](), title=_("Missing Information"))
	user = frappe.session.user
	doc.customer_satisfied = satisfied
	doc.customer_feedback = (feedback or "").strip() or None
	doc.customer_feedback_on = now_datetime().replace(microsecond=0)
	doc.customer_feedback_by = user
	reopened = satisfied == rules.NOT_SATISFIED
	if reopened:
		doc.reopen_count = cint(doc.reopen_count) + 1
		doc.workflow_state = rules.reopen_state(doc.responsible_department)
	doc.flags.customer_answer = True  # the controller lets this one move leave Replied (Reopen)
	# the answer fields are the procedure's (permlevel 1) and a portal user has no desk permission:
	# the procedure writes them for the customer, checked above (own complaint, stored state)
	doc.flags.ignore_permissions = True
	doc.save()
	who = recorded_for or user
	if reopened:
		comment = _(
			"{0} does not accept the reply: {1}. The complaint is reopened for renegotiation."
		).format(who, doc.customer_feedback)
	else:
		comment = _("{0} accepts the reply.").format(who) + (
			f" {doc.customer_feedback}" if doc.customer_feedback else ""
		)
	if recorded_for:
		comment += " " + _("(answer recorded by {0})").format(user)
	doc.add_comment("Comment", escape_html(comment))
	notify_staff(doc, comment, reopened=reopened)
	return doc


def notify_staff(doc, message: str, reopened: bool = False) -> None:
	"""The follower and the CS managers hear of the customer's action; a complaint reopened to
	Received goes on the CS managers' to-do lists to be routed again."""
	managers = people.managers()
	if reopened and doc.workflow_state == complaint_rules.RECEIVED:
		assign(doc, managers, message)
		notify({doc.follower} - set(managers), message, doc)
	else:
		notify({doc.follower, *managers}, message, doc)
