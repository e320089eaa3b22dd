"""產品故障維修統計表 (002 ch5 §6): the warranty claims reported in a period, one row each with the
fault, its cause, the result of the repair and what it cost; or counted by fault category or item.

The repair cost is the estimate the CS manager approves on the claim (001 4.12.3); the parts cost is
what the submitted Maintenance Visits of the claim used."""

import re
from html import unescape

import frappe
from frappe import _
from frappe.utils import strip_html

from cs_procedures.cs_procedures.report.after_sales_filters import period_values
from cs_procedures.cs_procedures.report.columns import (
	bar_chart,
	declared,
	escape_text,
	escape_values,
	group_column,
	group_of,
	translate_values,
)

# group_by filter value -> (SQL expression, column label, column type, link target)
GROUPS = {
	"Fault Category": ("w.cs_fault_category", "Fault Category", "Data", None),
	"Item": ("w.item_code", "Item", "Link", "Item"),
}
EQUALITY_FILTERS = {
	"customer": "w.customer",
	"item_code": "w.item_code",
	"fault_category": "w.cs_fault_category",
	"status": "w.status",
}
# the parts cost of each claim of the period: its submitted visits, each counted once per claim
PARTS = """left join (
		select p.claim, sum(v.cs_parts_cost) as parts_cost
		from (
			select distinct parent, prevdoc_docname as claim
			from `tabMaintenance Visit Purpose`
			where parenttype = 'Maintenance Visit' and prevdoc_doctype = 'Warranty Claim'
				and prevdoc_docname in (
					select name from `tabWarranty Claim` where complaint_date between %(from_date)s and %(to_date)s)
		) p
		join `tabMaintenance Visit` v on v.name = p.parent and v.docstatus = 1
		group by p.claim
	) parts on parts.claim = w.name"""
LINE_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>|</li>", re.IGNORECASE)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = group_of(filters, GROUPS)
	where, values = where_clause(filters)
	chart_rows = frappe.db.sql(
		f"""select w.cs_fault_category as grp, count(*) as claims, sum(w.status = 'Closed') as closed
		from `tabWarranty Claim` w where {where} group by grp order by claims desc, grp""",
		values,
		as_dict=True,
	)
	if group_by:
		expression, label, fieldtype, options = GROUPS[group_by]
		rows = frappe.db.sql(
			f"""select {expression} as grp, count(*) as claims, sum(w.status = 'Closed') as closed,
				sum(w.cs_repair_cost) as repair_cost, sum(coalesce(parts.parts_cost, 0)) as parts_cost
			from `tabWarranty Claim` w
			{PARTS}
			where {where}
			group by grp
			order by claims desc, grp""",
			values,
			as_dict=True,
		)
		if group_by == "Fault Category":
			for row in rows:
				row.grp = escape_text(_(row.grp)) if row.grp else _("Not Set")
		return grouped_columns(label, fieldtype, options), rows, None, chart(chart_rows)
	rows = frappe.db.sql(
		f"""select w.name as warranty_claim, w.complaint_date, w.customer, w.customer_name, w.item_code,
			w.item_name, w.cs_fault_category as fault_category, w.complaint as fault_description,
			w.cs_fault_cause as fault_cause, w.warranty_amc_status, w.status,
			w.resolution_details, w.resolved_by, w.resolution_date, w.cs_repair_cost as repair_cost,
			w.cs_repair_cost_status as repair_cost_status, coalesce(parts.parts_cost, 0) as parts_cost,
			w.cs_customer_complaint as customer_complaint
		from `tabWarranty Claim` w
		{PARTS}
		where {where}
		order by w.complaint_date desc, w.name desc""",
		values,
		as_dict=True,
	)
	for row in rows:
		row.fault_description = plain_text(row.fault_description)
	translate_values(rows, ("fault_category", "warranty_amc_status", "status", "repair_cost_status"))
	escape_values(rows, ("customer_name", "item_name", "fault_cause", "resolution_details", "resolved_by"))
	return columns(), rows, None, chart(chart_rows)


def where_clause(filters) -> tuple[str, dict]:
	values = period_values(filters)
	clauses = ["w.complaint_date between %(from_date)s and %(to_date)s"]
	for field, expression in EQUALITY_FILTERS.items():
		if filters.get(field):
			clauses.append(f"{expression} = %({field})s")
			values[field] = filters.get(field)
	return " and ".join(clauses), values


def plain_text(html):
	"""The words of a Text Editor field, on one line and escaped like any Data cell."""
	if not html:
		return None
	text = unescape(strip_html(LINE_BREAKS.sub(" ", html)))
	return escape_text(" ".join(text.split())) or None


def columns():
	return declared(__file__)


def grouped_columns(label, fieldtype, options):
	return [group_column(label, fieldtype, options), *declared(__file__, "grouped_columns")]


def chart(rows):
	return bar_chart(rows, {_("Warranty Claims"): "claims", _("Closed"): "closed"}, translate=True)
