from datetime import date, timedelta

import pytest

from cs_procedures.procedures import visits as v

INTERVALS = {"A": 30, "B": 60, "C": 90, "D": 180, "E": 0}


@pytest.mark.parametrize(
	"grade, days",
	[("A", 30), ("B", 60), ("E", 0), (None, 45), ("", 45), ("Z", 45)],
)
def test_visit_interval_by_grade_with_a_default(grade, days):
	assert v.visit_interval(grade, INTERVALS, 45) == days


def test_negative_intervals_mean_no_visit():
	assert v.visit_interval("A", {"A": -5}, 10) == 0
	assert v.visit_interval(None, {}, -1) == 0


def test_next_visit_due_counts_from_the_last_visit_or_the_customer_creation():
	assert v.next_visit_due(date(2026, 1, 10), date(2025, 1, 1), 30) == date(2026, 2, 9)
	assert v.next_visit_due(None, date(2026, 1, 1), 30) == date(2026, 1, 31)
	assert v.next_visit_due(date(2026, 1, 10), date(2025, 1, 1), 0) is None


def test_overdue_only_after_the_due_day():
	due = date(2026, 3, 1)
	assert not v.is_overdue(due, due)
	assert v.is_overdue(due, due + timedelta(days=1))
	assert not v.is_overdue(None, due)


def test_overdue_customers_by_grade():
	today = date(2026, 6, 1)
	customers = [
		("A visited lately", "A", date(2025, 1, 1)),
		("A overdue", "A", date(2025, 1, 1)),
		("E never visited", "E", date(2020, 1, 1)),
		("ungraded new", None, date(2026, 5, 1)),
		("ungraded old", None, date(2026, 1, 1)),
	]
	last = {"A visited lately": date(2026, 5, 20), "A overdue": date(2026, 4, 1)}
	assert v.overdue_customers(customers, last, INTERVALS, 90, today) == [
		("A overdue", date(2026, 5, 1)),
		("ungraded old", date(2026, 4, 1)),
	]


def test_one_reminder_key_per_customer_and_period():
	assert v.reminder_key("C1", date(2026, 5, 1)) == v.reminder_key("C1", date(2026, 5, 1))
	assert v.reminder_key("C1", date(2026, 5, 1)) != v.reminder_key("C1", date(2026, 6, 1))
	assert v.reminder_key("C1", date(2026, 5, 1)) != v.reminder_key("C2", date(2026, 5, 1))


def test_plan_covers_the_customer_near_its_planned_day():
	planned = [("C1", date(2026, 5, 10)), ("C2", date(2026, 5, 20))]
	assert v.plan_covers(planned, "C1", date(2026, 5, 10), 0)
	assert v.plan_covers(planned, "C1", date(2026, 5, 13), 3)
	assert not v.plan_covers(planned, "C1", date(2026, 5, 14), 3)
	assert not v.plan_covers(planned, "C3", date(2026, 5, 10), 30)
	assert not v.plan_covers([], "C1", date(2026, 5, 10), 30)


def test_plan_rows_inside_the_period_and_not_twice():
	start, end = date(2026, 5, 1), date(2026, 5, 31)
	rows = [
		(1, "C1", date(2026, 5, 2)),
		(2, "C1", date(2026, 5, 2)),
		(3, "C2", date(2026, 6, 2)),
		(4, "C3", None),
		(5, "C1", date(2026, 5, 3)),
	]
	assert v.plan_row_problems(rows, start, end) == [
		(2, "duplicate"),
		(3, "outside_period"),
		(4, "outside_period"),
	]
	assert v.plan_row_problems(rows, end, start) == [(0, "period")]


@pytest.mark.parametrize(
	"covered, permitted, needed",
	[(True, False, False), (False, True, False), (False, False, True), (True, True, False)],
)
def test_an_unplanned_visit_needs_permission(covered, permitted, needed):
	assert v.needs_permission(covered, permitted) is needed


def test_acknowledgements_and_open_decisions():
	assert v.all_acknowledged(["a", "b"])
	assert not v.all_acknowledged(["a", None])
	assert not v.all_acknowledged([])
	assert v.open_decisions(["x", None, ""]) == 2


def test_codes_of_the_daily_report():
	assert v.PURPOSE_CODES == {
		"First Visit": "a",
		"Solving a Problem": "b",
		"Building the Relationship": "c",
	}
	assert [o[0] for o in v.OUTCOMES] == list("ABCDE")


def test_permission_comes_before_the_visit():
	"""000 II-1.3: an unplanned visit is permitted before it takes place."""
	day = date(2026, 12, 10)
	assert v.permission_problem(True, day, None) is None
	assert v.permission_problem(False, day, None) == "not_permitted"
	assert v.permission_problem(False, day, date(2026, 12, 9)) is None
	assert v.permission_problem(False, day, day) is None
	assert v.permission_problem(False, day, date(2026, 12, 11)) == "permitted_after_visit"
	assert v.too_late_to_permit(date(2026, 12, 9), day) and not v.too_late_to_permit(day, day)
