"""Complaint statistics (客户投诉统计表) by month, type, department, customer, item, cause or stage at fault."""

import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures.cs_procedures.report.columns import (
	bar_chart,
	declared,
	escape_text,
	group_column,
	group_of,
)
from cs_procedures.cs_procedures.report.complaint_filters import (
	COUNTERMEASURE_COUNTED,
	COUNTERMEASURE_ON_TIME,
	IMPORTED,
	IMPORTED_WITHOUT_STAMPS,
	PART_COUNTED,
	PART_ON_TIME,
	SHEET_COUNTED,
	SHEET_ON_TIME,
	history_columns,
	history_message,
	where_clause,
)

# group_by filter value -> (SQL expression, column label, column type, link target)
GROUPS = {
	"Month": ("date_format(c.received_on, '%%Y-%%m')", "Month", "Data", None),
	"Complaint Type": ("c.complaint_type", "Complaint Type", "Data", None),
	"Responsible Department": ("d.department", "Responsible Department", "Link", "Department"),
	"Customer": ("c.customer", "Customer", "Link", "Customer"),
	"Item": ("c.item_code", "Item", "Link", "Item"),
	# 002 ch6 §10 the cause (严重 / 偶发 / 疏忽 / 不可抗拒), §13 the stage at fault (运输 / 加工 / 管理 / 其他)
	"Cause": ("c.cause_class", "Cause", "Data", None),
	"Stage at Fault": ("c.stage_at_fault", "Stage at Fault", "Data", None),
	# one row for the period (the management review input reads its figures from it)
	"Whole Period": ("'-'", "Period", "Data", None),
}
# A repeat complaint: the same customer complained of the same type in the 365 days before.
# LAG() over one sorted pass finds each complaint's predecessor, earlier complaints included.
PREVIOUS = """join (
		select name, lag(received_on) over (partition by customer, complaint_type order by received_on) as previous_on
		from `tabCustomer Complaint`
		where docstatus < 2 {since}
	) r on r.name = c.name"""
# by department: each department named on a sheet has its share, its countermeasure on time by its own approval
BY_DEPARTMENT = (
	"""join `tabComplaint Responsibility` d on d.parent = c.name and d.parenttype = 'Customer Complaint'"""
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = group_of(filters, GROUPS, "Month")
	expression, label, fieldtype, options = GROUPS[group_by]
	where, values = where_clause(filters)
	since = "and received_on >= %(from_date)s - interval 365 day" if filters.from_date else ""
	previous = PREVIOUS.format(since=since)
	counted, on_time = COUNTERMEASURE_COUNTED, COUNTERMEASURE_ON_TIME
	if group_by == "Responsible Department":
		previous += "\n" + BY_DEPARTMENT
		counted, on_time = PART_COUNTED, PART_ON_TIME
	rows = frappe.db.sql(
		f"""
		select {expression} as grp,
			count(*) as complaints,
			sum(c.workflow_state = 'Closed') as closed,
			100 * sum({SHEET_COUNTED} and {SHEET_ON_TIME}) / nullif(sum({SHEET_COUNTED}), 0) as sheet_on_time_pct,
			100 * sum({counted} and {on_time}) / nullif(sum({counted}), 0) as countermeasure_on_time_pct,
			avg(case when c.workflow_state = 'Closed'
				then timestampdiff(minute, c.received_on, c.closed_on) / 60 end) as mean_hours_to_close,
			sum(c.loss_amount) as loss_amount,
			sum(c.claimed_amount) as claimed_amount,
			coalesce(sum(r.previous_on >= c.received_on - interval 365 day), 0) as repeat_complaints,
			coalesce(sum(c.reopen_count), 0) as reopened,
			coalesce(sum({IMPORTED}), 0) as imported,
			coalesce(sum({IMPORTED_WITHOUT_STAMPS}), 0) as imported_without_stamps
		from `tabCustomer Complaint` c
		{previous}
		where {where}
		group by grp
		order by grp
		""",
		values,
		as_dict=True,
	)
	for row in rows:
		if group_by in ("Complaint Type", "Cause", "Stage at Fault") and row.grp:
			row.grp = _(row.grp)
		if fieldtype == "Data":  # a Link cell is built with innerText; its value must stay the name
			row.grp = escape_text(row.grp)
		for field in ("sheet_on_time_pct", "countermeasure_on_time_pct", "mean_hours_to_close"):
			row[field] = None if row[field] is None else flt(row[field], 1)
	return (
		columns(label, fieldtype, options),
		rows,
		history_message(sum(row.imported_without_stamps for row in rows)),
		chart(rows),
	)


def columns(label, fieldtype, options):
	return [group_column(label, fieldtype, options), *declared(__file__), *history_columns()]


def chart(rows):
	return bar_chart(rows, {_("Complaints"): "complaints", _("Repeat Complaints"): "repeat_complaints"})
