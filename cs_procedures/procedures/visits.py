"""Rules of customer visits, free of Frappe.

Seed text, 000 II-1 (拜访客户): on a visit the salesperson looks into our delivery staff's
attitude, the customer's orders and where their future orders go, new products to introduce,
the customer's quality expectations, complaints, and how other suppliers compare (1.1). Regular
visits follow a periodic plan per salesperson, approved by the head of sales (1.2); a visit
outside the plan needs the head's permission first (1.3). 002 ch3 §15-16: the visit record
(客户拜访记录表) and the daily report (客户拜访日报表) with the purpose (a first visit, b solving a
problem, c building the relationship) and the outcome (A deal, B promising, C visit again, D no
hope, E keep watching). 002 ch3 §21: the visit frequency is set by the customer's grade.

The controllers and the daily reminder call these; the site only supplies values read from the
database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from cs_procedures.procedures import Workflow

# Plan workflow states (the Workflow "Customer Visit Plan").
DRAFT = "Draft"
SUBMITTED = "Submitted for Approval"
APPROVED = "Approved"
REJECTED = "Rejected"
WORKFLOW = Workflow("Customer Visit Plan", DRAFT, (APPROVED,))

# Purpose of a visit (商谈计划, 002 ch3 §16).
FIRST_VISIT = "First Visit"
SOLVING_A_PROBLEM = "Solving a Problem"
BUILDING_THE_RELATIONSHIP = "Building the Relationship"
PURPOSES = (FIRST_VISIT, SOLVING_A_PROBLEM, BUILDING_THE_RELATIONSHIP)
PURPOSE_CODES = dict(zip(PURPOSES, "abc", strict=True))

# Outcome of a visit (成果, 002 ch3 §16).
OUTCOMES = ("A - Deal Closed", "B - Promising", "C - Visit Again", "D - No Hope", "E - Keep Watching")

GRADES = ("A", "B", "C", "D", "E")
# Days between two visits by customer grade (002 ch3 §21 拜访频次); 0 means no regular visit.
DEFAULT_INTERVALS = {"A": 30, "B": 60, "C": 90, "D": 180, "E": 365}
DEFAULT_INTERVAL = 90  # a customer without a grade (or a site without grades)
DEFAULT_PLAN_TOLERANCE = 7  # a visit within this many days of its planned date is the planned visit


def visit_interval(grade: str | None, intervals: Mapping[str, int], default: int) -> int:
	"""Days between two visits of a customer of `grade`; the default for a missing or unknown grade."""
	if grade and grade in intervals:
		return max(int(intervals[grade] or 0), 0)
	return max(int(default or 0), 0)


def next_visit_due(last_visit: date | None, since: date, interval: int) -> date | None:
	"""The day by which the customer must have been visited again: `interval` days after the last
	visit, or after `since` (the day the customer was created) when never visited. None: no regular
	visit is asked for."""
	if interval <= 0:
		return None
	return (last_visit or since) + timedelta(days=interval)


def is_overdue(due: date | None, today: date) -> bool:
	return due is not None and today > due


def overdue_customers(
	customers: Iterable[tuple[str, str | None, date]],
	last_visits: Mapping[str, date],
	intervals: Mapping[str, int],
	default: int,
	today: date,
) -> list[tuple[str, date]]:
	"""(customer, due date) for each customer not visited in time.

	`customers` are (name, grade, created on); `last_visits` the date of each customer's last
	recorded visit. The due date names the period: one reminder per customer and due date."""
	overdue = []
	for name, grade, since in customers:
		due = next_visit_due(last_visits.get(name), since, visit_interval(grade, intervals, default))
		if is_overdue(due, today):
			overdue.append((name, due))
	return overdue


def reminder_key(customer: str, due: date) -> str:
	return f"{customer}|{due.isoformat()}"


def plan_covers(planned: Iterable[tuple[str, date]], customer: str, visit_date: date, tolerance: int) -> bool:
	"""Whether an approved plan's rows (customer, planned date) include this visit."""
	return any(
		name == customer and abs((visit_date - day).days) <= max(tolerance, 0) for name, day in planned
	)


def plan_row_problems(
	rows: Iterable[tuple[int, str, date | None]], start: date, end: date
) -> list[tuple[int, str]]:
	"""(row number, problem) for the plan rows: a date outside the plan's period, a customer planned
	twice on one day."""
	problems, seen = [], set()
	if end < start:
		return [(0, "period")]
	for idx, customer, day in rows:
		if day is None or not (start <= day <= end):
			problems.append((idx, "outside_period"))
		elif (customer, day) in seen:
			problems.append((idx, "duplicate"))
		seen.add((customer, day))
	return problems


def needs_permission(covered_by_plan: bool, permitted: bool) -> bool:
	"""An unplanned visit needs the head of sales' permission (000 II-1.3)."""
	return not covered_by_plan and not permitted


def permission_problem(covered_by_plan: bool, visit_date: date, permitted_on: date | None) -> str | None:
	"""Why an unplanned visit cannot be recorded: no permission, or one given after the visit took
	place (000 II-1.3: the manager permits the visit before it; request, permit, then visit)."""
	if covered_by_plan:
		return None
	if permitted_on is None:
		return "not_permitted"
	if permitted_on > visit_date:
		return "permitted_after_visit"
	return None


def too_late_to_permit(visit_date: date, today: date) -> bool:
	"""A visit that has taken place is no longer permitted: its permission would come after it."""
	return visit_date < today


def all_acknowledged(stamps: Iterable[str | None]) -> bool:
	stamps = list(stamps)
	return bool(stamps) and all(stamps)


def open_decisions(closed_stamps: Iterable[str | None]) -> int:
	return sum(1 for stamp in closed_stamps if not stamp)
