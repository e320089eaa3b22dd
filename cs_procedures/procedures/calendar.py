"""Working-hour arithmetic for procedure deadlines.

The complaint procedure counts its deadlines ("issue the sheet within 2 hours",
"fill the countermeasure within 4 hours") in working hours: time outside the
daily working window and on holidays does not count. Server time is naive local
time without DST jumps, as in Frappe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

# A calendar with no working day in ten years is a configuration error, not a
# reason to loop forever.
MAX_DAYS_SEARCHED = 3660


@dataclass(frozen=True)
class WorkingCalendar:
	"""A daily working window and the dates on which nobody works."""

	start: time
	end: time
	holidays: frozenset[date] = field(default_factory=frozenset)
	# the seeds write 2小时内 / 4小时以内 without saying which hours: working hours unless a site says
	# it counts its deadlines on the clock (every hour, day and night, holidays too)
	clock_hours: bool = False

	def __post_init__(self):
		if self.end <= self.start:
			raise ValueError("The working day must end after it starts")

	@classmethod
	def of(
		cls, start: time, end: time, holidays: Iterable[date] = (), clock_hours: bool = False
	) -> WorkingCalendar:
		return cls(start, end, frozenset(holidays), clock_hours)

	def is_working_day(self, day: date) -> bool:
		return day not in self.holidays

	def window(self, day: date) -> tuple[datetime, datetime]:
		return datetime.combine(day, self.start), datetime.combine(day, self.end)


def add_working_hours(start: datetime, hours: float, calendar: WorkingCalendar) -> datetime:
	"""The moment `hours` working hours after `start` (clock hours on a calendar that counts them).

	A start outside working time counts from the next opening. A deadline that
	falls exactly at closing time stays there rather than moving to the next
	morning.
	"""
	if hours < 0:
		raise ValueError("hours must not be negative")
	if calendar.clock_hours:
		return start + timedelta(hours=hours)
	remaining = timedelta(hours=hours)
	current = start
	for _ in range(MAX_DAYS_SEARCHED):
		day = current.date()
		if calendar.is_working_day(day):
			opens, closes = calendar.window(day)
			current = max(current, opens)
			if current < closes or (current == closes and not remaining):
				available = closes - current
				if remaining <= available:
					return current + remaining
				remaining -= available
		current = datetime.combine(day + timedelta(days=1), time.min)
	raise ValueError("No working day found in the calendar")
