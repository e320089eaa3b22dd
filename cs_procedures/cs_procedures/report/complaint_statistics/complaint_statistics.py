"""Complaint statistics (客户投诉统计表) by month, type, department, customer, item, cause or stage at fault."""

import frappe
from frappe import _

from cs_procedures.complaint_summary import DIMENSIONS, TABLE, grouped_sql
from cs_procedures.cs_procedures.report.columns import (
	bar_chart,
	declared,
	escape_text,
	group_column,
	group_of,
)
from cs_procedures.cs_procedures.report.complaint_filters import (
	history_columns,
	history_message,
	where_clause,
)
from cs_procedures.procedures import statistics as rules

# group_by filter value -> (column label, column type, link target); each groups as complaint_summary.DIMENSIONS
# (the cause: 002 ch6 §10 严重 / 偶发 / 疏忽 / 不可抗拒; the stage at fault: §13 运输 / 加工 / 管理 / 其他;
# the whole period: one row, the management review input reads its figures from it)
GROUPS = {
	"Month": ("Month", "Data", None),
	"Complaint Type": ("Complaint Type", "Data", None),
	"Responsible Department": ("Responsible Department", "Link", "Department"),
	"Customer": ("Customer", "Link", "Customer"),
	"Item": ("Item", "Link", "Item"),
	"Cause": ("Cause", "Data", None),
	"Stage at Fault": ("Stage at Fault", "Data", None),
	"Whole Period": ("Period", "Data", None),
}
MONTH = "date_format(c.received_on, '%%Y-%%m')"
# filters the summary is kept for: a period; with it, one of these equality filters, read as the summary's
# rows of that dimension and value when the report groups by month, by the whole period or by that dimension
SUMMED_FILTERS = {"from_date", "to_date", "group_by"}
SUMMED_EQUALITY = {"customer": "Customer", "complaint_type": "Complaint Type", "item_code": "Item"}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = group_of(filters, GROUPS, "Month")
	label, fieldtype, options = GROUPS[group_by]
	groups = rules.combine(partial_sums(filters, group_by))
	rows = []
	for grp in sorted(groups, key=lambda value: (value != "", value.casefold())):
		row = frappe._dict(grp=grp or None, **rules.figures(groups[grp]))
		if group_by in ("Complaint Type", "Cause", "Stage at Fault") and row.grp:
			row.grp = _(row.grp)
		if fieldtype == "Data":  # a Link cell is built with innerText; its value must stay the name
			row.grp = escape_text(row.grp)
		rows.append(row)
	return (
		columns(label, fieldtype, options),
		rows,
		history_message(sum(row.imported_without_stamps for row in rows)),
		chart(rows),
	)


def partial_sums(filters, group_by: str) -> list[dict]:
	"""The period's partial sums by group: the submitted complaints from the summary (the months the
	period covers whole, the days at its edges), the open ones read live; everything live for other
	filters than those the summary answers (see SUMMED_FILTERS). A repeat is a complaint of the same
	customer and type within 365 days of an earlier one (procedures/statistics.repeats, kept on each
	complaint as `is_repeat`)."""
	where, values = where_clause(filters)
	by_department = group_by == "Responsible Department"
	expression = MONTH if group_by == "Month" else DIMENSIONS[group_by]
	summary = summary_of(filters, group_by)
	if summary is None:
		return frappe.db.sql(grouped_sql(expression, where, by_department), values, as_dict=True)
	start, end = values.get("from_date"), values.get("to_date")
	months = rules.whole_months(start, end)
	# the submitted complaints from the monthly rows of the months covered whole and the daily rows of
	# the days at the period's edges (of every day when no month lies whole inside); the open ones live
	if months is None:
		segments = [("Day", start, end)]
	else:
		first, after = months
		segments = [("Month", first, after), ("Day", start, first), ("Day", after, end)]
	parts = frappe.db.sql(
		grouped_sql(expression, f"{where} and c.docstatus = 0", by_department), values, as_dict=True
	)
	for granularity, low, high in segments:
		if granularity == "Day" and low == high:
			continue  # no edge on that side (or the period starts or ends with a month)
		parts += summed(group_by, summary, granularity, low, high)
	return parts


def summary_of(filters, group_by: str) -> tuple[str, str | None] | None:
	"""The summary's dimension (and value, for a filter) the report reads for these filters and grouping;
	None when it must read the complaints live (see SUMMED_FILTERS)."""
	other = {key for key, value in filters.items() if value} - SUMMED_FILTERS
	if not other:
		return ("Whole Period" if group_by == "Month" else group_by), None
	if len(other) == 1 and (key := other.pop()) in SUMMED_EQUALITY:
		dimension = SUMMED_EQUALITY[key]
		if group_by in ("Month", "Whole Period", dimension):
			return dimension, filters[key]
	return None


def summed(group_by: str, summary: tuple[str, str | None], granularity: str, low, high) -> list[dict]:
	"""Partial sums by group of the summary's rows of one dimension (and value), one granularity, starting
	in [low, high)."""
	grp = {"Month": "date_format(period_start, '%%Y-%%m')", "Whole Period": DIMENSIONS["Whole Period"]}.get(
		group_by, "value"
	)
	dimension, value = summary
	bounds = "".join(
		clause
		for clause, bound in (
			(" and period_start >= %(low)s", low),
			(" and period_start < %(high)s", high),
			(" and value = %(value)s", value),
		)
		if bound is not None
	)
	sums = ", ".join(f"sum({field}) as {field}" for field in rules.SUMS)
	return frappe.db.sql(
		f"""select {grp} as grp, {sums} from `{TABLE}`
		where dimension = %(dimension)s and granularity = %(granularity)s{bounds} group by grp""",
		{"dimension": dimension, "value": value, "granularity": granularity, "low": low, "high": high},
		as_dict=True,
	)


def columns(label, fieldtype, options):
	return [group_column(label, fieldtype, options), *declared(__file__), *history_columns()]


def chart(rows):
	return bar_chart(rows, {_("Complaints"): "complaints", _("Repeat Complaints"): "repeat_complaints"})
