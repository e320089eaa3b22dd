"""The Customer Complaint workflow in the site: people, stamps and guards.

The state names and required fields are the procedure's rules in
`cs_procedures.procedures.complaint`; this module applies them to documents.
"""

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime

from cs_procedures import guards, people
from cs_procedures.notifications import assign, close_assignments
from cs_procedures.people import changed_rows, department_heads, user_department, vice_presidents
from cs_procedures.procedures import complaint as rules

CS_MANAGER = people.CS_MANAGER
VICE_PRESIDENT = people.VICE_PRESIDENT_ROLE
PRIVILEGED_ROLES = ("System Manager", CS_MANAGER)


def named_departments(doc) -> list[str]:
	"""The departments the complaint sheet names, the routed one first (000 III-2.1)."""
	return rules.named_departments(
		doc.responsible_department, [row.department for row in doc.responsibilities]
	)


def sync_responsibilities(doc, before) -> None:
	"""One row per named department, the routed responsible department always the first of them.

	When the responsible department changes (the CS manager re-routes, the vice president decides),
	it takes the place of the previous one."""
	departments = [row.department for row in doc.responsibilities]
	for department in departments:
		if departments.count(department) > 1:
			frappe.throw(
				_("Department {0} is named twice.").format(department), title=_("Departments Responsible")
			)
	lead, previous = doc.responsible_department, before.responsible_department if before else None
	if not lead:
		return
	rows = {row.department: row for row in doc.responsibilities}
	if lead not in rows and previous in rows:
		rows[previous].department = lead
	elif lead not in rows:
		doc.append("responsibilities", {"department": lead})
	ordered = sorted(doc.responsibilities, key=lambda row: row.department != lead)  # stable: lead first
	doc.set("responsibilities", ordered)
	for idx, row in enumerate(doc.responsibilities, start=1):
		row.idx = idx


def approved_departments(doc) -> list[str]:
	return [row.department for row in doc.responsibilities if row.approved_by]


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
	if new_state == rules.APPROVED:
		missing = rules.parts_missing(
			named_departments(doc),
			[*approved_departments(doc), user_department()],  # the acting head approves the last part
			[row.department for row in doc.countermeasures],
		)
		if missing["without_rows"]:
			frappe.throw(
				_("Every responsible department fills its own 5W1H rows first: {0} has none.").format(
					", ".join(missing["without_rows"])
				),
				title=_("Countermeasure Incomplete"),
			)
		if missing["unapproved"]:
			frappe.throw(
				_("Every responsible department approves its part first: {0} has not.").format(
					", ".join(missing["unapproved"])
				),
				title=_("Countermeasure Incomplete"),
			)
	if new_state == rules.CLOSED:
		unsigned = [_(row.function) for row in doc.sign_offs if not row.signed_by]
		if unsigned:
			frappe.throw(
				_("The claim of {0} is signed off before the complaint is closed: {1} still to sign.").format(
					frappe.format(doc.claimed_amount, {"fieldtype": "Currency"}), ", ".join(unsigned)
				),
				title=_("Claim Not Signed Off"),
			)
	if new_state in (rules.VERIFIED, rules.CLOSED):
		statuses = [row.status for row in doc.countermeasures]
		verified = new_state == rules.VERIFIED or bool(doc.verified_by)
		for blocker in rules.closure_blockers(statuses, verified):
			guards.rule_error(CLOSURE_MESSAGES, blocker, title=_("Not Ready to Close"))


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
		# a re-issued sheet (after the VP's decision or an ineffective action) needs new approvals
		doc.countermeasure_approved_on = doc.countermeasure_approved_by = None
		for row in doc.responsibilities:
			row.approved_by = row.approved_on = None
	elif state == rules.APPROVED:
		doc.countermeasure_approved_on, doc.countermeasure_approved_by = now, user
		stamp_part(doc, user_department(user), user, now)  # the last part, approved by the move itself
	elif state == rules.REPLIED:
		doc.replied_on = now
	elif state == rules.VERIFIED:
		doc.verified_on, doc.verified_by = now, user
	elif state in (rules.CLOSED, rules.NOT_ACCEPTED):
		doc.closed_on = now


ROUTING_FIELDS = ("complaint_type", "responsible_department", "handled_by_sales_alone")


def check_routing(doc, before) -> None:
	"""Who may route a complaint after intake, judged on the stored complaint (000 III-1.1-1.2).

	The CS manager divides the responsibility while the complaint is received; the vice president
	names the department of an escalated one; the CS manager may hand the tracking to another
	follower while it is open. Nobody else changes these, in no state.
	"""
	if before is None or guards.is_administrator():
		return
	state = before.workflow_state
	changed = [field for field in ROUTING_FIELDS if (before.get(field) or None) != (doc.get(field) or None)]
	if [row.department for row in before.responsibilities] != [
		row.department for row in doc.responsibilities
	]:
		changed.append("responsibilities")
	if changed and not (
		(state == rules.RECEIVED and guards.has_role(CS_MANAGER))
		or (state == rules.ESCALATED and guards.has_role(VICE_PRESIDENT))
	):
		guards.refuse(
			_(
				"{0} can only be changed by a CS manager while the complaint is received, or by the vice president while it is escalated."
			).format(", ".join(_(doc.meta.get_label(field)) for field in changed)),
			title=_("Routing Is Decided"),
		)
	shares = {row.department: flt(row.share) for row in doc.responsibilities}
	if shares != {row.department: flt(row.share) for row in before.responsibilities} and not (
		(state not in (rules.CLOSED, rules.NOT_ACCEPTED) and guards.has_role(CS_MANAGER))
		or (state == rules.ESCALATED and guards.has_role(VICE_PRESIDENT))
	):
		guards.refuse(
			_(
				"The departments' shares of the responsibility are set by a CS manager (or the vice president deciding)."
			)
		)
	if (before.follower or None) != (doc.follower or None) and not (
		state not in (rules.CLOSED, rules.NOT_ACCEPTED) and guards.has_role(CS_MANAGER)
	):
		guards.refuse(_("Only a CS manager can hand the complaint to another follower."))


def check_countermeasure_edit(doc, before) -> None:
	"""A department fills and edits its own 5W1H rows only; a row's department never changes.

	New rows of a department head belong to their own department, which must be responsible for
	the complaint; the follower (who tracks the actions) and CS managers may edit every row. The
	checks read the stored complaint and rows, not the values sent with the change.
	"""
	user = frappe.session.user
	stored = {row.name: row for row in (before.countermeasures if before else [])}
	privileged = guards.has_role(*PRIVILEGED_ROLES) or (before is not None and user == before.follower)
	own = None if privileged else user_department(user)
	named = named_departments(before) if before else named_departments(doc)
	for row in doc.countermeasures:
		old = stored.get(row.name)
		if old is not None:
			if (row.department or None) != (old.department or None):
				guards.refuse(
					_("Row {0}: the department of a countermeasure cannot be changed.").format(row.idx),
					title=_("Not Your Department"),
				)
		elif privileged:
			row.department = row.department or (named[0] if named else None)
		elif row.department and row.department != own:
			guards.refuse(
				_("Row {0}: you may only add countermeasures of your own department ({1}).").format(
					row.idx, own or _("none")
				),
				title=_("Not Your Department"),
			)
		else:
			row.department = own
	if privileged:
		return
	for row in changed_rows(doc, "countermeasures"):
		department = stored[row.name].department if row.name in stored else row.department
		if not own or department != own or own not in named:
			frappe.throw(
				_("Row {0}: you may only edit the countermeasures of your own department ({1}).").format(
					row.idx, own or _("none")
				),
				frappe.PermissionError,
				title=_("Not Your Department"),
			)


def stamp_part(doc, department: str | None, user: str, now) -> None:
	for row in doc.responsibilities:
		if row.department == department and not row.approved_by:
			row.approved_by, row.approved_on = user, now


def assign_for_state(doc) -> None:
	"""Put the complaint on the to-do list of whoever must act in its new state."""
	state = doc.workflow_state
	if state in (rules.CLOSED, rules.NOT_ACCEPTED):
		close_assignments(doc)
		return
	if state == rules.SHEET_ISSUED:
		users = []
		for department in named_departments(doc):  # the tracker notifies each department (000 III-2.1)
			heads = department_heads(department)
			if not heads:
				frappe.msgprint(
					_(
						"No active department head with a user is found for {0}: tell the department yourself."
					).format(department),
					indicator="orange",
					alert=True,
				)
			users += heads
		message = _("Complaint sheet {0}: fill in the 5W1H countermeasure.").format(doc.name)
	elif state == rules.ESCALATED:
		users, message = (
			vice_presidents(),
			_("Complaint {0} is escalated to you for a decision.").format(doc.name),
		)
	else:
		return
	assign(doc, users, message)


SHARE_MESSAGES = {
	"negative_share": lambda: _("A share of the responsibility cannot be negative."),
	"shares_total": lambda: _("The departments' shares of the responsibility add up to 100 %."),
}


def check_claim(doc, before, settings) -> None:
	"""The claim (002 ch6 §9, §11): the shares of the responsibility add up; the shipping date is the
	delivery's; a claim above the amount CS Settings names gets its sign-off rows, and is fixed once
	anyone has signed."""
	guards.rule_error(
		SHARE_MESSAGES,
		rules.share_problem(flt(row.share) for row in doc.responsibilities),
		title=_("Responsibility"),
	)
	doc.shipped_on = (
		getdate(frappe.db.get_value("Delivery Note", doc.delivery_note, "posting_date"))
		if doc.delivery_note
		else None
	)
	signed = [row for row in doc.sign_offs if row.signed_by]
	if signed and before is not None:
		changed = [f for f in ("claimed_qty", "claimed_amount") if flt(before.get(f)) != flt(doc.get(f))]
		if changed:
			guards.refuse(
				_("The claim is signed off already: {0} cannot change.").format(
					", ".join(_(doc.meta.get_label(field)) for field in changed)
				),
				title=_("Claim Signed Off"),
			)
	needed = rules.needs_sign_off(flt(doc.claimed_amount), flt(settings.claim_sign_off_amount))
	if needed and not doc.sign_offs:
		departments = {row.function: row.department for row in settings.review_departments}
		doc.set(
			"sign_offs",
			[
				{
					"function": function,
					"department": departments.get(rules.SIGN_OFF_REVIEW_FUNCTION.get(function)),
				}
				for function in rules.SIGN_OFF_FUNCTIONS
			],
		)
	elif not needed and not signed:
		doc.set("sign_offs", [])


def may_sign(row, user: str, department: str | None) -> bool:
	"""A department's head signs its row; the vice president and the general manager theirs."""
	if row.function == "Vice President":
		return guards.has_role(VICE_PRESIDENT)
	if row.function == "General Manager":
		return guards.has_role(people.GENERAL_MANAGER_ROLE)
	return (
		bool(row.department) and row.department == department and guards.has_role(people.DEPARTMENT_HEAD_ROLE)
	)
