"""客户分级表 (002 ch3 §8): the customers of a graded year by grade (A to E), each with its trade
(customer group, industry), name and code, its net sales and its share as the grading measured it."""

import frappe
from frappe.utils import cint, getdate

from cs_procedures.cs_procedures.report.columns import declared, escape_values


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
	return declared(__file__)
