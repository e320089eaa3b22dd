"""The Customer Complaint workflow in the site: people, stamps and guards.

The state names and required fields are the procedure's rules in
`cs_procedures.procedures.complaint`; this module applies them to documents.
"""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import now_datetime

from cs_procedures.people import assign, changed_rows, department_heads, user_department, vice_presidents
from cs_procedures.procedures import complaint as rules

PRIVILEGED_ROLES = {"System Manager", "CS Manager"}


def check_transition(doc, old_state: str | None, settings) -> None:
	"""Refuse a move whose fields are not filled in, or that the procedure forbids."""
	new_state = doc.workflow_state
	missing = rules.missing_fields(old_state, new_state, doc.as_dict())
	if missing:
		labels = ", ".join(_(doc.meta.get_label(field)) for field in missing)
		frappe.throw(
			_("Fill in {0} before moving the complaint to {1}.").format(labels, _(new_state)),
			title=_("Missing Information"),
		)
	if old_state in (rules.RECEIVED, None) and new_state == rules.REPLIED:
		if not (doc.handled_by_sales_alone and settings.allow_sales_only_handling):
			frappe.throw(
				_("Only a complaint handled by sales alone may be answered without a complaint sheet."),
				title=_("Complaint Sheet Required"),
			)
	if new_state in (rules.VERIFIED, rules.CLOSED):
		statuses = [row.status for row in doc.countermeasures]
		verified = new_state == rules.VERIFIED or bool(doc.verified_by)
		for blocker in rules.closure_blockers(statuses, verified):
			frappe.throw(CLOSURE_MESSAGES[blocker](), title=_("Not Ready to Close"))


CLOSURE_MESSAGES = {
	"open_actions": lambda: _("Every countermeasure must be done first."),
	"unverified": lambda: _("The effect of the countermeasures has not been verified."),
}


def stamp_transition(doc, settings) -> None:
	"""Record who moved the complaint and when; start the next deadline."""
	now, user = now_datetime().replace(microsecond=0), frappe.session.user
	state = doc.workflow_state
	if state == rules.SHEET_ISSUED:
		doc.sheet_issued_on = now
		doc.countermeasure_due_by = rules.countermeasure_due_by(
			now, settings.countermeasure_hours, settings.calendar()
		)
		# a re-issued sheet (after the VP's decision or an ineffective action) needs a new approval
		doc.countermeasure_approved_on = doc.countermeasure_approved_by = None
	elif state == rules.APPROVED:
		doc.countermeasure_approved_on, doc.countermeasure_approved_by = now, user
	elif state == rules.REPLIED:
		doc.replied_on = now
	elif state == rules.VERIFIED:
		doc.verified_on, doc.verified_by = now, user
	elif state in (rules.CLOSED, rules.NOT_ACCEPTED):
		doc.closed_on = now


def check_countermeasure_edit(doc) -> None:
	"""A department edits its own countermeasure rows only.

	The follower (who tracks the actions) and CS managers may edit every row.
	"""
	user = frappe.session.user
	if user == doc.follower or PRIVILEGED_ROLES & set(frappe.get_roles(user)):
		return
	touched = changed_rows(doc, "countermeasures")
	if not touched:
		return
	own = user_department(user)
	for row in touched:
		if row.department != own:
			frappe.throw(
				_("Row {0}: you may only edit the countermeasures of your own department ({1}).").format(
					row.idx, own or _("none")
				),
				frappe.PermissionError,
				title=_("Not Your Department"),
			)


def assign_for_state(doc) -> None:
	"""Put the complaint on the to-do list of whoever must act in its new state."""
	state = doc.workflow_state
	if state in (rules.CLOSED, rules.NOT_ACCEPTED):
		assign_to.close_all_assignments(doc.doctype, doc.name)
		return
	if state == rules.SHEET_ISSUED:
		users = department_heads(doc.responsible_department)
		if not users:
			frappe.msgprint(
				_(
					"No active department head with a user is found for {0}: tell the department yourself."
				).format(doc.responsible_department),
				indicator="orange",
				alert=True,
			)
		message = _("Complaint sheet {0}: fill in the 5W1H countermeasure.").format(doc.name)
	elif state == rules.ESCALATED:
		users, message = (
			vice_presidents(),
			_("Complaint {0} is escalated to you for a decision.").format(doc.name),
		)
	else:
		return
	assign(doc, users, message)
