"""The watch-list rules (优秀客户 / 危险客户统计表, 002 ch7 §12–13), without Frappe."""

from decimal import Decimal

import pytest

from cs_procedures.procedures import watch_list as rules
from cs_procedures.procedures.watch_list import AT_RISK, EXCELLENT, Facts, classify


def excellent(**changes) -> Facts:
	values = {"grade": "A", "credit_grade": "AAA", "overdue_amount": 0, "complaints": 0, "returns": 0}
	values.update(changes)
	return Facts(**values)


def codes(classification) -> list[str]:
	return [reason.code for reason in classification.reasons]


def test_a_good_customer_that_pays_on_time_is_excellent():
	result = classify(excellent())
	assert result.status == EXCELLENT
	assert codes(result) == [rules.GOOD_STANDING]
	assert classify(excellent(grade="B", credit_grade="AA", complaints=1, returns=1)).status == EXCELLENT


@pytest.mark.parametrize(
	"changes",
	[
		{"grade": "C"},
		{"grade": None},
		{"credit_grade": "A"},
		{"credit_grade": None},
		{"overdue_amount": Decimal("0.01"), "oldest_overdue_days": 1},
		{"complaints": rules.EXCELLENT_MAX_COMPLAINTS + 1},
		{"returns": rules.EXCELLENT_MAX_RETURNS + 1},
	],
)
def test_one_missing_mark_and_the_customer_is_on_no_list(changes):
	result = classify(excellent(**changes))
	assert result.status == ""
	assert result.reasons == ()


def test_overdue_days_past_the_threshold_put_a_customer_at_risk():
	days = rules.AT_RISK_OVERDUE_DAYS
	assert classify(Facts(overdue_amount=10, oldest_overdue_days=days)).status == ""
	result = classify(Facts(overdue_amount=10, oldest_overdue_days=days + 1))
	assert result.status == AT_RISK
	assert result.reasons == (rules.Reason(rules.OVERDUE_DAYS, days + 1, days),)


def test_days_without_an_amount_overdue_count_for_nothing():
	assert classify(Facts(overdue_amount=0, oldest_overdue_days=400)).status == ""


def test_a_large_overdue_amount_puts_a_customer_at_risk_at_the_threshold():
	limit = rules.AT_RISK_OVERDUE_AMOUNT
	assert classify(Facts(overdue_amount=limit - Decimal("0.01"), oldest_overdue_days=3)).status == ""
	result = classify(Facts(overdue_amount=float(limit), oldest_overdue_days=3))
	assert (result.status, codes(result)) == (AT_RISK, [rules.OVERDUE_AMOUNT])


def test_complaints_and_returns_at_the_threshold():
	assert classify(Facts(complaints=rules.AT_RISK_COMPLAINTS - 1)).status == ""
	assert codes(classify(Facts(complaints=rules.AT_RISK_COMPLAINTS))) == [rules.COMPLAINTS]
	assert classify(Facts(returns=rules.AT_RISK_RETURNS - 1)).status == ""
	assert codes(classify(Facts(returns=rules.AT_RISK_RETURNS))) == [rules.RETURNS]


def test_the_lowest_credit_grade_is_a_risk_only_with_something_overdue():
	assert classify(Facts(credit_grade="B")).status == ""
	result = classify(Facts(credit_grade="B", overdue_amount=5, oldest_overdue_days=2))
	assert (result.status, codes(result)) == (AT_RISK, [rules.CREDIT_GRADE_OVERDUE])


def test_risk_wins_over_excellence_and_every_reason_is_given():
	facts = excellent(
		overdue_amount=rules.AT_RISK_OVERDUE_AMOUNT,
		oldest_overdue_days=rules.AT_RISK_OVERDUE_DAYS + 30,
		complaints=rules.AT_RISK_COMPLAINTS,
		returns=rules.AT_RISK_RETURNS,
	)
	result = classify(facts)
	assert result.status == AT_RISK
	assert codes(result) == [rules.OVERDUE_DAYS, rules.OVERDUE_AMOUNT, rules.COMPLAINTS, rules.RETURNS]


def test_missing_figures_read_as_none():
	assert classify(Facts(overdue_amount=None, complaints=None, returns=None)).status == ""


def test_changes_name_only_the_customers_whose_status_moves():
	current = {"a": "Excellent", "b": None, "c": "At Risk", "d": "", "e": "At Risk"}
	computed = {"a": "Excellent", "b": "", "c": "", "d": "At Risk", "e": "Excellent"}
	assert rules.changes(current, computed) == {"": ["c"], "At Risk": ["d"], "Excellent": ["e"]}
	assert rules.changes(current, {"a": "Excellent", "b": ""}) == {}
