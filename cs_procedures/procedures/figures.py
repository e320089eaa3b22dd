"""The month of the CS monthly figures (001 §4.10), free of Frappe.

The figures of a month go out on the first working day of the next month: the first day of it that the
site's holiday list (CS Settings, else the default company's) does not name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

# a calendar month holds at least one working day unless the holiday list is wrong: then nothing is sent
DAYS_IN_A_MONTH = 31


def month_start(day: date) -> date:
	return day.replace(day=1)


def month_end(day: date) -> date:
	"""The last day of the month of `day`."""
	return next_month(day) - timedelta(days=1)


def next_month(day: date) -> date:
	return (month_start(day) + timedelta(days=32)).replace(day=1)


def previous_month(day: date) -> date:
	"""The first day of the month before the month of `day`."""
	return month_start(month_start(day) - timedelta(days=1))


def months_back(day: date, count: int) -> date:
	"""The first day of the month `count` months before the month of `day`."""
	start = month_start(day)
	for _ in range(count):
		start = previous_month(start)
	return start


def first_working_day(day: date, is_working_day: Callable[[date], bool]) -> date | None:
	"""The first working day of the month of `day`; None when the calendar names no day of it."""
	start = month_start(day)
	for offset in range(DAYS_IN_A_MONTH):
		candidate = start + timedelta(days=offset)
		if candidate.month != start.month:
			return None
		if is_working_day(candidate):
			return candidate
	return None


def month_to_send(today: date, is_working_day: Callable[[date], bool]) -> date | None:
	"""The month whose figures go out (its first day): last month's, from the first working day of this
	month on (a recipient not yet told on that day, a failure or a scheduler that did not run, is told on
	a later day of the month); None before it."""
	first = first_working_day(today, is_working_day)
	if first is None or today < first:
		return None
	return previous_month(today)


def month_key(day: date) -> str:
	"""How a month is named in links and subjects: 2026-11."""
	return f"{day.year:04d}-{day.month:02d}"
