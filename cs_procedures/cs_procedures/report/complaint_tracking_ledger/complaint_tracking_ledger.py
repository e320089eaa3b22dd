"""客户投诉案件追踪表: one line per complaint with its deadlines, timeliness and outcome."""

import frappe
from frappe import _

from cs_procedures.cs_procedures.report.columns import declared, escape_values, translate_values
from cs_procedures.cs_procedures.report.complaint_filters import (
	COUNTERMEASURE_COUNTED,
	COUNTERMEASURE_ON_TIME,
	IMPORTED,
	SHEET_COUNTED,
	SHEET_ON_TIME,
	where_clause,
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	where, values = where_clause(filters)
	if filters.open_only:
		where += " and c.docstatus = 0"
	if filters.overdue_only:
		where += " and c.is_overdue = 1"
	# the stamps leave MariaDB as text, as the grid shows them (parsing thousands of datetimes in Python
	# and serialising them back cost most of the report's time)
	rows = frappe.db.sql(
		f"""
		select c.name, {as_text("received_on")}, c.customer, c.customer_name, c.complaint_type, c.urgency, c.subject,
			c.delivery_note, c.item_code, c.qty, c.defect_qty, c.defect_rate, c.responsible_department,
			c.workflow_state, c.follower, {as_text("sheet_due_by")}, {as_text("sheet_issued_on")},
			case when {SHEET_COUNTED} then {SHEET_ON_TIME} end as sheet_on_time,
			{as_text("countermeasure_due_by")}, {as_text("countermeasure_approved_on")},
			case when {COUNTERMEASURE_COUNTED} then {COUNTERMEASURE_ON_TIME} end as countermeasure_on_time,
			{as_text("replied_on")}, {as_text("closed_on")}, c.is_overdue, c.escalated_to_vp, c.handling_method, c.loss_amount,
			c.shipped_on, c.claimed_qty, c.claimed_amount, c.cause_class, c.stage_at_fault, c.penalty,
			c.reminders_sent, {IMPORTED} as imported,
			(select group_concat(
					concat(d.department, if(ifnull(d.share, 0) > 0, concat(' ', round(d.share, 1), ' %%'), ''),
						': ', if(d.approved_on is null, %(pending)s,
						if(d.approved_on <= c.countermeasure_due_by, %(on_time)s, %(late)s)))
					order by d.idx separator '; ')
				from `tabComplaint Responsibility` d
				where d.parent = c.name and d.parenttype = 'Customer Complaint') as departments
		from `tabCustomer Complaint` c
		where {where}
		order by c.received_on desc
		""",
		{**values, "pending": _("pending"), "on_time": _("approved on time"), "late": _("approved late")},
		as_dict=True,
	)
	yes, no = _("Yes"), _("No")
	for row in rows:
		for field in ("sheet_on_time", "countermeasure_on_time"):
			row[field] = None if row[field] is None else (yes if row[field] else no)
	translate_values(
		rows,
		("workflow_state", "complaint_type", "urgency", "handling_method", "cause_class", "stage_at_fault"),
	)
	escape_values(
		rows, ("customer_name", "subject", "departments", "penalty")
	)  # e-mailed complaints bring the customer's subject
	return columns(), rows


def as_text(field: str) -> str:
	"""A Datetime column of the complaint as the text the report shows, to the second."""
	return f"date_format(c.{field}, '%%Y-%%m-%%d %%H:%%i:%%s') as {field}"


def columns():
	return declared(__file__)
