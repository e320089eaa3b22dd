"""Rules of the customer property register (顾客财产登记表, HT-QR-MA-10), free of Frappe.

Seed text, 003 §5.2: customer-supplied products and material arriving at the
factory are received by the warehouse against the delivery document and then
inspected by QC (incoming inspection). Nonconforming lots are recorded in the
IQC inspection report, which is sent to the customer, or the customer is told
by phone to find a solution. After passing inspection the warehouse issues the
material and stores the rest under stock control. Any department that finds an
anomaly (quantity, appearance ...) tells the materials department at once to
raise it with the customer. Samples, label paper etc. may be signed for by the
marketing department directly. The register is kept 1 year (保存期限:1年): the record,
not the lot, which may be returned or scrapped whenever the customer wants.

The lot moves through the workflow "Customer Property" (Received, Inspected,
Nonconforming, Customer Notified, In Store, then Returned, Consumed or Disposed);
`move_blockers` is what each move needs. The controller of Customer Property,
the migration patch and the daily reminder call these; the site only supplies
values read from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cs_procedures.procedures import Workflow

RETENTION_YEARS = 1  # 保存期限:1年

# States of the workflow "Customer Property" (the `workflow_state` field; `status` mirrors it).
RECEIVED = "Received"  # the warehouse (or, for samples and labels, marketing) signed for it (5.2.1, 5.2.5)
INSPECTED = "Inspected"  # incoming inspection passed, or not required
NONCONFORMING = "Nonconforming"  # rejected, or an anomaly recorded: the customer must be told (5.2.1, 5.2.3)
CUSTOMER_NOTIFIED = "Customer Notified"  # the customer knows and has still to decide
IN_STORE = "In Store"  # stored under stock control (5.2.2, 5.2.4)
RETURNED = "Returned"
CONSUMED = "Consumed"
DISPOSED = "Disposed"
OPEN_STATUSES = (RECEIVED, INSPECTED, NONCONFORMING, CUSTOMER_NOTIFIED, IN_STORE)
FINAL_STATUSES = (RETURNED, CONSUMED, DISPOSED)
WORKFLOW = Workflow("Customer Property", RECEIVED, FINAL_STATUSES)

# Incoming inspection results (the Select options of `inspection_result`).
PENDING = "Pending"
ACCEPTED = "Accepted"
REJECTED = "Rejected"
NOT_REQUIRED = "Not Required"
PASSED = (ACCEPTED, NOT_REQUIRED)

# The moves of the procedure (each a workflow action); staying put is always allowed.
TRANSITIONS = {
	None: {RECEIVED},
	RECEIVED: {INSPECTED, NONCONFORMING, RETURNED},
	INSPECTED: {NONCONFORMING, IN_STORE, CONSUMED, RETURNED},
	NONCONFORMING: {CUSTOMER_NOTIFIED},
	CUSTOMER_NOTIFIED: {IN_STORE, RETURNED, DISPOSED},
	IN_STORE: {NONCONFORMING, CONSUMED, RETURNED, DISPOSED},
	RETURNED: set(),
	CONSUMED: set(),
	DISPOSED: set(),
}

# Reasons a move is refused (the controller turns them into messages).
NOT_ALLOWED = "not_allowed"
NOT_INSPECTED = "not_inspected"
CUSTOMER_NOT_NOTIFIED = "customer_not_notified"
RETENTION_NOT_ENDED = "retention_not_ended"
NONCONFORMITY_OPEN = "nonconformity_open"  # a rejected or anomalous lot goes to Nonconforming, not on
NO_NONCONFORMITY = "no_nonconformity"  # nothing recorded that the customer must be told of
NO_WAREHOUSE = "no_warehouse"


@dataclass(frozen=True)
class Facts:
	"""What is known about one lot of customer property."""

	inspection_result: str | None = PENDING
	nonconformity: str | None = None
	customer_notified: bool = False
	stored: bool = False  # a warehouse to store it in is named


def add_years(day: date, years: int) -> date:
	"""`day` moved by whole years; 29 February becomes 1 March in a common year,
	so the period is never shorter than the full years."""
	try:
		return day.replace(year=day.year + years)
	except ValueError:  # 29 February into a common year
		return day.replace(year=day.year + years, month=3, day=1)


def retention_until(left_on: date | None, years: int = RETENTION_YEARS) -> date | None:
	"""The first day the register record may be removed: it is kept `years` years after the lot left
	(HT-QR-MA-10, 保存期限:1年); the record of a lot still held is kept (None)."""
	if years < 0:
		raise ValueError("retention years cannot be negative")
	return add_years(left_on, years) if left_on else None


def storage_review_on(received_on: date, years: int = RETENTION_YEARS) -> date:
	"""The day a lot still held after `years` in the warehouse is brought to the receiver's attention."""
	return add_years(received_on, years)


def retention_ended(until: date | None, on_day: date) -> bool:
	return until is not None and on_day >= until


def needs_customer_notice(facts: Facts) -> bool:
	"""A rejected lot or any recorded anomaly must be raised with the customer
	(IQC report sent, or the customer phoned) before the lot moves on (003 §5.2)."""
	return facts.inspection_result == REJECTED or bool((facts.nonconformity or "").strip())


def notice_missing(facts: Facts) -> bool:
	return needs_customer_notice(facts) and not facts.customer_notified


def inspection_passed(facts: Facts) -> bool:
	return facts.inspection_result in PASSED


def can_move(old: str | None, new: str) -> bool:
	"""Whether the procedure lets the lot go from `old` to `new` (staying put always may)."""
	return old == new or new in TRANSITIONS.get(old, set())


def storing_blockers(facts: Facts) -> list[str]:
	"""Why the lot may not be put into store yet: the warehouse stores only after
	inspection, and a nonconforming lot only once the customer has been told."""
	blockers = []
	if facts.inspection_result not in (*PASSED, REJECTED):
		blockers.append(NOT_INSPECTED)
	if notice_missing(facts):
		blockers.append(CUSTOMER_NOT_NOTIFIED)
	return blockers


def move_blockers(old: str | None, new: str, facts: Facts) -> list[str]:
	"""Why the lot cannot move from the stored state `old` to `new`; empty when it can. A move the
	procedure does not know (skipping a state) gives NOT_ALLOWED, followed by what `new` would need.

	- Inspected: the incoming inspection passed (or is not required) and nothing is wrong with the
	  lot; a rejected or anomalous lot goes to Nonconforming instead (5.2.1).
	- Nonconforming: a rejection or an anomaly is recorded (5.2.1, 5.2.3).
	- Customer Notified: when and how the customer was told is recorded (IQC report, phone).
	- In Store: a warehouse, after inspection, and for a nonconforming lot after the notice (5.2.2).
	- Consumed: only material that passed inspection is issued, and never before the notice.
	- Returned, Disposed: a nonconforming lot only once the customer has been told.
	"""
	if old == new or old in FINAL_STATUSES:
		return [NOT_ALLOWED]
	blockers = [] if can_move(old, new) else [NOT_ALLOWED]  # then what the target would need, too
	if new == INSPECTED:
		if not inspection_passed(facts):
			blockers.append(NOT_INSPECTED)
		if needs_customer_notice(facts):
			blockers.append(NONCONFORMITY_OPEN)
	elif new == NONCONFORMING:
		if not needs_customer_notice(facts):
			blockers.append(NO_NONCONFORMITY)
	elif new == CUSTOMER_NOTIFIED:
		if not facts.customer_notified:
			blockers.append(CUSTOMER_NOT_NOTIFIED)
	elif new == IN_STORE:
		if not facts.stored:
			blockers.append(NO_WAREHOUSE)
		blockers += storing_blockers(facts)
	elif new == CONSUMED:
		if not inspection_passed(facts):
			blockers.append(NOT_INSPECTED)  # only material that passed inspection is issued
		if notice_missing(facts):
			blockers.append(CUSTOMER_NOT_NOTIFIED)
	elif new in (RETURNED, DISPOSED):
		if notice_missing(facts):
			blockers.append(CUSTOMER_NOT_NOTIFIED)
	return blockers


def facts_undone(state: str | None, facts: Facts) -> list[str]:
	"""The facts a state was reached on that a later edit has taken away (an inspection result back
	to Pending, the warehouse of a stored lot, the customer's notice); empty when none."""
	undone = []
	inspected = facts.inspection_result in (*PASSED, REJECTED)
	if state in (INSPECTED, IN_STORE) and not inspected:
		undone.append(NOT_INSPECTED)
	if state == IN_STORE and not facts.stored:
		undone.append(NO_WAREHOUSE)
	if state == CUSTOMER_NOTIFIED and not facts.customer_notified:
		undone.append(CUSTOMER_NOT_NOTIFIED)
	return undone


def record_deletable(until: date | None, on_day: date) -> bool:
	"""The register record is kept until its retention ends, a year after the lot left; the record
	of a lot still held is kept (no retention date yet)."""
	return retention_ended(until, on_day)


def closing_date_valid(closed_on: date, received_on: date, on_day: date) -> bool:
	"""A lot leaves the register between the day it was received and today."""
	return received_on <= closed_on <= on_day


def anomaly_recorded(before: Facts | None, after: Facts) -> bool:
	"""Whether this change records an anomaly the materials department must hear of at once
	(5.2.3): a lot that now needs the customer's notice and did not before, or a new description
	of what is wrong."""
	if not needs_customer_notice(after):
		return False
	if before is None or not needs_customer_notice(before):
		return True
	new_text = (after.nonconformity or "").strip()
	return bool(new_text) and new_text != (before.nonconformity or "").strip()


def migrated_state(status: str | None, facts: Facts) -> str:
	"""The workflow state of a record kept before the workflow, whose status followed its facts:
	an inspected lot not yet stored is Inspected, a nonconforming lot whose customer was told is
	Customer Notified; the other statuses are states of the same name."""
	if status in (*FINAL_STATUSES, IN_STORE):
		return status
	if status == NONCONFORMING or needs_customer_notice(facts):
		return CUSTOMER_NOTIFIED if facts.customer_notified else NONCONFORMING
	if inspection_passed(facts):
		return INSPECTED
	return RECEIVED


def reminder_due(status: str | None, review_on: date | None, on_day: date) -> bool:
	"""A lot still in store a year after it was received should be looked at."""
	return status == IN_STORE and retention_ended(review_on, on_day)


def result_from_quality_inspection(status: str | None, docstatus: int) -> str | None:
	"""The incoming-inspection result an ERPNext Quality Inspection gives the lot:
	its status once submitted, Pending while it is a draft, None if cancelled."""
	if docstatus == 2:
		return None
	if docstatus == 1 and status in (ACCEPTED, REJECTED):
		return status
	return PENDING
