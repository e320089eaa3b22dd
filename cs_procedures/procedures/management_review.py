"""Rules of the management review input, free of Frappe.

Seed text: 000 II-6 管理审查会时,由业务部将客户满意度进行统计、分析、提报 (at the management review the
sales department reports the customers' satisfaction, counted and analysed); 001 §4.14-4.15 顾客反馈的
信息列入管理审查会议进行审查 (customer feedback is reviewed by the management review), the corrective
and preventive actions it causes handled by their own procedure; 002 ch6 §13 客户投诉总结表 (complaints
counted, solved, their quality problems and countermeasures by stage). ISO 9001 9.3.2 names the inputs
(customer satisfaction, the extent quality objectives are met, nonconformities and corrective actions,
the status of actions from previous reviews), 9.3.3 the outputs (decisions and actions).

Measured quality goals: an objective of an ERPNext Quality Goal names one of `MEASURES`; the site
measures it over a review's period from the app's reports and `judge` compares it with the target.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import NamedTuple

from cs_procedures.procedures.satisfaction import period_ending_before

PASSED, FAILED, OPEN = "Passed", "Failed", "Open"
HIGHER, LOWER = "higher", "lower"  # which way a measure is better
AT_LEAST, AT_MOST = ">=", "<="

# the figures of a period, by section (each a row of the record's snapshot)
COMPLAINTS, SATISFACTION, AFTER_SALES, VISITS, CALLS, GOALS = (
	"Complaints",
	"Satisfaction",
	"Returns and Repairs",
	"Visits",
	"Calls",
	"Quality Goals",
)
# the options of a figure row's section (tests/test_management_review_rules.py holds them together)
SECTIONS = (COMPLAINTS, SATISFACTION, AFTER_SALES, VISITS, CALLS, GOALS)


class Measure(NamedTuple):
	"""A figure a quality goal's objective can be measured by: its name (the option of the objective's
	*Measured By*), its unit, the way it is better, and the CS figure it reads (section, figure key of
	`cs_procedures.figures`)."""

	name: str
	unit: str
	better: str
	figure: tuple[str, str]


MEASURES = {
	m.name: m
	for m in (
		Measure("On-time Complaint Sheet %", "%", HIGHER, ("complaints", "sheet_on_time_pct")),
		Measure("On-time Countermeasure %", "%", HIGHER, ("complaints", "countermeasure_on_time_pct")),
		Measure("Complaints Received", "", LOWER, ("complaints", "complaints")),
		Measure("Mean Hours to Close a Complaint", "h", LOWER, ("complaints", "mean_hours_to_close")),
		Measure("Complaint Loss", "", LOWER, ("complaints", "loss_amount")),
		Measure("Repeat Complaints", "", LOWER, ("complaints", "repeat_complaints")),
		Measure("Satisfaction of the Latest Campaign", "", HIGHER, ("satisfaction", "average_satisfaction")),
		Measure("Returns", "", LOWER, ("returns", "returns")),
		Measure("Repairs", "", LOWER, ("repairs", "claims")),
		Measure("Incoming Calls Answered %", "%", HIGHER, ("calls", "answered_pct")),
		Measure("Planned Visits Made %", "%", HIGHER, ("visits", "plan_done_pct")),
	)
}

_TARGET = re.compile(r"^\s*(≥|>=|=>|≤|<=|=<)?\s*(-?\d+(?:[.,]\d+)?)\s*%?\s*$")
_OPERATORS = {"≥": AT_LEAST, ">=": AT_LEAST, "=>": AT_LEAST, "≤": AT_MOST, "<=": AT_MOST, "=<": AT_MOST}


def parse_target(target: str | None, better: str) -> tuple[str, float] | None:
	"""A target as (operator, number): "≥ 95 %", ">= 95", "95" (at least or at most as the measure is
	better higher or lower), "≤ 3"; None when it is not such a target."""
	match = _TARGET.match(target or "")
	if not match:
		return None
	operator = _OPERATORS.get(match.group(1) or "", AT_LEAST if better == HIGHER else AT_MOST)
	return operator, float(match.group(2).replace(",", "."))


def target_problem(measure: str | None, target: str | None) -> str | None:
	"""Why an objective cannot be measured: an unknown measure (`"unknown_measure"`) or a target that is
	not a number with an optional ≥ / ≤ (`"unreadable_target"`); None for an objective not measured."""
	if not measure:
		return None
	if measure not in MEASURES:
		return "unknown_measure"
	if parse_target(target, MEASURES[measure].better) is None:
		return "unreadable_target"
	return None


def judge(value: float | None, target: str | None, measure: str) -> str:
	"""Passed or Failed against the target; Open when the period gives no value (no complaint to be
	on time, no campaign closed) or the target cannot be read."""
	parsed = parse_target(target, MEASURES[measure].better) if measure in MEASURES else None
	if value is None or parsed is None:
		return OPEN
	operator, number = parsed
	met = value >= number if operator == AT_LEAST else value <= number
	return PASSED if met else FAILED


def review_period(frequency: str | None, review_date: date) -> tuple[date, date]:
	"""The period a review made on `review_date` looks back on, by its goal's frequency: the day
	before (Daily), the seven days before (Weekly), the previous calendar quarter (Quarterly), else the
	previous calendar month (Monthly, or a goal reviewed by hand)."""
	if frequency == "Daily":
		day = review_date - timedelta(days=1)
		return day, day
	if frequency == "Weekly":
		return review_date - timedelta(days=7), review_date - timedelta(days=1)
	return period_ending_before("Quarterly" if frequency == "Quarterly" else "Monthly", review_date)


def period_problem(from_date: date | None, to_date: date | None, today: date) -> str | None:
	"""A review period runs forward and has begun: `"period_order"`, `"period_ahead"` or None."""
	if not from_date or not to_date:
		return None
	if from_date > to_date:
		return "period_order"
	if from_date > today:
		return "period_ahead"
	return None


class Decision(NamedTuple):
	idx: int
	decision: str | None
	responsible: str | None
	due_date: date | None


def decision_problems(decisions: Iterable[Decision], approved_on: date) -> list[tuple[int, str]]:
	"""What keeps the review's decisions from becoming tracked actions (ISO 9001 9.3.3): each needs its
	words (`"no_decision"`), someone responsible (`"no_owner"`) and a due date not before the approval
	(`"no_due_date"`, `"due_in_past"`). (row number, code) for each problem."""
	problems = []
	for row in decisions:
		if not (row.decision or "").strip():
			problems.append((row.idx, "no_decision"))
		elif not row.responsible:
			problems.append((row.idx, "no_owner"))
		elif not row.due_date:
			problems.append((row.idx, "no_due_date"))
		elif row.due_date < approved_on:
			problems.append((row.idx, "due_in_past"))
	return problems


def all_actions_closed(statuses: Iterable[str | None]) -> bool:
	"""The review's decisions are carried out: it raised actions and every one is completed."""
	statuses = list(statuses)
	return bool(statuses) and all(status == "Completed" for status in statuses)
