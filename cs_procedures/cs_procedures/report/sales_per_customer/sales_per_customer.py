"""客户销售资料一览表 / 客户销售信息月报表 (002 ch7 §5–6): each customer's sales by month or by quarter
over a period, from its submitted Sales Invoices (return invoices count negative: the sales are
net of returns), with the discount given, the cost and the gross margin where the goods carry a
cost.

The figures, all in the company's currency:
- sales: Sales Invoice base_net_total (after discounts, before taxes);
- discount: the invoice's additional discount (base_discount_amount) and the discount of each line
  off its price list rate (Sales Invoice Item discount_amount × qty × the invoice's conversion rate);
- cost: Sales Invoice Item incoming_rate × stock_qty (see `customer_gross_margin_ranking`); the gross
  margin is the lines' base_net_amount less that cost, shown only for customers some of whose lines
  carry a cost (stock items).

The helpers `sales_conditions` and `line_figures` are shared with the other customer sales reports.
"""

import frappe
from frappe import _
from frappe.utils import add_months, flt, getdate

from cs_procedures.cs_procedures.report.after_sales_filters import period
from cs_procedures.cs_procedures.report.columns import column, declared, escape_values

RANGES = ("Monthly", "Quarterly")
# the columns that describe the customer; the period columns follow them
CUSTOMER_FIELDS = ("customer", "customer_name", "customer_group", "territory")
# SQL of a posting date's period key, per range; `period_keys` makes the same keys in Python
PERIOD_SQL = {
	"Monthly": "date_format(si.posting_date, '%%Y-%%m')",
	"Quarterly": "concat(year(si.posting_date), '-Q', quarter(si.posting_date))",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	range_ = filters.range or "Monthly"
	if range_ not in RANGES:
		frappe.throw(_("Cannot show sales by {0}.").format(frappe.utils.escape_html(range_)))
	where, values = sales_conditions(filters)
	keys = period_keys(values["from_date"], values["to_date"], range_)
	by_period = frappe.db.sql(
		f"""select si.customer, {PERIOD_SQL[range_]} as period,
			sum(si.base_net_total) as sales, sum(si.base_discount_amount) as discount
		from `tabSales Invoice` si
		join `tabCustomer` c on c.name = si.customer
		where {where}
		group by si.customer, period""",
		values,
		as_dict=True,
	)
	lines = {row.customer: row for row in line_figures(where, values)}
	customers = {}
	for row in by_period:
		customer = customers.setdefault(row.customer, {"customer": row.customer, "sales": 0, "discount": 0})
		customer[row.period] = flt(row.sales, 2)
		customer["sales"] += flt(row.sales)
		customer["discount"] += flt(row.discount)
	details = {
		row.name: row
		for row in frappe.get_all(
			"Customer",
			filters={"name": ("in", list(customers) or [""])},
			fields=["name", *CUSTOMER_FIELDS[1:]],
		)
	}
	data = []
	for name, row in customers.items():
		line = lines.get(name) or frappe._dict()
		detail = details.get(name) or frappe._dict()
		row.update(
			customer_name=detail.customer_name,
			customer_group=detail.customer_group,
			territory=detail.territory,
			sales=flt(row["sales"], 2),
			discount=flt(row["discount"] + flt(line.line_discount), 2),
		)
		if line.costed_lines:
			row["cost"] = flt(line.cost, 2)
			row["margin"] = flt(flt(line.line_sales) - flt(line.cost), 2)
			row["margin_pct"] = (
				flt(row["margin"] * 100 / flt(line.line_sales), 2) if flt(line.line_sales) > 0 else None
			)
		data.append(row)
	data.sort(key=lambda row: (-row["sales"], row["customer"]))
	escape_values(data, ("customer_name",))
	return columns(keys), data, None, chart(keys, by_period)


def sales_conditions(filters) -> tuple[str, dict]:
	"""SQL conditions on submitted Sales Invoices `si` of the period joined to their Customer `c`:
	the company, the customer group and territory (each with the groups under it) of the filters."""
	from_date, to_date = period(filters)
	values = {"from_date": from_date, "to_date": to_date}
	conditions = ["si.docstatus = 1", "si.posting_date between %(from_date)s and %(to_date)s"]
	if filters.get("company"):
		known_company(filters.company)
		conditions.append("si.company = %(company)s")
		values["company"] = filters.company
	conditions += customer_conditions(filters, values)
	return " and ".join(conditions), values


def known_company(company: str) -> None:
	"""The company of the filters must exist. Its read permission is not asked: a CS Officer, for whom
	these reports are, has none on Company in ERPNext, and the report shows sales figures only."""
	if not frappe.db.exists("Company", company):
		frappe.throw(_("{0} {1} not found.").format(_("Company"), frappe.utils.escape_html(company)))


def customer_conditions(filters, values: dict) -> list[str]:
	"""Conditions on the Customer `c`: in the customer group and territory of the filters or below."""
	conditions = []
	for doctype, field in (("Customer Group", "customer_group"), ("Territory", "territory")):
		if filters.get(field):
			bounds = frappe.db.get_value(doctype, filters[field], ["lft", "rgt"])
			if not bounds:
				frappe.throw(
					_("{0} {1} not found.").format(_(doctype), frappe.utils.escape_html(filters[field]))
				)
			values[f"{field}_lft"], values[f"{field}_rgt"] = bounds
			conditions.append(
				f"""c.{field} in (select name from `tab{doctype}`
				where lft >= %({field}_lft)s and rgt <= %({field}_rgt)s)"""
			)
	return conditions


def line_figures(where: str, values: dict) -> list:
	"""Per customer, from the lines of its invoices meeting `where`: the net amount, the cost (incoming
	rate × stock qty), the lines carrying a cost, and the discount of the lines off their price."""
	return frappe.db.sql(
		f"""select si.customer, sum(i.base_net_amount) as line_sales,
			sum(i.incoming_rate * i.stock_qty) as cost,
			sum(i.incoming_rate <> 0) as costed_lines,
			sum(i.discount_amount * i.qty * si.conversion_rate) as line_discount
		from `tabSales Invoice` si
		join `tabSales Invoice Item` i on i.parent = si.name and i.parenttype = 'Sales Invoice'
		join `tabCustomer` c on c.name = si.customer
		where {where}
		group by si.customer""",
		values,
		as_dict=True,
	)


def period_keys(from_date, to_date, range_: str) -> list[str]:
	"""The period keys (as PERIOD_SQL makes them) from the first day to the last, in order."""
	keys, month = [], getdate(from_date).replace(day=1)
	last = getdate(to_date)
	while month <= last:
		key = f"{month:%Y-%m}" if range_ == "Monthly" else f"{month.year}-Q{(month.month - 1) // 3 + 1}"
		if key not in keys:
			keys.append(key)
		month = add_months(month, 1)
	return keys


def columns(keys: list[str]):
	"""The customer's columns, a Currency column per period, then the totals (`columns.json`)."""
	declared_columns = declared(__file__)
	customer_columns = [c for c in declared_columns if c["fieldname"] in CUSTOMER_FIELDS]
	totals = [c for c in declared_columns if c["fieldname"] not in CUSTOMER_FIELDS]
	return [*customer_columns, *(column(key, key, "Currency", width=110) for key in keys), *totals]


def chart(keys: list[str], by_period: list):
	totals = dict.fromkeys(keys, 0)
	for row in by_period:
		if row.period in totals:
			totals[row.period] += flt(row.sales)
	if not by_period:
		return None
	return {
		"data": {
			"labels": keys,
			"datasets": [{"name": _("Net Sales"), "values": [flt(totals[key], 2) for key in keys]}],
		},
		"type": "bar",
	}
