from datetime import date

from cs_procedures.procedures import figures as f


def test_month_bounds():
	assert f.month_start(date(2026, 11, 17)) == date(2026, 11, 1)
	assert f.month_end(date(2026, 2, 3)) == date(2026, 2, 28)
	assert f.month_end(date(2028, 2, 3)) == date(2028, 2, 29)
	assert f.month_end(date(2026, 12, 31)) == date(2026, 12, 31)
	assert f.next_month(date(2026, 12, 31)) == date(2027, 1, 1)
	assert f.previous_month(date(2027, 1, 1)) == date(2026, 12, 1)
	assert f.previous_month(date(2026, 3, 31)) == date(2026, 2, 1)
	assert f.months_back(date(2026, 11, 30), 11) == date(2025, 12, 1)
	assert f.months_back(date(2026, 11, 30), 0) == date(2026, 11, 1)
	assert f.month_key(date(2026, 3, 9)) == "2026-03"


def test_first_working_day_skips_the_holidays():
	weekend_and_new_year = {date(2028, 1, 1), date(2028, 1, 2), date(2028, 1, 3)}
	working = lambda day: day not in weekend_and_new_year  # noqa: E731
	assert f.first_working_day(date(2028, 1, 20), working) == date(2028, 1, 4)
	assert f.first_working_day(date(2028, 2, 20), working) == date(2028, 2, 1)
	assert f.first_working_day(date(2028, 1, 20), lambda day: False) is None
	# a holiday list naming the whole month does not reach into the next one
	assert f.first_working_day(date(2026, 2, 1), lambda day: day.month != 2) is None


def test_last_months_figures_go_out_from_the_first_working_day_on():
	holidays = {date(2026, 11, 1)}  # a Sunday
	working = lambda day: day not in holidays  # noqa: E731
	assert f.month_to_send(date(2026, 11, 1), working) is None
	assert f.month_to_send(date(2026, 11, 2), working) == date(2026, 10, 1)
	assert f.month_to_send(date(2026, 11, 30), working) == date(2026, 10, 1)  # the ones not yet told
	assert f.month_to_send(date(2027, 1, 1), lambda day: True) == date(2026, 12, 1)
	assert f.month_to_send(date(2027, 1, 9), lambda day: False) is None
