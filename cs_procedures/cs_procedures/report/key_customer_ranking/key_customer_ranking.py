"""重点客户管理表 (002 ch3 §9): the top customers of a year by sales, by sales growth and by margin,
side by side, from the year's submitted Sales Invoices (returns deducted). The margin is ERPNext's
gross profit (its Gross Profit report, grouped by customer) over the selling amount."""

import frappe
from frappe.utils import cint, flt, getdate

from cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record import year_sales
from cs_procedures.cs_procedures.report.columns import declared
from cs_procedures.procedures import grading as rules


def execute(filters=None):
	filters = frappe._dict(filters or {})
	year = cint(filters.year) or getdate().year
	count = min(max(cint(filters.count) or 10, 1), 100)
	company = filters.company or None
	if company:
		frappe.has_permission("Company", "read", company, throw=True)
	current, previous = year_sales(year, company), year_sales(year - 1, company)
	margins = gross_margins(year, company)
	customers = set(current) | set(margins)
	rows = [
		{
			"customer": customer,
			"sales": current.get(customer),
			"growth": rules.growth(current.get(customer), previous.get(customer))
			if current.get(customer) is not None
			else None,
			"margin": margins.get(customer),
		}
		for customer in customers
	]
	by_sales = rules.top([row for row in rows if flt(row["sales"]) > 0], "sales", count)
	by_growth = rules.top(rows, "growth", count)
	by_margin = rules.top(rows, "margin", count)
	key = set(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", list(customers) or [""]), "cs_key_customer": 1},
			pluck="name",
		)
	)
	data = []
	for rank in range(max(len(by_sales), len(by_growth), len(by_margin))):
		row = {"rank": rank + 1}
		for prefix, ranked, value in (
			("sales", by_sales, "sales"),
			("growth", by_growth, "growth"),
			("margin", by_margin, "margin"),
		):
			if rank < len(ranked):
				row[f"{prefix}_customer"] = ranked[rank]["customer"]
				row[f"{prefix}_value"] = flt(ranked[rank][value])
				row[f"{prefix}_key"] = 1 if ranked[rank]["customer"] in key else 0
		data.append(row)
	return columns(), data


def columns():
	return declared(__file__)


def gross_margins(year: int, company: str | None) -> dict:
	"""Gross profit over selling amount, in percent, by customer (ERPNext's Gross Profit report)."""
	from erpnext.accounts.report.gross_profit.gross_profit import GrossProfitGenerator

	companies = (
		[company]
		if company
		else frappe.get_all(
			"Sales Invoice",
			filters={"docstatus": 1, "posting_date": ("between", (f"{year}-01-01", f"{year}-12-31"))},
			pluck="company",
			distinct=True,
		)
	)
	amount, profit = {}, {}
	for name in companies:
		generator = GrossProfitGenerator(
			frappe._dict(
				company=name,
				from_date=f"{year}-01-01",
				to_date=f"{year}-12-31",
				group_by="Customer",
				currency=frappe.get_cached_value("Company", name, "default_currency"),
			)
		)
		for row in generator.grouped_data:
			if not row.get("customer"):
				continue
			amount[row.customer] = amount.get(row.customer, 0) + flt(row.base_amount)
			profit[row.customer] = profit.get(row.customer, 0) + flt(row.gross_profit)
	return {
		customer: flt(profit[customer] * 100 / amount[customer], 2)
		for customer in amount
		if amount[customer] > 0
	}
