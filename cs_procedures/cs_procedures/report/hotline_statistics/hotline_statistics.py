"""Hotline figures (002 ch8 §4-5, the inbound and outbound call logs summed up): calls per day, per hour of
the day, per agent or per subject; the share of incoming calls answered, the mean wait and talking time,
and the complaints made of the calls."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from cs_procedures.cs_procedures.report.columns import (
	bar_chart,
	declared,
	escape_text,
	group_column,
	group_of,
)
from cs_procedures.procedures import calls as rules

# group_by filter value -> (SQL expression, column label, column type, link target)
WHEN = "coalesce(c.start_time, c.creation)"
GROUPS = {
	"Day": (f"date({WHEN})", "Day", "Date", None),
	"Month": (f"date_format({WHEN}, '%%Y-%%m')", "Month", "Data", None),
	"Hour of Day": (f"lpad(hour({WHEN}), 2, '0')", "Hour of Day", "Data", None),
	"Agent": ("c.cs_answered_by", "Agent", "Link", "User"),
	"Call About": ("c.cs_call_purpose", "Call About", "Data", None),
	"Whole Period": ("'-'", "Period", "Data", None),
}
ANSWERED = "c.status in %(answered)s"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = group_of(filters, GROUPS, "Day")
	expression, label, fieldtype, options = GROUPS[group_by]
	conditions = [f"{WHEN} >= %(from_date)s", f"{WHEN} < %(to_date)s + interval 1 day"]
	values = {
		"from_date": getdate(filters.from_date or "1900-01-01"),
		"to_date": getdate(filters.to_date or "2999-12-31"),
		"answered": rules.ANSWERED,
	}
	for field in ("type", "customer"):
		if filters.get(field):
			conditions.append(f"c.`{field}` = %({field})s")
			values[field] = filters.get(field)
	rows = frappe.db.sql(
		f"""
		select {expression} as grp,
			count(*) as calls,
			sum(c.type = 'Incoming') as incoming,
			sum(c.type = 'Outgoing') as outgoing,
			sum(c.type = 'Incoming' and {ANSWERED}) as answered,
			avg(case when c.type = 'Incoming' then c.cs_wait_seconds end) as mean_wait,
			avg(case when {ANSWERED} then c.duration end) as mean_talk,
			sum(coalesce(c.cs_customer_complaint, '') != '') as complaints
		from `tabCall Log` c
		where {" and ".join(conditions)}
		group by grp
		order by grp
		""",
		values,
		as_dict=True,
	)
	for row in rows:
		for field in ("calls", "incoming", "outgoing", "answered", "complaints"):
			row[field] = int(row[field] or 0)
		row.answered_pct = rules.share(row.answered, row.incoming)
		row.complaints_per_call = flt(row.complaints / row.calls, 3) if row.calls else None
		for field in ("mean_wait", "mean_talk"):
			row[field] = None if row[field] is None else flt(row[field], 1)
		if group_by == "Hour of Day" and row.grp is not None:
			row.grp = f"{row.grp}:00"
		if group_by == "Call About" and row.grp:
			row.grp = _(row.grp)
		if fieldtype == "Data":  # a Link cell is built with innerText; its value must stay the name
			row.grp = escape_text(row.grp)
	return columns(label, fieldtype, options), rows, None, chart(rows)


def columns(label, fieldtype, options):
	return [group_column(label, fieldtype, options, 140), *declared(__file__)]


def chart(rows):
	# a day is a date: the chart's labels are text
	labelled = [frappe._dict(row, grp=None if row.grp is None else str(row.grp)) for row in rows]
	return bar_chart(
		labelled, {_("Calls"): "calls", _("Answered"): "answered", _("Complaints"): "complaints"}
	)
