from datetime import datetime, time

import pytest

from cs_procedures.procedures import complaint as c
from cs_procedures.procedures.calendar import WorkingCalendar

CAL = WorkingCalendar.of(time(8, 0), time(17, 0))
T = datetime(2026, 11, 16, 9, 0)


def test_route_department():
	mapping = {"Quality": "QA - X", "Delivery": "Materials - X"}
	assert c.route_department("Quality", mapping) == "QA - X"
	assert c.route_department("Service", mapping) is None
	assert c.route_department(None, mapping) is None


@pytest.mark.parametrize("qty, defect, rate", [(200, 5, 2.5), (3, 1, 33.33), (0, 1, 0.0), (None, None, 0.0)])
def test_defect_rate(qty, defect, rate):
	assert c.defect_rate(qty, defect) == rate


def test_seed_deadlines():
	assert c.sheet_due_by(T, 2, CAL) == datetime(2026, 11, 16, 11, 0)
	assert c.countermeasure_due_by(datetime(2026, 11, 16, 15, 0), 4, CAL) == datetime(2026, 11, 17, 10, 0)


def test_current_deadline_follows_the_state():
	sheet, cm, cust = T, T.replace(hour=13), T.replace(day=20)
	actions = [T.replace(day=25), T.replace(day=23)]
	assert c.current_deadline(c.RECEIVED, sheet, None, cust) == c.Deadline(c.STAGE_SHEET, sheet)
	assert c.current_deadline(c.ESCALATED, sheet, None, cust) == c.Deadline(c.STAGE_SHEET, sheet)
	assert c.current_deadline(c.ESCALATED, sheet, cm, cust) == c.Deadline(c.STAGE_COUNTERMEASURE, cm)
	assert c.current_deadline(c.SHEET_ISSUED, sheet, cm, cust) == c.Deadline(c.STAGE_COUNTERMEASURE, cm)
	assert c.current_deadline(c.APPROVED, sheet, cm, cust) == c.Deadline(c.STAGE_REPLY, cust)
	assert c.current_deadline(c.APPROVED, sheet, cm, None) is None
	assert c.current_deadline(c.REPLIED, sheet, cm, cust, actions) == c.Deadline(c.STAGE_ACTIONS, actions[1])
	assert c.current_deadline(c.REPLIED, sheet, cm, cust, []) is None
	for state in (c.AWAITING_VERIFICATION, c.VERIFIED, c.CLOSED, c.NOT_ACCEPTED):
		assert c.current_deadline(state, sheet, cm, cust, actions) is None


def test_sweep_notifies_then_escalates_once():
	due = T
	assert c.sweep_step(c.ON_TIME, due, T.replace(hour=8), 2, CAL) == c.SweepStep(None, c.ON_TIME, due)
	step = c.sweep_step(c.ON_TIME, due, T.replace(minute=1), 2, CAL)
	assert step == c.SweepStep("notify", c.NOTIFIED, datetime(2026, 11, 16, 11, 0))
	waiting = c.sweep_step(c.NOTIFIED, due, T.replace(hour=10), 2, CAL)
	assert waiting == c.SweepStep(None, c.NOTIFIED, datetime(2026, 11, 16, 11, 0))
	step = c.sweep_step(c.NOTIFIED, due, T.replace(hour=11), 2, CAL)
	assert step == c.SweepStep("escalate", c.ESCALATED_TO_VP, None)
	assert c.sweep_step(c.ESCALATED_TO_VP, due, T.replace(day=30), 2, CAL) == c.SweepStep(
		None, c.ESCALATED_TO_VP, None
	)
	assert c.sweep_step(c.ON_TIME, None, T, 2, CAL) == c.SweepStep(None, c.ON_TIME, None)


def test_a_late_sweep_still_notifies_before_it_escalates():
	due = T
	step = c.sweep_step(c.ON_TIME, due, T.replace(day=20), 2, CAL)
	assert step.action == "notify" and step.next_check < T.replace(day=20)
	assert c.sweep_step(step.level, due, T.replace(day=20), 2, CAL).action == "escalate"


def test_escalation_waits_in_working_hours():
	# breached at 16:30: two working hours later is 09:30 the next morning
	due = datetime(2026, 11, 16, 16, 30)
	step = c.sweep_step(c.ON_TIME, due, due, 2, CAL)
	assert step.next_check == datetime(2026, 11, 17, 9, 30)
	assert c.sweep_step(c.NOTIFIED, due, datetime(2026, 11, 16, 23, 0), 2, CAL).action is None


def test_missing_fields():
	assert c.missing_fields(c.RECEIVED, c.SHEET_ISSUED, {}) == ["responsible_department"]
	assert c.missing_fields(c.ESCALATED, c.SHEET_ISSUED, {"responsible_department": "QA"}) == ["vp_decision"]
	assert c.missing_fields(c.SHEET_ISSUED, c.APPROVED, {"countermeasures": []}) == ["countermeasures"]
	assert c.missing_fields(c.SHEET_ISSUED, c.APPROVED, {"countermeasures": [{}]}) == []
	assert c.missing_fields(c.VERIFIED, c.CLOSED, {"verification_result": "ok"}) == ["handling_method"]
	assert c.missing_fields(c.RECEIVED, c.ESCALATED, {}) == []


def test_closure_blockers():
	assert c.closure_blockers(["Done", "Done"], True) == []
	assert c.closure_blockers(["Done", "Open"], True) == ["open_actions"]
	assert c.closure_blockers([], False) == ["unverified"]


def test_named_departments_lead_first_each_once():
	assert c.named_departments("QA", ["Sales", "QA", None, "Sales"]) == ["QA", "Sales"]
	assert c.named_departments(None, ["Sales"]) == ["Sales"]


def test_every_named_department_fills_and_approves_its_part():
	assert c.parts_missing(["QA", "Sales"], ["QA"], ["QA"]) == {
		"without_rows": ["Sales"],
		"unapproved": ["Sales"],
	}
	assert c.parts_missing(["QA", "Sales"], ["QA", "Sales"], ["Sales", "QA"]) == {
		"without_rows": [],
		"unapproved": [],
	}


def test_a_head_approves_their_own_named_part_once():
	assert c.may_approve_part(["QA", "Sales"], [], "Sales")
	assert not c.may_approve_part(["QA", "Sales"], ["Sales"], "Sales")
	assert not c.may_approve_part(["QA"], [], "Sales")
	assert not c.may_approve_part(["QA"], [], None)


def test_the_last_part_completes_the_approval():
	assert c.completes_approval(["QA", "Sales"], ["QA"], "Sales")
	assert not c.completes_approval(["QA", "Sales"], [], "Sales")
	assert c.completes_approval(["QA"], [], "QA")


def test_sales_alone_is_due_at_the_customers_time():
	required = datetime(2026, 1, 12, 17, 0)
	assert c.sales_reply_due_by(datetime(2026, 1, 5, 9, 0), required, 8, CAL) == required
	assert c.sales_reply_due_by(datetime(2026, 1, 5, 9, 0), None, 8, CAL) == datetime(2026, 1, 5, 17, 0)
	deadline = c.current_deadline(c.RECEIVED, datetime(2026, 1, 5, 11, 0), None, required, (), required)
	assert deadline == c.Deadline(c.STAGE_REPLY, required)


def test_a_claim_above_the_amount_is_signed_off():
	assert c.needs_sign_off(10000.01, 10000)
	assert not c.needs_sign_off(10000, 10000)
	assert c.needs_sign_off(1, 0) and not c.needs_sign_off(0, 0)
	assert c.SIGN_OFF_FUNCTIONS[-2:] == ("Vice President", "General Manager")


def test_responsibility_shares_add_up():
	assert c.share_problem([None, 0]) is None  # not given
	assert c.share_problem([60, 40]) is None
	assert c.share_problem([60, 30]) == "shares_total"
	assert c.share_problem([120, -20]) == "negative_share"
