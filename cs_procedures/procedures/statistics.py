"""Rules of the complaint statistics kept summed per month (issue 24): which months a period covers
whole, which complaints are repeats, and how partial sums combine into a report row. No frappe here."""

from datetime import date, datetime, timedelta

# 000 §3 / 002 ch6: a repeat complaint is one from the same customer, of the same type, at most this
# many days after an earlier one (the earlier one not cancelled); of two received the same second,
# the one with the greater name is the repeat
REPEAT_WINDOW = timedelta(days=365)

# the partial sums a group of complaints is kept as (the summary's columns, and a live query's)
SUMS = (
	"complaints",
	"closed",
	"sheet_counted",
	"sheet_on_time",
	"countermeasure_counted",
	"countermeasure_on_time",
	"close_minutes",
	"closes_timed",
	"loss_amount",
	"claimed_amount",
	"repeat_complaints",
	"reopened",
	"imported",
	"imported_without_stamps",
)


def month_start(day: date) -> date:
	return date(day.year, day.month, 1)


def next_month(day: date) -> date:
	return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def whole_months(start: date | None, end: date | None) -> tuple[date | None, date | None] | None:
	"""The months lying whole inside [start, end) (None: open on that side), as [first, after_last) of
	month starts; None when no month lies whole inside."""
	first = start if start is None or start.day == 1 else next_month(start)
	after = end if end is None else month_start(end)
	if first is not None and after is not None and first >= after:
		return None
	return first, after


def repeats(rows: list[tuple[str, datetime]]) -> dict[str, bool]:
	"""Whether each (name, received_on) of one customer and type repeats an earlier one."""
	flags, previous = {}, None
	for name, received in sorted(rows, key=lambda row: (row[1], row[0])):
		flags[name] = previous is not None and previous >= received - REPEAT_WINDOW
		previous = received
	return flags


def combine(parts: list[dict]) -> dict[str, dict]:
	"""Partial sums of the same group (`grp`) added up, groups kept apart."""
	groups: dict = {}
	for part in parts:
		total = groups.setdefault(part["grp"], dict.fromkeys(SUMS, 0))
		for field in SUMS:
			total[field] += part.get(field) or 0
	return groups


def figures(sums: dict) -> dict:
	"""A report row's figures from its partial sums: percentages and mean hours to one decimal, None
	where nothing was counted."""

	def share(part, whole):
		return None if not sums[whole] else round(100 * sums[part] / sums[whole], 1)

	return {
		"complaints": int(sums["complaints"]),
		"closed": int(sums["closed"]),
		"sheet_on_time_pct": share("sheet_on_time", "sheet_counted"),
		"countermeasure_on_time_pct": share("countermeasure_on_time", "countermeasure_counted"),
		"mean_hours_to_close": None
		if not sums["closes_timed"]
		else round(sums["close_minutes"] / sums["closes_timed"] / 60, 1),
		"loss_amount": float(sums["loss_amount"]),
		"claimed_amount": float(sums["claimed_amount"]),
		"repeat_complaints": int(sums["repeat_complaints"]),
		"reopened": int(sums["reopened"]),
		"imported": int(sums["imported"]),
		"imported_without_stamps": int(sums["imported_without_stamps"]),
	}
