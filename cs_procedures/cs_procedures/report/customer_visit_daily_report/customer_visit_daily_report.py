"""客户拜访日报表 (002 ch3 §16): one salesperson's visits of one day, with what came of them."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from cs_procedures.cs_procedures.report.columns import declared, escape_values, translate_values
from cs_procedures.procedures import visits as rules


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.get("salesperson") or not filters.get("date"):
		frappe.throw(_("Select a salesperson and a day."), title=_("Invalid Filters"))
	rows = frappe.get_list(
		"Customer Visit",
		filters={
			"salesperson": filters.salesperson,
			"visit_date": getdate(filters.date),
			"docstatus": ("<", 2),
		},
		fields=[
			"name",
			"customer",
			"customer_name",
			"contact",
			"purpose",
			"summary",
			"outcome",
			"problems_solved",
			"problems_open",
			"companions",
			"total_expense",
			"unplanned",
			"docstatus",
		],
		order_by="creation asc",
	)
	for row in rows:
		row.purpose_code = rules.PURPOSE_CODES.get(row.purpose)
		row.outcome_code = (row.outcome or "")[:1] or None
		row.recorded = _("Recorded") if row.docstatus == 1 else _("Draft")
	translate_values(rows, ("purpose", "outcome"))
	escape_values(rows, ("customer_name", "summary", "problems_solved", "problems_open", "companions"))
	return columns(), rows, None, None, summary(rows)


def summary(rows):
	return [
		{"value": len(rows), "label": _("Visits Today"), "datatype": "Int"},
		{
			"value": sum(1 for row in rows if row.problems_solved),
			"label": _("Problems Handled Today"),
			"datatype": "Int",
		},
		{
			"value": sum(1 for row in rows if row.problems_open),
			"label": _("Problems Not Yet Handled"),
			"datatype": "Int",
			"indicator": "orange",
		},
		{
			"value": sum(flt(row.total_expense) for row in rows),
			"label": _("Expenses"),
			"datatype": "Currency",
		},
	]


def columns():
	return declared(__file__)
