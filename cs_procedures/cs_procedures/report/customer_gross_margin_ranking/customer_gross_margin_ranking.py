"""客户销售毛利排名表 (002 ch7 §7): every customer that bought in a period ranked by its gross margin,
highest first (no cut-off), from the lines of its submitted Sales Invoices (returns deducted).

Sales are the lines' base_net_amount. The cost is Sales Invoice Item incoming_rate × stock_qty: the
valuation rate ERPNext itself stores on each stock line of a sales invoice when it is validated
(SellingController.set_incoming_rate, from the stock ledger), negative on returns. ERPNext's Gross
Profit report reads the stock ledger entries of the invoice or its delivery note instead, and prices a
non-stock item at its last purchase rate; here a non-stock line (a service) costs nothing, and the
packed items of a product bundle are not costed. Customers with equal margins share a rank (1, 2, 2, 4)."""

import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures.cs_procedures.report.columns import bar_chart, declared, escape_values
from cs_procedures.cs_procedures.report.sales_per_customer.sales_per_customer import (
	line_figures,
	sales_conditions,
)

CHART_CUSTOMERS = 20


def execute(filters=None):
	filters = frappe._dict(filters or {})
	where, values = sales_conditions(filters)
	rows = line_figures(where, values)
	names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", [row.customer for row in rows] or [""])},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	data = []
	for row in rows:
		sales, cost = flt(row.line_sales, 2), flt(row.cost, 2)
		margin = flt(sales - cost, 2)
		data.append(
			{
				"customer": row.customer,
				"customer_name": names.get(row.customer),
				"sales": sales,
				"cost": cost,
				"margin": margin,
				"margin_pct": flt(margin * 100 / sales, 2) if sales > 0 else None,
			}
		)
	data.sort(key=lambda row: (-row["margin"], row["customer"]))
	for index, row in enumerate(data):
		same = index and data[index - 1]["margin"] == row["margin"]
		row["rank"] = data[index - 1]["rank"] if same else index + 1
	escape_values(data, ("customer_name",))
	return columns(), data, None, chart(data)


def columns():
	return declared(__file__)


def chart(data: list):
	"""The gross margin of the first CHART_CUSTOMERS customers (the names escaped by `bar_chart`)."""
	rows = [
		frappe._dict(grp=row["customer_name"] or row["customer"], margin=row["margin"])
		for row in data[:CHART_CUSTOMERS]
	]
	return bar_chart(rows, {_("Gross Margin"): "margin"})
