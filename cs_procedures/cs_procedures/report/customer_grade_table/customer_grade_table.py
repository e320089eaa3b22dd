"""客户分级表 (002 ch3 §8): the customers of a graded year by grade (A to E), each with its trade
(customer group, industry), name and code, its net sales and its share as the grading measured it."""

import frappe
from frappe import _
from frappe.utils import cint, getdate

from cs_procedures.cs_procedures.report.columns import column, escape_values


def execute(filters=None):
	filters = frappe._dict(filters or {})
	year = cint(filters.year) or getdate().year - 1
	conditions = {"grading_year": year}
	if filters.grade:
		conditions["grade"] = filters.grade
	rows = frappe.get_list(
		"Customer Grade Record",
		filters=conditions,
		fields=[
			"name",
			"grade",
			"customer",
			"customer_name",
			"sales",
			"share",
			"computed_grade",
			"overridden",
		],
		order_by="grade asc, sales desc, customer asc",
		limit_page_length=0,
	)
	details = {
		row.name: row
		for row in frappe.get_all(
			"Customer",
			filters={"name": ("in", [row.customer for row in rows] or [""])},
			fields=["name", "customer_group", "industry"],
		)
	}
	for row in rows:
		customer = details.get(row.customer) or frappe._dict()
		row.trade = customer.industry or customer.customer_group
	escape_values(rows, ("customer_name", "trade"))
	return columns(), rows


def columns():
	return [
		column("grade", _("Customer Grade"), width=110),
		column("trade", _("Trade (业种)"), width=160),
		column("customer_name", _("Customer Name"), width=220),
		column("customer", _("Customer Code"), "Link", "Customer", 160),
		column("sales", _("Net Sales of the Year"), "Currency", width=140),
		column("share", _("Share of Sales"), "Percent", width=110),
		column("computed_grade", _("Computed Grade"), width=110),
		column("overridden", _("Changed by the CS Manager"), "Check", width=90),
		column("name", _("Grade Record"), "Link", "Customer Grade Record", 130),
	]
