"""The rules of the complaint statistics summed per month (procedures/statistics.py)."""

from datetime import date, datetime, timedelta

from cs_procedures.procedures import statistics as rules


def test_whole_months_of_a_period():
	assert rules.whole_months(date(2026, 1, 15), date(2026, 11, 21)) == (date(2026, 2, 1), date(2026, 11, 1))
	assert rules.whole_months(date(2026, 1, 1), date(2026, 2, 1)) == (date(2026, 1, 1), date(2026, 2, 1))
	assert rules.whole_months(date(2025, 12, 2), date(2026, 1, 31)) is None  # no month lies whole inside
	assert rules.whole_months(None, date(2026, 3, 5)) == (None, date(2026, 3, 1))
	assert rules.whole_months(date(2026, 12, 5), None) == (date(2027, 1, 1), None)
	assert rules.whole_months(None, None) == (None, None)


def test_a_repeat_is_within_a_year_of_the_previous_complaint():
	start = datetime(2025, 1, 1, 9)
	flags = rules.repeats(
		[
			("B", start + timedelta(days=365)),  # exactly a year after A: a repeat
			("A", start),
			("C", start + timedelta(days=731)),  # a year and a day after B: not
			("E", start + timedelta(days=731)),  # the same second as C: the greater name repeats it
			("D", start + timedelta(days=731)),
		]
	)
	assert flags == {"A": False, "B": True, "C": False, "D": True, "E": True}


def test_partial_sums_combine_into_the_report_row():
	empty = dict.fromkeys(rules.SUMS, 0)
	parts = [
		{**empty, "grp": "2026-01", "complaints": 2, "sheet_counted": 2, "sheet_on_time": 1, "close_minutes": 90, "closes_timed": 1},
		{**empty, "grp": "2026-01", "complaints": 1, "sheet_counted": 1, "sheet_on_time": 1, "close_minutes": 30, "closes_timed": 1},
		{**empty, "grp": "2026-02", "complaints": 1, "loss_amount": None},
	]  # fmt: skip
	groups = rules.combine(parts)
	january = rules.figures(groups["2026-01"])
	assert january["complaints"] == 3
	assert january["sheet_on_time_pct"] == 66.7
	assert january["mean_hours_to_close"] == 1.0
	assert january["countermeasure_on_time_pct"] is None  # nothing counted
	assert rules.figures(groups["2026-02"])["loss_amount"] == 0.0
