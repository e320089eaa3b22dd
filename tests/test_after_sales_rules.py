"""After-sales rules (001 4.12, 002 ch5): return approval bounds, repair cost approval, return rate."""

import pytest

from cs_procedures.procedures import after_sales as rules
from cs_procedures.procedures.after_sales import RequestRow


def test_requested_quantity_is_positive_and_returnable():
	rows = [
		RequestRow(1, "A", 3, 10),
		RequestRow(2, "B", 0, 10),
		RequestRow(3, "C", 11, 10),
		RequestRow(4, "D", -1, 10),
	]
	assert rules.request_row_problems(rows) == [
		(2, "qty_not_positive"),
		(3, "qty_over_returnable"),
		(4, "qty_not_positive"),
	]
	assert rules.request_row_problems([RequestRow(1, "A", 10, 10)]) == []


def test_approval_is_at_most_what_was_asked_and_something():
	assert rules.approval_problems([RequestRow(1, "A", 3, 10, 2)]) == []
	assert rules.approval_problems([RequestRow(1, "A", 3, 10, 4)]) == [(1, "approved_over_requested")]
	assert rules.approval_problems([RequestRow(1, "A", 3, 10, -1)]) == [(1, "approved_negative")]
	assert rules.approval_problems([RequestRow(1, "A", 3, 10, 0), RequestRow(2, "B", 1, 5, 0)]) == [
		(0, "nothing_approved")
	]
	assert rules.approved_row_problems([RequestRow(1, "A", 3, 10, 0)]) == []  # lowering to 0 is fine


def test_approved_quantities_add_up_per_item():
	rows = [RequestRow(1, "A", 3, 10, 2), RequestRow(2, "A", 1, 5, 1), RequestRow(3, "B", 1, 5, -4)]
	assert rules.approved_by_item(rows) == {"A": 3, "B": 0}


@pytest.mark.parametrize(
	"elsewhere, this, problems",
	[
		({}, {"A": 2}, []),
		({"A": 1}, {"A": 1}, []),
		({"A": 1}, {"A": 1.5}, [("A", "over_approved")]),
		({}, {"C": 1}, [("C", "not_in_request")]),
		({}, {"B": 1}, [("B", "not_in_request")]),  # approved nothing of B
	],
)
def test_returns_stay_within_the_approval(elsewhere, this, problems):
	assert rules.return_problems({"A": 2, "B": 0}, elsewhere, this) == problems


def test_return_status_and_what_is_left():
	assert rules.return_status(5, 0) == rules.NOT_RETURNED
	assert rules.return_status(5, 2) == rules.PARTLY_RETURNED
	assert rules.return_status(5, 5) == rules.FULLY_RETURNED
	assert rules.remaining(5, 2) == 3
	assert rules.remaining(2, 5) == 0


def test_only_an_approved_request_of_the_customer_takes_returns():
	assert rules.request_problem(rules.APPROVED, 1, "C1", "C1") is None
	assert rules.request_problem(rules.SUBMITTED, 0, "C1", "C1") == "not_approved"
	assert rules.request_problem(rules.APPROVED, 2, "C1", "C1") == "not_approved"  # cancelled
	assert rules.request_problem(rules.APPROVED, 1, "C1", "C2") == "other_customer"


def test_changed_repair_cost_is_asked_again():
	assert rules.repair_cost_status(100, 100, rules.COST_APPROVED) == rules.COST_APPROVED
	assert rules.repair_cost_status(100, 120, rules.COST_APPROVED) is None
	assert rules.repair_cost_status(100, 120, rules.COST_AWAITING) is None
	assert rules.repair_cost_status(0, 100, None, is_new=True) is None


def test_repair_needs_an_approved_cost():
	assert rules.repair_problem(0, None) is None  # nothing to pay: nothing to approve
	assert rules.repair_problem(50, rules.COST_APPROVED) is None
	assert rules.repair_problem(50, None) == "cost_not_approved"
	assert rules.repair_problem(50, rules.COST_AWAITING) == "cost_not_approved"
	assert rules.repair_problem(50, rules.COST_REJECTED) == "cost_rejected"


def test_asking_and_deciding_a_repair_cost():
	assert rules.cost_request_problem(None, 50, "Open") is None
	assert rules.cost_request_problem(rules.COST_REJECTED, 50, "Open") is None  # ask again
	assert rules.cost_request_problem(rules.COST_AWAITING, 50, "Open") == "already_asked"
	assert rules.cost_request_problem(rules.COST_APPROVED, 50, "Open") == "already_asked"
	assert rules.cost_request_problem(None, 0, "Open") == "no_cost"
	assert rules.cost_request_problem(None, 50, "Closed") == "claim_closed"
	assert rules.cost_decision_problem(rules.COST_AWAITING, 50, True, None) is None
	assert rules.cost_decision_problem(rules.COST_AWAITING, 50, False, "  ") == "reason_required"
	assert rules.cost_decision_problem(rules.COST_AWAITING, 50, False, "Misuse") is None
	assert rules.cost_decision_problem(rules.COST_APPROVED, 50, True, None) == "not_awaiting"
	assert rules.cost_decision_problem(None, 50, True, None) == "not_awaiting"


def test_return_rate():
	assert rules.return_rate(200, 3) == 1.5
	assert rules.return_rate(0, 3) is None
	assert rules.return_rate(3, 0) == 0


def test_what_the_customer_sees():
	assert rules.customer_return_state(rules.DRAFT, 0, None) is None
	assert rules.customer_return_state(rules.SUBMITTED, 0, None) == "Under Review"
	assert rules.customer_return_state(rules.REJECTED, 0, None) == "Not Approved"
	assert rules.customer_return_state(rules.APPROVED, 1, rules.NOT_RETURNED) == "Approved"
	assert rules.customer_return_state(rules.APPROVED, 1, rules.PARTLY_RETURNED) == "Goods Received Back"
	assert rules.customer_return_state(rules.APPROVED, 2, None) is None
	assert rules.customer_repair_state("Open") == "Repair in Progress"
	assert rules.customer_repair_state("Closed") == "Repaired"
	assert rules.customer_repair_state("Cancelled") is None
