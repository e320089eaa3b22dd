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

The controller of Customer Property and the daily reminder call these; the
site only supplies values read from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

RETENTION_YEARS = 1  # 保存期限:1年

# Status (the Select options of `status`), set from the facts of the record.
RECEIVED = "Received"
NONCONFORMING = "Nonconforming"
IN_STORE = "In Store"
RETURNED = "Returned"
CONSUMED = "Consumed"
DISPOSED = "Disposed"
OPEN_STATUSES = (RECEIVED, NONCONFORMING, IN_STORE)
FINAL_STATUSES = (RETURNED, CONSUMED, DISPOSED)

# Incoming inspection results (the Select options of `inspection_result`).
PENDING = "Pending"
ACCEPTED = "Accepted"
REJECTED = "Rejected"
NOT_REQUIRED = "Not Required"
PASSED = (ACCEPTED, NOT_REQUIRED)

# Allowed moves of the status; staying put is always allowed.
TRANSITIONS = {
	None: {RECEIVED, NONCONFORMING, IN_STORE},
	RECEIVED: {NONCONFORMING, IN_STORE, RETURNED, CONSUMED},
	NONCONFORMING: {RECEIVED, IN_STORE, RETURNED, DISPOSED},
	IN_STORE: {NONCONFORMING, RETURNED, CONSUMED, DISPOSED},
	RETURNED: set(),
	CONSUMED: set(),
	DISPOSED: set(),
}

# Reasons a move is refused (the controller turns them into messages).
NOT_ALLOWED = "not_allowed"
NOT_INSPECTED = "not_inspected"
CUSTOMER_NOT_NOTIFIED = "customer_not_notified"
RETENTION_NOT_ENDED = "retention_not_ended"


@dataclass(frozen=True)
class Facts:
	"""What is known about one lot of customer property."""

	inspection_result: str | None = PENDING
	nonconformity: str | None = None
	customer_notified: bool = False
	stored: bool = False  # put into a warehouse under stock control


def add_years(day: date, years: int) -> date:
	"""`day` moved by whole years; 29 February becomes 1 March in a common year,
	so the period is never shorter than the full years."""
	try:
		return day.replace(year=day.year + years)
	except ValueError:  # 29 February into a common year
		return day.replace(year=day.year + years, month=3, day=1)


def retention_until(received_on: date, years: int = RETENTION_YEARS) -> date:
	"""The first day the register record may be removed: it is kept `years` years after receipt
	(HT-QR-MA-10, 保存期限:1年)."""
	if years < 0:
		raise ValueError("retention years cannot be negative")
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
	"""Whether the status may go from `old` to `new` (staying put always may)."""
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


def derive_status(facts: Facts, current: str | None = None) -> str:
	"""The status the facts give an open record; a closed record keeps its outcome."""
	if current in FINAL_STATUSES:
		return current
	if notice_missing(facts):
		return NONCONFORMING
	if facts.stored and not storing_blockers(facts):
		return IN_STORE
	if needs_customer_notice(facts):
		return NONCONFORMING  # the customer knows and has still to decide
	return RECEIVED


def may_close(outcome: str) -> bool:
	"""Whether the property may leave the register as `outcome`: returned to the customer, consumed
	when the warehouse issues it, or disposed of (scrapped) when the customer wants it, at any time.
	The retention period is how long the register *record* is kept, not the lot (HT-QR-MA-10)."""
	return outcome in FINAL_STATUSES


def record_deletable(until: date | None, on_day: date) -> bool:
	"""The register record is kept, whatever became of the lot, until its retention ends."""
	return retention_ended(until, on_day)


def closure_blockers(current: str | None, outcome: str, facts: Facts) -> list[str]:
	"""Why the record cannot be closed as `outcome`; empty when it can."""
	if not may_close(outcome) or not can_move(current, outcome) or current == outcome:
		return [NOT_ALLOWED]
	blockers = []
	if outcome == CONSUMED and not inspection_passed(facts):
		blockers.append(NOT_INSPECTED)  # only material that passed inspection is issued
	if notice_missing(facts):
		blockers.append(CUSTOMER_NOT_NOTIFIED)
	return blockers


def reminder_due(status: str | None, until: date | None, on_day: date) -> bool:
	"""A lot still in store whose retention period has ended should be looked at."""
	return status == IN_STORE and retention_ended(until, on_day)


def days_left(until: date, on_day: date) -> int:
	"""Days until the retention ends (0 once it has)."""
	return max((until - on_day) // timedelta(days=1), 0)


def result_from_quality_inspection(status: str | None, docstatus: int) -> str | None:
	"""The incoming-inspection result an ERPNext Quality Inspection gives the lot:
	its status once submitted, Pending while it is a draft, None if cancelled."""
	if docstatus == 2:
		return None
	if docstatus == 1 and status in (ACCEPTED, REJECTED):
		return status
	return PENDING
