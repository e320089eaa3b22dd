"""Rules of the customer complaint procedure (客户抱怨处理单), free of Frappe.

The controller of Customer Complaint and the scheduled sweep call these; the
site only supplies values read from the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from cs_procedures.procedures import Workflow
from cs_procedures.procedures.calendar import WorkingCalendar, add_working_hours

# Workflow states, as named in the "Customer Complaint" workflow fixture.
RECEIVED = "Received"
SHEET_ISSUED = "Sheet Issued"
ESCALATED = "Escalated to VP"
APPROVED = "Countermeasure Approved"
REPLIED = "Replied"
AWAITING_VERIFICATION = "Awaiting Verification"
VERIFIED = "Verified"
CLOSED = "Closed"
NOT_ACCEPTED = "Not Accepted"

# Deadline stages (the Select options of `deadline_stage`).
# What may change in which stored state (000 III): the customer's facts at intake only, the 5W1H rows
# while the sheet is out (afterwards only their progress, tracked by the follower), the reply until it
# is given, the vice president's decision while escalated, the verification while awaited.
INTAKE_FIELDS = (
	"customer",
	"contact_person",
	"contact_email",
	"contact_phone",
	"channel",
	"received_by",
	"subject",
	"description",
	"urgency",
	"customer_request",
	"customer_required_by",
	"sales_order",
	"delivery_note",
	"sales_invoice",
	"item_code",
	"batch_no",
	"qty",
	"defect_qty",
)
OPEN_STATES = (RECEIVED, SHEET_ISSUED, ESCALATED, APPROVED, REPLIED, AWAITING_VERIFICATION, VERIFIED)
WORKFLOW = Workflow("Customer Complaint", RECEIVED, (CLOSED, NOT_ACCEPTED))
EDITABLE_IN = {
	**{field: (RECEIVED,) for field in INTAKE_FIELDS},
	"countermeasures": (SHEET_ISSUED,),
	"countermeasures.status": (SHEET_ISSUED, APPROVED, REPLIED, AWAITING_VERIFICATION),
	"countermeasures.completed_on": (SHEET_ISSUED, APPROVED, REPLIED, AWAITING_VERIFICATION),
	"reply_summary": (RECEIVED, APPROVED),
	"vp_decision": (ESCALATED,),
	"not_accepted_reason": (RECEIVED, ESCALATED),
	"verification_result": (AWAITING_VERIFICATION,),
	"issue": (),  # the ERPNext Issue it was made from (erpnext_doctypes/issues.py), fixed
	# the claim is what the customer asks: fixed once it is signed off (see `claim_signed`)
	**{field: OPEN_STATES for field in ("claimed_qty", "claimed_amount")},
}

STAGE_SHEET = "Sheet Issue"
STAGE_COUNTERMEASURE = "Countermeasure"
STAGE_REPLY = "Customer Required By"
STAGE_ACTIONS = "Countermeasure Actions"

# Working hours sales has to answer a complaint it handles alone when the customer gave no time.
DEFAULT_SALES_REPLY_HOURS = 8

# Breach levels recorded on the complaint by the sweep.
ON_TIME, NOTIFIED, ESCALATED_TO_VP = 0, 1, 2

# Fields that must hold a value before a complaint may enter a state, and on
# some transitions only (keyed by (from, to)).
REQUIRED_TO_ENTER = {
	SHEET_ISSUED: ("responsible_department",),
	NOT_ACCEPTED: ("not_accepted_reason",),
	APPROVED: ("countermeasures",),
	REPLIED: ("reply_summary",),
	VERIFIED: ("verification_result",),
	CLOSED: ("verification_result", "handling_method"),
}
REQUIRED_ON_TRANSITION = {
	(ESCALATED, SHEET_ISSUED): ("vp_decision",),
}


@dataclass(frozen=True)
class Deadline:
	stage: str
	due: datetime


@dataclass(frozen=True)
class SweepStep:
	"""What the sweep does to one complaint: its action, the new breach level
	and when the complaint next needs looking at (None: not before it moves)."""

	action: str | None  # "notify", "escalate" or nothing to do yet
	level: int
	next_check: datetime | None


def route_department(complaint_type: str | None, mapping: Mapping[str, str]) -> str | None:
	"""The department responsible for a complaint type (003 §3.7-3.9)."""
	return mapping.get(complaint_type or "")


def defect_rate(qty: float | None, defect_qty: float | None) -> float:
	"""Defective share of the complained quantity, in percent."""
	if not qty or not defect_qty:
		return 0.0
	return round(100.0 * defect_qty / qty, 2)


def sheet_due_by(received_on: datetime, hours: float, calendar: WorkingCalendar) -> datetime:
	"""The complaint sheet must be issued within `hours` working hours of receipt (000 §3.1.1)."""
	return add_working_hours(received_on, hours, calendar)


def countermeasure_due_by(issued_on: datetime, hours: float, calendar: WorkingCalendar) -> datetime:
	"""The 5W1H countermeasure must be filled and approved within `hours` working hours of issue (000 §3.2.4)."""
	return add_working_hours(issued_on, hours, calendar)


def sales_reply_due_by(
	received_on: datetime, customer_required_by: datetime | None, hours: float, calendar: WorkingCalendar
) -> datetime:
	"""A complaint sales handles alone is answered within the customer's required time (000 III-1.1),
	or, when the customer gave none, within `hours` working hours of receipt."""
	return customer_required_by or add_working_hours(received_on, hours, calendar)


def current_deadline(
	state: str | None,
	sheet_due: datetime | None,
	countermeasure_due: datetime | None,
	customer_required_by: datetime | None,
	open_action_dues: Iterable[datetime] = (),
	sales_reply_due: datetime | None = None,
) -> Deadline | None:
	"""The deadline the complaint is working towards in its state, if any.

	`sales_reply_due` is set for a complaint sales handles alone: it needs no sheet, so while it is
	received its deadline is the reply, not the two-hour sheet."""
	if state in (RECEIVED, None) and sales_reply_due:
		return Deadline(STAGE_REPLY, sales_reply_due)
	if state in (RECEIVED, None) and sheet_due:
		return Deadline(STAGE_SHEET, sheet_due)
	if state == ESCALATED:
		if countermeasure_due:
			return Deadline(STAGE_COUNTERMEASURE, countermeasure_due)
		return Deadline(STAGE_SHEET, sheet_due) if sheet_due else None
	if state == SHEET_ISSUED and countermeasure_due:
		return Deadline(STAGE_COUNTERMEASURE, countermeasure_due)
	if state == APPROVED and customer_required_by:
		return Deadline(STAGE_REPLY, customer_required_by)
	if state == REPLIED:
		dues = list(open_action_dues)
		if dues:
			return Deadline(STAGE_ACTIONS, min(dues))
	return None


def sweep_step(
	level: int,
	deadline: datetime | None,
	now: datetime,
	escalate_after_hours: float,
	calendar: WorkingCalendar,
) -> SweepStep:
	"""One look of the overdue sweep at one complaint.

	A breached deadline first notifies the follower and the department head;
	if the stage is still breached `escalate_after_hours` working hours later,
	the complaint goes to the vice president. Each happens once per stage.
	"""
	if deadline is None or level >= ESCALATED_TO_VP:
		return SweepStep(None, level, None)
	if now < deadline:
		return SweepStep(None, level, deadline)
	escalate_at = add_working_hours(deadline, escalate_after_hours, calendar)
	if level == ON_TIME:
		return SweepStep("notify", NOTIFIED, escalate_at)
	if now >= escalate_at:
		return SweepStep("escalate", ESCALATED_TO_VP, None)
	return SweepStep(None, level, escalate_at)


def missing_fields(old_state: str | None, new_state: str, values: Mapping) -> list[str]:
	"""Fields still empty that the transition old_state -> new_state needs."""
	needed = REQUIRED_TO_ENTER.get(new_state, ()) + REQUIRED_ON_TRANSITION.get((old_state, new_state), ())
	return [field for field in needed if not values.get(field)]


def named_departments(lead: str | None, others: Iterable[str | None]) -> list[str]:
	"""The departments a complaint sheet names: the routed (lead) department first, each once (000 III-2.1)."""
	named = []
	for department in (lead, *others):
		if department and department not in named:
			named.append(department)
	return named


def parts_missing(named: Iterable[str], approved: Iterable[str], row_departments: Iterable[str]) -> dict:
	"""What keeps the countermeasure from counting as approved: departments without a 5W1H row of
	their own, and departments that have not approved their part."""
	named, approved, rows = list(named), set(approved), set(row_departments)
	return {
		"without_rows": [d for d in named if d not in rows],
		"unapproved": [d for d in named if d not in approved],
	}


def may_approve_part(named: Iterable[str], approved: Iterable[str], own: str | None) -> bool:
	"""A department head approves the part of their own department, once, if it is named."""
	return bool(own) and own in list(named) and own not in set(approved)


def completes_approval(named: Iterable[str], approved: Iterable[str], own: str | None) -> bool:
	"""Whether `own`'s approval is the last one missing: then the countermeasure is approved."""
	named = list(named)
	return may_approve_part(named, approved, own) and set(named) - set(approved) == {own}


def closure_blockers(action_statuses: Iterable[str], verified: bool) -> list[str]:
	"""Why a complaint cannot be verified or closed yet: open actions, no verification."""
	blockers = []
	if any(status != "Done" for status in action_statuses):
		blockers.append("open_actions")
	if not verified:
		blockers.append("unverified")
	return blockers


# --- The claim and its sign-off (002 ch6 §9 客户投诉处理表, §11 通知单, §12 追踪表) ---------------------

# who signs a large claim, in the order of the form: the departments' opinions, then the vice
# president's and the general manager's instructions (副总经理批示, 总经理批示)
SIGN_OFF_FUNCTIONS = ("Sales", "Production", "Quality", "Finance", "Vice President", "General Manager")
# a department's function on the form -> the order review function whose department it is
SIGN_OFF_REVIEW_FUNCTION = {
	"Sales": "Sales",
	"Production": "Materials",
	"Quality": "Quality",
	"Finance": "Finance",
}


def needs_sign_off(claimed_amount: float, threshold: float) -> bool:
	"""A claim above the amount CS Settings names is signed off before the complaint closes."""
	return claimed_amount > max(threshold, 0.0)


def share_problem(shares: Iterable[float | None]) -> str | None:
	"""Responsibility shares (责任归属比率): none negative; once any is given they add up to 100 %."""
	given = [share for share in shares if share]
	if any(share < 0 for share in given):
		return "negative_share"
	if given and abs(sum(given) - 100) > 0.01:
		return "shares_total"
	return None
