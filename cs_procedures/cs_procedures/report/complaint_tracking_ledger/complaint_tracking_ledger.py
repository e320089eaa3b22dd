"""客户投诉案件追踪表: one line per complaint with its deadlines, timeliness and outcome."""

import frappe
from frappe import _

from cs_procedures.cs_procedures.report.columns import (
	declared,
	declared_fields,
	escaped_sql,
	json_rows,
	translate_values,
)
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
	words = {
		"pending": _("pending"),
		"on_time": _("approved on time"),
		"late": _("approved late"),
		"yes": _("Yes"),
		"no": _("No"),
	}
	rows = json_rows(
		fields(),
		f"from `tabCustomer Complaint` c where {where} order by c.received_on desc",
		{**values, **words},
	)
	translate_values(
		rows,
		("workflow_state", "complaint_type", "urgency", "handling_method", "cause_class", "stage_at_fault"),
	)
	return columns(), rows


def as_text(field: str) -> str:
	"""A Datetime column of the complaint as the text the report shows, to the second."""
	return f"date_format(c.{field}, '%%Y-%%m-%%d %%H:%%i:%%s')"


STAMPS = (
	"received_on",
	"sheet_due_by",
	"sheet_issued_on",
	"countermeasure_due_by",
	"countermeasure_approved_on",
	"replied_on",
	"closed_on",
)
# free text, escaped by MariaDB as escape_text does (e-mailed complaints bring the customer's subject; the
# departments' line below is escaped whole)
ESCAPED = ("customer_name", "subject", "penalty")
# the columns worked out in SQL; every other one is the complaint's field of that name
WORKED_OUT = {
	"sheet_on_time": f"case when {SHEET_COUNTED} then if({SHEET_ON_TIME}, %(yes)s, %(no)s) end",
	"countermeasure_on_time": (
		f"case when {COUNTERMEASURE_COUNTED} then if({COUNTERMEASURE_ON_TIME}, %(yes)s, %(no)s) end"
	),
	"imported": IMPORTED,
	# the departments the sheet names, each with how its countermeasure stands (read from the
	# responsibility index alone: see on_doctype_update of Complaint Responsibility)
	"departments": escaped_sql(
		"""(select group_concat(
			concat(d.department, if(ifnull(d.share, 0) > 0, concat(' ', round(d.share, 1), ' %%'), ''),
				': ', if(d.approved_on is null, %(pending)s,
				if(d.approved_on <= c.countermeasure_due_by, %(on_time)s, %(late)s)))
			order by d.idx separator '; ')
		from `tabComplaint Responsibility` d
		where d.parent = c.name and d.parenttype = 'Customer Complaint')"""
	),
	**{field: escaped_sql(f"c.{field}") for field in ESCAPED},
}


def fields() -> dict[str, str]:
	"""Each declared column and the SQL that gives it."""
	return {
		field: WORKED_OUT.get(field) or (as_text(field) if field in STAMPS else f"c.{field}")
		for field in declared_fields(__file__)
	}


def columns():
	return declared(__file__)
