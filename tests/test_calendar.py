from datetime import date, datetime, time

import pytest

from cs_procedures.procedures.calendar import WorkingCalendar, add_working_hours

# Mon 2026-11-16 .. Sun 2026-11-22; weekends are holidays as in an ERPNext Holiday List.
WEEKEND = {date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 28), date(2026, 11, 29)}
CAL = WorkingCalendar.of(time(8, 0), time(17, 30), WEEKEND)


def at(day, hour, minute=0):
	return datetime(2026, 11, day, hour, minute)


@pytest.mark.parametrize(
	"start, hours, expected",
	[
		(at(16, 9), 2, at(16, 11)),  # inside the window
		(at(16, 16), 2, at(17, 8, 30)),  # crosses the evening into the next morning
		(at(16, 15, 30), 2, at(16, 17, 30)),  # ends exactly at closing time
		(at(16, 6), 2, at(16, 10)),  # before opening: counts from 08:00
		(at(16, 19), 2, at(17, 10)),  # after closing: counts from the next opening
		(at(16, 23, 59), 4, at(17, 12)),  # just before midnight
		(at(20, 16), 4, at(23, 10, 30)),  # Friday afternoon crosses the weekend
		(at(21, 10), 2, at(23, 10)),  # received on a Saturday
		(at(16, 9), 0, at(16, 9)),  # zero hours
		(at(16, 9), 19, at(18, 9)),  # several whole days (9.5 h a day)
	],
)
def test_add_working_hours(start, hours, expected):
	assert add_working_hours(start, hours, CAL) == expected


def test_holiday_in_the_week_is_skipped():
	cal = WorkingCalendar.of(time(8, 0), time(17, 30), WEEKEND | {date(2026, 11, 17)})
	assert add_working_hours(at(16, 17), 2, cal) == at(18, 9, 30)


def test_fractional_hours():
	assert add_working_hours(at(16, 17), 0.75, CAL) == at(17, 8, 15)


def test_window_must_be_positive():
	with pytest.raises(ValueError):
		WorkingCalendar.of(time(17, 0), time(8, 0))


def test_negative_hours_rejected():
	with pytest.raises(ValueError):
		add_working_hours(at(16, 9), -1, CAL)


def test_calendar_without_working_days_fails_instead_of_looping():
	from datetime import timedelta

	every_day = {date(2026, 1, 1) + timedelta(days=i) for i in range(4000)}
	cal = WorkingCalendar.of(time(8, 0), time(17, 0), every_day)
	with pytest.raises(ValueError):
		add_working_hours(datetime(2026, 1, 1, 9), 1, cal)


@pytest.mark.parametrize(
	"start, hours, expected",
	[
		(at(16, 16), 2, at(16, 18)),  # past closing time: the clock runs on
		(at(20, 16), 4, at(20, 20)),  # Friday afternoon: the weekend counts too
		(at(21, 23), 2, at(22, 1)),  # a Saturday night, over midnight
	],
)
def test_clock_hours_count_every_hour(start, hours, expected):
	clock = WorkingCalendar.of(time(8, 0), time(17, 30), WEEKEND, clock_hours=True)
	assert add_working_hours(start, hours, clock) == expected
