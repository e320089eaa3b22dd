"""Rules of the contract / order review (合同/订单评审, 003 §5.1), free of Frappe.

Sales turns the customer's requirements into the review record; engineering (technical
feasibility), quality (quality achievability) and materials (production schedule) review it
with sales; the general manager approves it, coordinates measures when a department objects,
or agrees to cancel the order. A change raises a new version and withdraws the old one; an
internal change needs the vice president's approval first (5.1.5.2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cs_procedures.procedures import Workflow

PENDING, FEASIBLE, CONDITIONAL, NOT_FEASIBLE = (
	"Pending",
	"Feasible",
	"Feasible with Conditions",
	"Not Feasible",
)
APPROVED, APPROVED_WITH_MEASURES, CANCEL_ORDER = "Approved", "Approved with Measures", "Cancel Order"
CUSTOMER_CHANGE, INTERNAL_CHANGE = "Customer", "Internal"
CHANGE_ORIGINS = (CUSTOMER_CHANGE, INTERNAL_CHANGE)

# The states of the Order Review workflow (fixtures/workflow.json).
DRAFT = "Draft"
AWAITING_VP = "Awaiting Vice President"
CHANGE_REJECTED = "Change Rejected"
UNDER_REVIEW = "Under Review"
AWAITING_GM = "Awaiting General Manager"
APPROVED_STATE, MEASURES_STATE, CANCELLED_STATE = "Approved", "Approved with Measures", "Order Cancelled"
WITHDRAWN = "Withdrawn"
# The general manager's decision is the state the workflow action leads to.
DECISIONS = {
	APPROVED_STATE: APPROVED,
	MEASURES_STATE: APPROVED_WITH_MEASURES,
	CANCELLED_STATE: CANCEL_ORDER,
}
FINAL_STATES = (CHANGE_REJECTED, CANCELLED_STATE, WITHDRAWN)
WORKFLOW = Workflow("Order Review", DRAFT, FINAL_STATES)

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


def decision_for(state: str | None) -> str | None:
	"""The general manager's decision a state stands for, or None."""
	return DECISIONS.get(state)


def editing_problem(state: str | None, changed: set[str]) -> str | None:
	"""Why fields changed in a stored `state` may not change there, or None.

	The requirements are sales' until the review starts; the departments conclude only while the
	review is under way; the general manager writes the remarks only while deciding; a record that
	reached a final state changes no more.
	"""
	if state in FINAL_STATES and changed:
		return "final"
	if changed & {"sales_order", "order_type", "customer_requirements"} and state != DRAFT:
		return "requirements_fixed"
	if "opinions" in changed and state != UNDER_REVIEW:
		return "not_under_review"
	if "gm_remarks" in changed and state != AWAITING_GM:
		return "not_deciding"
	return None


def transition_problem(
	old: str | None, new: str, origin: str | None, vp_approved: bool, review: str | None
) -> str | None:
	"""Why the review may not move from `old` to `new`, or None.

	`review` is `review_problem` of the opinion rows (None when every department concluded).
	"""
	if old == DRAFT and new == UNDER_REVIEW and change_needs_vice_president(origin) and not vp_approved:
		return "vp_first"
	if old == UNDER_REVIEW and new == AWAITING_GM and review:
		return review
	return None


def next_version_name(name: str, amended_from: str | None, taken: Callable[[str], bool]) -> str:
	"""The name of the next version of review `name`: Frappe's amendment suffix (OR-…-1, OR-…-2),
	skipping a suffix already held (a version whose change the vice president rejected)."""
	root, number = name, 1
	if amended_from and "-" in name and name.rsplit("-", 1)[1].isdigit():
		root, suffix = name.rsplit("-", 1)
		number = int(suffix) + 1
	while taken(f"{root}-{number}"):
		number += 1
	return f"{root}-{number}"


def next_version(version: int | None) -> int:
	return (version or 1) + 1


def change_needs_vice_president(origin: str | None) -> bool:
	"""An internal change request (materials, technology, quality) needs the vice president (5.1.5.2 A)."""
	return origin == INTERNAL_CHANGE
