"""客户销售资料一览表 / 月报表 in a real site: the figures of each customer equal a plain recount of the
invoices the module made (a sale, a discounted sale, a return), read as a CS officer; markup in a
customer name comes back escaped."""

import frappe
from frappe.utils import flt, getdate, today

from cs_procedures.cs_procedures.report.sales_per_customer import sales_per_customer
from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	SiteTestCase,
	as_user,
	company,
	make_stock_invoice,
	receive_stock,
)

OFFICER = "spc.officer@example.com"
HOSTILE = "<img src=x onerror=alert(1)>"
GROUP = "_CS Sales Report Group"
TERRITORY = "_CS Sales Report Territory"


def ensure_tree_node(doctype: str, name: str) -> str:
	"""A leaf Customer Group or Territory under the root (kept: customers link to it)."""
	field = frappe.scrub(doctype) + "_name"
	if not frappe.db.exists(doctype, name):
		root = frappe.db.get_value(doctype, {"is_group": 1}, "name", order_by="lft")
		frappe.get_doc({"doctype": doctype, field: name, f"parent_{frappe.scrub(doctype)}": root}).insert()
	return name


def place(customers, group: str, territory: str) -> None:
	ensure_tree_node("Customer Group", group)
	ensure_tree_node("Territory", territory)
	for customer in customers:
		frappe.db.set_value(
			"Customer", customer, {"customer_group": group, "territory": territory, "disabled": 0}
		)


def discounted_invoice(customer: str, qty: float):
	"""A submitted invoice of `qty` at 125 less 20 % (a rate of 100), less 10 off the whole invoice."""
	warehouse = receive_stock(qty)
	return frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company(),
			"customer": customer,
			"update_stock": 1,
			"apply_discount_on": "Net Total",
			"discount_amount": 10,
			"items": [
				{
					"item_code": DEMO_ITEM,
					"qty": qty,
					"price_list_rate": 125,
					"discount_percentage": 20,
					"rate": 100,
					"warehouse": warehouse,
				}
			],
		}
	).submit()


def make_sales(fixtures, first: str, second: str) -> None:
	"""`first` buys 3 and returns 1; `second` buys 2 at a discount."""
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	record = fixtures.record
	sale = record(make_stock_invoice(first, 3))
	returned = make_sales_return(sale.name)
	returned.items[0].qty = -1
	record(returned.submit())
	record(discounted_invoice(second, 2))


def recount(customers) -> dict:
	"""The plain figures of the customers' submitted invoices of today, straight from the records."""
	figures = {}
	for customer in customers:
		invoices = frappe.get_all(
			"Sales Invoice",
			filters={"customer": customer, "docstatus": 1, "posting_date": today()},
			fields=["name", "base_net_total", "base_discount_amount", "conversion_rate"],
		)
		lines = frappe.get_all(
			"Sales Invoice Item",
			filters={"parent": ("in", [i.name for i in invoices] or [""])},
			fields=["parent", "base_net_amount", "incoming_rate", "stock_qty", "qty", "discount_amount"],
		)
		rate = {i.name: i.conversion_rate for i in invoices}
		sales = sum(flt(i.base_net_total) for i in invoices)
		cost = sum(flt(line.incoming_rate) * flt(line.stock_qty) for line in lines)
		figures[customer] = {
			"sales": flt(sales, 2),
			"discount": flt(
				sum(flt(i.base_discount_amount) for i in invoices)
				+ sum(flt(line.discount_amount) * flt(line.qty) * flt(rate[line.parent]) for line in lines),
				2,
			),
			"cost": flt(cost, 2),
			"margin": flt(sum(flt(line.base_net_amount) for line in lines) - cost, 2),
		}
	return figures


FIRST, SECOND = "_CS Sales Report First", "_CS Sales Report Second"
FIXTURES = Fixtures(
	users={OFFICER: ["CS Officer"]},
	customers=[FIRST, SECOND],
	settings={"returns_need_approval": 0},
	prepare=lambda fixtures: (
		place([FIRST, SECOND], GROUP, TERRITORY),
		frappe.db.set_value("Customer", SECOND, "customer_name", HOSTILE),
		make_sales(fixtures, FIRST, SECOND),
	),
)
setUpModule, tearDownModule = FIXTURES.hooks()


def run(**filters):
	filters = {"from_date": today(), "to_date": today(), "customer_group": GROUP, **filters}
	with as_user(OFFICER):
		columns, rows, _message, chart = sales_per_customer.execute(filters)
	return columns, {row["customer"]: row for row in rows}, chart


class TestSalesPerCustomer(SiteTestCase):
	def test_each_customer_equals_a_recount_of_its_invoices(self):
		columns, rows, chart = run()
		self.assertEqual(set(rows), {FIRST, SECOND})
		key = f"{getdate(today()):%Y-%m}"
		self.assertIn(key, [c["fieldname"] for c in columns])
		for customer, expected in recount([FIRST, SECOND]).items():
			row = rows[customer]
			for field in ("sales", "discount", "cost", "margin"):
				self.assertEqual(flt(row[field], 2), expected[field], (customer, field))
			self.assertEqual(row[key], row["sales"])
			self.assertEqual((row["customer_group"], row["territory"]), (GROUP, TERRITORY))
		# the figures the records were made to have
		self.assertEqual((rows[FIRST]["sales"], rows[FIRST]["discount"]), (200, 0))
		self.assertEqual((rows[SECOND]["sales"], rows[SECOND]["discount"]), (190, 60))
		self.assertEqual(chart["data"]["labels"], [key])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [390])

	def test_quarterly_and_filters(self):
		columns, rows, _chart = run(range="Quarterly")
		month = getdate(today()).month
		key = f"{getdate(today()).year}-Q{(month - 1) // 3 + 1}"
		self.assertEqual(rows[FIRST][key], 200)
		self.assertEqual(set(run(territory=TERRITORY, customer_group=None)[1]), {FIRST, SECOND})
		self.assertEqual(set(run(company=company())[1]), {FIRST, SECOND})
		self.assertEqual(run(from_date="2001-01-01", to_date="2001-12-31")[1], {})
		with self.assertRaises(frappe.ValidationError):
			run(range="Weekly")
		with self.assertRaises(frappe.ValidationError):
			run(company="_CS No Such Company")

	def test_customer_names_come_back_escaped(self):
		_columns, rows, _chart = run()
		self.assertEqual(rows[SECOND]["customer_name"], "&lt;img src=x onerror=alert(1)&gt;")
		for row in rows.values():
			for value in row.values():
				if isinstance(value, str):
					self.assertNotIn("<", value)
