"""Rules of the contract / order review (合同/订单评审, 003 §5.1), free of Frappe.

Sales turns the customer's requirements into the review record; engineering (technical
feasibility), quality (quality achievability) and materials (production schedule) review it
with sales; the general manager approves it, coordinates measures when a department objects,
or agrees to cancel the order. A change raises a new version and withdraws the old one; an
internal change needs the vice president's approval first (5.1.5.2).
"""

from __future__ import annotations

from collections.abc import Iterable

PENDING, FEASIBLE, CONDITIONAL, NOT_FEASIBLE = (
	"Pending",
	"Feasible",
	"Feasible with Conditions",
	"Not Feasible",
)
APPROVED, APPROVED_WITH_MEASURES, CANCEL_ORDER = "Approved", "Approved with Measures", "Cancel Order"
CUSTOMER_CHANGE, INTERNAL_CHANGE = "Customer", "Internal"

# The reviewing departments and what each reviews (003 §3.1-3.4).
ASPECTS = {
	"Engineering": "Technical feasibility",
	"Quality": "Quality achievability",
	"Materials": "Production schedule and delivery",
	"Sales": "Commercial terms and customer requirements",
}


def open_reviews(conclusions: Iterable[str]) -> int:
	"""How many departments have not concluded yet."""
	return sum(1 for conclusion in conclusions if conclusion in (None, "", PENDING))


def objections(conclusions: Iterable[str]) -> int:
	return sum(1 for conclusion in conclusions if conclusion == NOT_FEASIBLE)


def review_problem(rows: list[tuple[str, str, bool]]) -> str | None:
	"""Why the departments' review is not complete, or None.

	`rows` are (function, conclusion, concluded by that function's department) for each opinion row:
	exactly one row per reviewing function, each concluded by its own department.
	"""
	functions = [function for function, _conclusion, _own in rows]
	if sorted(functions) != sorted(ASPECTS):
		return "rows_missing"
	if open_reviews(conclusion for _function, conclusion, _own in rows):
		return "open_reviews"
	if not all(own for _function, _conclusion, own in rows):
		return "not_by_department"
	return None


def approval_problem(conclusions: list[str], decision: str | None, remarks: str | None) -> str | None:
	"""Why the general manager cannot sign this decision yet, or None.

	- every department must have concluded;
	- with an objection the order is approved only with coordinated measures written in the
	  remarks, or cancelled;
	- a cancellation always gives its reason.
	"""
	if open_reviews(conclusions):
		return "open_reviews"
	if not decision:
		return "no_decision"
	if objections(conclusions) and decision == APPROVED:
		return "objection_needs_measures"
	if decision in (APPROVED_WITH_MEASURES, CANCEL_ORDER) and not (remarks or "").strip():
		return "remarks_required"
	return None


def next_version(version: int | None) -> int:
	return (version or 1) + 1


def change_needs_vice_president(origin: str | None) -> bool:
	"""An internal change request (materials, technology, quality) needs the vice president (5.1.5.2 A)."""
	return origin == INTERNAL_CHANGE
