"""The period shared by the after-sales reports (001 4.12.5, 002 ch5 §5-6)."""

import frappe
from frappe import _
from frappe.utils import add_days, get_year_start, getdate, today


def period(filters) -> tuple:
	"""The report's first and last day (both included): from the start of this year to today unless
	the filters say otherwise."""
	from_date = getdate(filters.get("from_date") or get_year_start(today()))
	to_date = getdate(filters.get("to_date") or today())
	if from_date > to_date:
		frappe.throw(_("From Date must be before To Date."), title=_("Invalid Filters"))
	return from_date, to_date


def period_values(filters) -> dict:
	"""SQL values of the period; `to_next` is the day after it, for Datetime columns."""
	from_date, to_date = period(filters)
	return {"from_date": from_date, "to_date": to_date, "to_next": add_days(to_date, 1)}
