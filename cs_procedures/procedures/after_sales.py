"""After-sales service (001 4.12, 002 chapter 5): return/exchange approval, repair cost approval,
the after-sales figures. Pure rules: no Frappe here.

Return / exchange (001 4.12.2 "对客户的退换货进行审批"): a Return Request goes Draft -> Submitted for
Approval -> Approved (submitted) or Rejected; the approved quantity of each item bounds what the
return Delivery Notes and the credit notes made against the request may carry, each kind counted on
its own (the goods come back on the one, the money on the other).

Repairs (001 4.12.3 "维修费用的审核、报批", 002 ch5 §4 产品维修报告单): a Warranty Claim carries the
fault, its first analysed cause and the estimated repair cost; a cost above nothing is approved by the
CS manager before the Maintenance Visit that does the repair is submitted.
"""

from dataclasses import dataclass

from cs_procedures.procedures import Workflow

# Return Request workflow
DRAFT = "Draft"
SUBMITTED = "Submitted for Approval"
APPROVED = "Approved"
REJECTED = "Rejected"
STATES = (DRAFT, SUBMITTED, APPROVED, REJECTED)
END_STATES = (APPROVED,)
WORKFLOW = Workflow("Return Request", DRAFT, END_STATES)

NOT_RETURNED, PARTLY_RETURNED, FULLY_RETURNED = "Not Returned", "Partly Returned", "Fully Returned"

# Repair cost approval on the Warranty Claim
COST_AWAITING = "Awaiting Approval"
COST_APPROVED = "Approved"
COST_REJECTED = "Rejected"

# how far a quantity may be off and still count as equal (Float fields, 9 decimals at most)
EPSILON = 1e-9


@dataclass(frozen=True)
class RequestRow:
	idx: int
	item_code: str
	qty: float  # requested
	returnable: float  # delivered less already returned, read from the stored delivery note
	approved: float = 0.0


def request_row_problems(rows: list[RequestRow]) -> list[tuple[int, str]]:
	"""What is wrong with the goods a request asks to take back: (row idx, problem code)."""
	problems = []
	for row in rows:
		if row.qty <= 0:
			problems.append((row.idx, "qty_not_positive"))
		elif row.qty > row.returnable + EPSILON:
			problems.append((row.idx, "qty_over_returnable"))
	return problems


def approved_row_problems(rows: list[RequestRow]) -> list[tuple[int, str]]:
	"""The CS manager's approved quantities: none negative, none above what was asked."""
	problems = [(row.idx, "approved_negative") for row in rows if row.approved < 0]
	return problems + [
		(row.idx, "approved_over_requested") for row in rows if row.approved > row.qty + EPSILON
	]


def approval_problems(rows: list[RequestRow]) -> list[tuple[int, str]]:
	"""What keeps an approval from standing: the rows' approved quantities, and something approved
	at all (approving nothing is a rejection)."""
	problems = approved_row_problems(rows)
	if not problems and not any(row.approved > EPSILON for row in rows):
		problems.append((0, "nothing_approved"))
	return problems


def approved_by_item(rows: list[RequestRow]) -> dict[str, float]:
	approved: dict[str, float] = {}
	for row in rows:
		approved[row.item_code] = approved.get(row.item_code, 0.0) + max(row.approved, 0.0)
	return approved


def return_problems(
	approved: dict[str, float], elsewhere: dict[str, float], this: dict[str, float]
) -> list[tuple[str, str]]:
	"""A return (or credit note) made against an approved request: each item must be in the request,
	and with the returns of the same kind already made it may not exceed the approved quantity.

	`elsewhere` and `this` are positive quantities per item. Returns (item_code, problem code)."""
	problems = []
	for item_code, qty in this.items():
		if item_code not in approved or approved[item_code] <= EPSILON:
			problems.append((item_code, "not_in_request"))
		elif elsewhere.get(item_code, 0.0) + qty > approved[item_code] + EPSILON:
			problems.append((item_code, "over_approved"))
	return problems


def remaining(approved: float, done: float) -> float:
	"""What an approved row may still carry."""
	return max(approved - done, 0.0)


def return_status(approved_total: float, returned_total: float) -> str:
	if returned_total <= EPSILON:
		return NOT_RETURNED
	if returned_total + EPSILON < approved_total:
		return PARTLY_RETURNED
	return FULLY_RETURNED


def request_problem(state: str | None, docstatus: int, customer: str, return_customer: str) -> str | None:
	"""Can a return be made against this request at all?"""
	if docstatus != 1 or state != APPROVED:
		return "not_approved"
	if customer != return_customer:
		return "other_customer"
	return None


# Repairs -----------------------------------------------------------------------------------------


def repair_cost_status(
	old_cost: float, new_cost: float, old_status: str | None, is_new: bool = False
) -> str | None:
	"""The approval a repair cost keeps when the claim is saved: a changed cost is asked again."""
	if is_new or abs(old_cost - new_cost) > EPSILON:
		return None
	return old_status or None


def repair_problem(cost: float, status: str | None) -> str | None:
	"""Can the repair be recorded (the Maintenance Visit submitted)? A cost needs the CS approval."""
	if cost <= EPSILON:
		return None
	if status == COST_APPROVED:
		return None
	if status == COST_REJECTED:
		return "cost_rejected"
	return "cost_not_approved"


def cost_decision_problem(status: str | None, cost: float, approve: bool, note: str | None) -> str | None:
	"""The CS manager decides a repair cost that was asked for; a rejection says why."""
	if status != COST_AWAITING:
		return "not_awaiting"
	if approve and cost <= EPSILON:
		return "no_cost"
	if not approve and not (note or "").strip():
		return "reason_required"
	return None


def cost_request_problem(status: str | None, cost: float, claim_status: str | None) -> str | None:
	"""Asking the CS department to approve a repair cost."""
	if claim_status in ("Closed", "Cancelled"):
		return "claim_closed"
	if cost <= EPSILON:
		return "no_cost"
	if status in (COST_AWAITING, COST_APPROVED):
		return "already_asked"
	return None


# What the customer sees on the portal ------------------------------------------------------------


def customer_return_state(state: str | None, docstatus: int, return_status: str | None) -> str | None:
	"""A return request in the customer's words; None for one not yet put forward (a draft)."""
	if docstatus == 2:
		return None
	if state == SUBMITTED:
		return "Under Review"
	if state == REJECTED:
		return "Not Approved"
	if state == APPROVED:
		return "Goods Received Back" if return_status in (PARTLY_RETURNED, FULLY_RETURNED) else "Approved"
	return None


def customer_repair_state(claim_status: str | None) -> str | None:
	"""A warranty claim's status in the customer's words."""
	return {"Open": "Repair in Progress", "Work In Progress": "Repair in Progress", "Closed": "Repaired"}.get(
		claim_status or ""
	)


# Figures -----------------------------------------------------------------------------------------


def return_rate(delivered: float, returned: float) -> float | None:
	"""Returned quantity as a percentage of the delivered quantity (001 4.12.5); None without deliveries."""
	if delivered <= EPSILON:
		return None
	return round(100.0 * returned / delivered, 2)
