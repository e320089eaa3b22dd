"""The Customer Property workflow in the site: moves judged on the stored record, stamps, to-dos.

The states, the moves and what each move needs are the procedure's rules in
`cs_procedures.procedures.property`; who may take which action is the Workflow fixture
"Customer Property". This module applies both to documents, whatever the client sends.
"""

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.model.workflow import get_transitions
from frappe.utils import getdate, now_datetime, today

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.notifications import assign, close_assignments
from cs_procedures.people import department_heads
from cs_procedures.procedures import property as rules

MATERIALS = "Materials"  # the review function of the materials department (资材部) in CS Settings


def facts(doc) -> rules.Facts:
	return rules.Facts(
		inspection_result=doc.inspection_result,
		nonconformity=doc.nonconformity,
		customer_notified=bool(doc.customer_notified_on),
		stored=bool(doc.warehouse),
	)


def stored_state(before) -> str | None:
	"""The state of the stored record (a record kept before the workflow counts as Received,
	as Frappe counts it, until the migration patch has given it its state)."""
	if before is None:
		return None
	return before.workflow_state or rules.RECEIVED


def check_first_state(doc) -> None:
	"""A new record starts as Received, whatever its facts: it moves on only through the actions."""
	if doc.workflow_state and doc.workflow_state != rules.RECEIVED:
		frappe.throw(
			_(
				"A new customer property record starts as {0}; it moves on through the workflow actions."
			).format(_(rules.RECEIVED)),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	doc.workflow_state = rules.RECEIVED


def check_closed_record_kept(doc, before) -> None:
	"""A closed record is evidence: nobody but Administrator changes it any more."""
	if guards.is_administrator():
		return
	fields = [
		df
		for df in doc.meta.fields
		if df.fieldtype not in no_value_fields and df.fieldtype not in table_fields and not df.is_virtual
	]
	changed = guards.forged_fields(doc, before, fields)
	if changed:
		guards.refuse(
			_("Customer property {0} is closed as {1}: the register keeps it as it was closed ({2}).").format(
				doc.name,
				_(before.workflow_state),
				", ".join(sorted({_(df.label) for df in changed})),
			),
			title=_("Record Closed"),
		)


BLOCKER_MESSAGES = {
	(rules.NOT_INSPECTED, rules.INSPECTED): lambda: _(
		"The incoming inspection has not passed: link the accepted Quality Inspection, or mark the inspection Not Required."
	),
	(rules.NOT_INSPECTED, rules.IN_STORE): lambda: _(
		"The lot can go into store only after its incoming inspection (or marked Not Required)."
	),
	(rules.NOT_INSPECTED, rules.CONSUMED): lambda: _(
		"Only a lot that passed its incoming inspection can be consumed."
	),
	(rules.NONCONFORMITY_OPEN, rules.INSPECTED): lambda: _(
		"The lot is rejected or a nonconformity is recorded: report the nonconformity, so that the customer is told."
	),
	(rules.NO_NONCONFORMITY, rules.NONCONFORMING): lambda: _(
		"Describe the nonconformity (quantity, appearance ...) before reporting it."
	),
	(rules.CUSTOMER_NOT_NOTIFIED, rules.CUSTOMER_NOTIFIED): lambda: _(
		"Enter when and how the customer was notified first."
	),
	(rules.CUSTOMER_NOT_NOTIFIED, rules.IN_STORE): lambda: _(
		"A rejected or nonconforming lot cannot go into store before the customer has been notified."
	),
	(rules.NO_WAREHOUSE, rules.IN_STORE): lambda: _("Choose the warehouse the lot is stored in."),
}


def blocker_message(blocker: str, old: str | None, new: str) -> str:
	if blocker == rules.NOT_ALLOWED:
		onward = sorted(rules.TRANSITIONS.get(old, ()))
		if not onward:
			return _("{0} is a closing state: the record stays as it is.").format(_(old))
		return _("From {0} the lot moves on only to {1}, one step at a time.").format(
			_(old or ""), ", ".join(_(state) for state in onward)
		)
	if blocker == rules.CUSTOMER_NOT_NOTIFIED and new in rules.FINAL_STATUSES + (rules.CONSUMED,):
		return _("A rejected or nonconforming lot cannot be closed before the customer has been notified.")
	return BLOCKER_MESSAGES[(blocker, new)]()


def check_move(doc, before, old: str | None, new: str) -> None:
	"""Refuse a move the procedure does not allow from the STORED state, one the facts do not
	support yet, or one the user's roles do not allow (the Workflow's transitions)."""
	blockers = rules.move_blockers(old, new, facts(doc))
	if blockers:
		frappe.throw(
			_("Customer property {0} cannot go from {1} to {2}:").format(doc.name, _(old or ""), _(new))
			+ "<br>"
			+ "<br>".join(blocker_message(blocker, old, new) for blocker in blockers),
			title=_("Not Allowed"),
		)
	if new not in {t.next_state for t in get_transitions(before)}:
		guards.refuse(
			_("Your roles do not allow moving customer property {0} from {1} to {2}.").format(
				doc.name, _(old or ""), _(new)
			),
			title=_("Not Your Action"),
		)


UNDONE_MESSAGES = {
	rules.NOT_INSPECTED: lambda: _("the inspection result cannot go back to Pending"),
	rules.NO_WAREHOUSE: lambda: _("the warehouse of a stored lot cannot be cleared"),
	rules.CUSTOMER_NOT_NOTIFIED: lambda: _("the record of the customer's notice cannot be cleared"),
}


def check_facts_kept(doc, state: str) -> None:
	"""An edit does not take away the facts the lot's state was reached on."""
	undone = rules.facts_undone(state, facts(doc))
	if undone:
		frappe.throw(
			_("Customer property {0} is {1}: {2}.").format(
				doc.name, _(state), "; ".join(UNDONE_MESSAGES[code]() for code in undone)
			),
			title=_("Not Allowed"),
		)


def stamp_move(doc, old: str | None, new: str) -> None:
	"""Who moved the lot and when (permission level 1: written by the procedure only)."""
	now, user = now_datetime().replace(microsecond=0), frappe.session.user
	if new == rules.INSPECTED or (
		new == rules.NONCONFORMING and old == rules.RECEIVED and doc.inspection_result != rules.PENDING
	):
		doc.inspected_by, doc.inspected_on = user, now
	if new == rules.NONCONFORMING:
		doc.nonconformity_reported_by, doc.nonconformity_reported_on = user, now
	elif new == rules.CUSTOMER_NOTIFIED:
		doc.notice_recorded_by = user
	elif new == rules.IN_STORE:
		doc.stored_by, doc.stored_on = user, now
	elif new in rules.FINAL_STATUSES:
		doc.closed_by, doc.closed_on = user, getdate(today())


def check_closing_date(doc) -> None:
	if not doc.closed_on:
		return
	if doc.workflow_state not in rules.FINAL_STATUSES:
		frappe.throw(
			_("Close the record with Returned, Consumed or Disposed; the closing date is set by it."),
			title=_("Not Closed"),
		)
	if not rules.closing_date_valid(getdate(doc.closed_on), getdate(doc.received_on), getdate(today())):
		frappe.throw(
			_("The closing date must lie between the received date and today."), title=_("Invalid Date")
		)


def materials_heads() -> list[str]:
	"""The heads of the materials department (CS Settings, review departments, function Materials)."""
	departments = {
		row.department
		for row in get_settings().review_departments
		if row.function == MATERIALS and row.department
	}
	return sorted({head for department in departments for head in department_heads(department)})


def tell_materials(doc) -> None:
	"""An anomaly is raised with the materials department at once, to take up with the customer (5.2.3)."""
	heads = materials_heads()
	if not heads:
		frappe.msgprint(
			_(
				"No active head of the materials department with a user is found (CS Settings, review departments): tell the materials department yourself."
			),
			indicator="orange",
			alert=True,
		)
		return
	what = (doc.nonconformity or "").strip() or _("rejected at incoming inspection")
	assign(
		doc,
		heads,
		_("Customer property {0} ({1}) has an anomaly: {2}. Raise it with the customer at once.").format(
			doc.name, doc.customer_name or doc.customer, what
		),
	)


def assign_for_state(doc) -> None:
	"""Close the to-dos the new state answers: the materials department's once the customer is
	told, every open one when the lot leaves the register."""
	if doc.workflow_state in rules.FINAL_STATUSES:
		close_assignments(doc)
	elif doc.workflow_state == rules.CUSTOMER_NOTIFIED:
		close_assignments(doc, users=materials_heads())
