"""客户销售毛利排名表 in a real site: each customer's sales, cost (incoming rate × stock qty of its
invoice lines) and margin equal a plain recount, the ranking runs by margin, and markup in a customer
name comes back escaped in the cells and the chart."""

import frappe
from frappe.utils import flt, today

from cs_procedures.cs_procedures.report.customer_gross_margin_ranking import customer_gross_margin_ranking
from cs_procedures.cs_procedures.report.sales_per_customer.test_sales_per_customer import (
	make_sales,
	place,
	recount,
)
from cs_procedures.testing import Fixtures, SiteTestCase, as_user

OFFICER = "gmr.officer@example.com"
GROUP = "_CS Margin Report Group"
TERRITORY = "_CS Margin Report Territory"
FIRST, SECOND = "_CS Margin Report First", "_CS Margin Report Second"
HOSTILE = "<b onmouseover=alert(1)>Margin</b>"


def prepare(fixtures):
	place([FIRST, SECOND], GROUP, TERRITORY)
	frappe.db.set_value("Customer", SECOND, "customer_name", HOSTILE)
	make_sales(fixtures, FIRST, SECOND)


FIXTURES = Fixtures(
	users={OFFICER: ["CS Officer"]},
	customers=[FIRST, SECOND],
	settings={"returns_need_approval": 0},
	prepare=prepare,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def run(**filters):
	filters = {"from_date": today(), "to_date": today(), "customer_group": GROUP, **filters}
	with as_user(OFFICER):
		_columns, rows, _message, chart = customer_gross_margin_ranking.execute(filters)
	return rows, chart


class TestCustomerGrossMarginRanking(SiteTestCase):
	def test_figures_equal_a_recount_and_rank_by_margin(self):
		rows, chart = run()
		self.assertEqual([row["customer"] for row in rows], [FIRST, SECOND])  # margins 40 and 30
		expected = recount([FIRST, SECOND])
		for row in rows:
			figures = expected[row["customer"]]
			self.assertEqual(
				(row["sales"], row["cost"], row["margin"]),
				(figures["sales"], figures["cost"], figures["margin"]),
			)
			self.assertEqual(row["margin_pct"], flt(row["margin"] * 100 / row["sales"], 2))
		self.assertEqual([row["rank"] for row in rows], [1, 2])
		# sold at 100 from stock valued at 80: 20 % margin on 2 net of the return; 190 less 2 × 80 on the other
		by_customer = {row["customer"]: row for row in rows}
		self.assertEqual((by_customer[FIRST]["sales"], by_customer[FIRST]["cost"]), (200, 160))
		self.assertEqual((by_customer[SECOND]["sales"], by_customer[SECOND]["cost"]), (190, 160))
		self.assertEqual(len(chart["data"]["labels"]), 2)

	def test_markup_comes_back_escaped(self):
		rows, chart = run()
		(second,) = [row for row in rows if row["customer"] == SECOND]
		self.assertEqual(second["customer_name"], "&lt;b onmouseover=alert(1)&gt;Margin&lt;/b&gt;")
		for label in chart["data"]["labels"]:
			self.assertNotIn("<", label)
		for row in rows:
			for value in row.values():
				if isinstance(value, str):
					self.assertNotIn("<", value)
