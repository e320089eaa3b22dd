"""客户区域分类表 (002 ch7 §4): the customers of each territory (the customer's own territory on the
Customer), how many are enabled and disabled, how many bought, and their sales in a period with the
territory's share of them. Sales are the base_net_total of the customers' submitted Sales Invoices of
the period (return invoices count negative), in the company's currency."""

import frappe
from frappe import _
from frappe.utils import cint, flt

from cs_procedures.cs_procedures.report.columns import bar_chart, declared
from cs_procedures.cs_procedures.report.sales_per_customer.sales_per_customer import (
	customer_conditions,
	sales_conditions,
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	# the invoices of the period (and company); the customer filters apply to the customers below
	invoice_where, values = sales_conditions(frappe._dict(filters, customer_group=None, territory=None))
	customer_where = " and ".join(customer_conditions(filters, values)) or "1 = 1"
	rows = frappe.db.sql(
		f"""select c.territory as grp, count(*) as customers,
			sum(c.disabled = 0) as active, sum(c.disabled = 1) as disabled,
			sum(s.customer is not null) as buying, coalesce(sum(s.sales), 0) as sales
		from `tabCustomer` c
		left join (
			select si.customer, sum(si.base_net_total) as sales
			from `tabSales Invoice` si
			join `tabCustomer` c on c.name = si.customer
			where {invoice_where}
			group by si.customer
		) s on s.customer = c.name
		where {customer_where}
		group by c.territory
		order by sales desc, grp""",
		values,
		as_dict=True,
	)
	total = sum(flt(row.sales) for row in rows)
	for row in rows:
		row.update({field: cint(row[field]) for field in ("active", "disabled", "buying")})
		row.sales = flt(row.sales, 2)
		row.share = flt(row.sales * 100 / total, 2) if total else None
	return columns(), rows, None, chart(rows)


def columns():
	return declared(__file__)


def chart(rows):
	return bar_chart(rows, {_("Net Sales"): "sales"})
