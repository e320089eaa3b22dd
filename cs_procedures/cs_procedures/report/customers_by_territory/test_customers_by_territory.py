"""客户区域分类表 in a real site: a territory's customers, enabled and disabled, and its sales of the
period (a return deducted) equal a plain recount from the records the module made."""

import frappe
from frappe.utils import flt, today

from cs_procedures.cs_procedures.report.customers_by_territory import customers_by_territory
from cs_procedures.cs_procedures.report.sales_per_customer.test_sales_per_customer import (
	make_sales,
	place,
)
from cs_procedures.testing import Fixtures, SiteTestCase, as_user

OFFICER = "cbt.officer@example.com"
GROUP = "_CS Territory Report Group"
TERRITORY = "_CS Territory Report Territory"
FIRST, SECOND, DORMANT = (
	"_CS Territory Report First",
	"_CS Territory Report Second",
	"_CS Territory Report Dormant",
)


def prepare(fixtures):
	place([FIRST, SECOND, DORMANT], GROUP, TERRITORY)
	make_sales(fixtures, FIRST, SECOND)
	frappe.db.set_value("Customer", DORMANT, "disabled", 1)


FIXTURES = Fixtures(
	users={OFFICER: ["CS Officer"]},
	customers=[FIRST, SECOND, DORMANT],
	settings={"returns_need_approval": 0},
	prepare=prepare,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def run(**filters):
	filters = {"from_date": today(), "to_date": today(), **filters}
	with as_user(OFFICER):
		columns, rows, _message, chart = customers_by_territory.execute(filters)
	return columns, {row.grp: row for row in rows}, chart


def recount(territory: str, group: str | None = None) -> tuple:
	"""Customers, enabled, disabled and sales of today of a territory, counted from the records."""
	filters = {"territory": territory, **({"customer_group": group} if group else {})}
	customers = frappe.get_all("Customer", filters=filters, fields=["name", "disabled"])
	sales = sum(
		flt(value)
		for value in frappe.get_all(
			"Sales Invoice",
			filters={
				"customer": ("in", [c.name for c in customers] or [""]),
				"docstatus": 1,
				"posting_date": today(),
			},
			pluck="base_net_total",
		)
	)
	enabled = sum(1 for c in customers if not c.disabled)
	return len(customers), enabled, len(customers) - enabled, flt(sales, 2)


class TestCustomersByTerritory(SiteTestCase):
	def test_the_group_in_its_territory_equals_a_recount(self):
		_columns, rows, chart = run(customer_group=GROUP)
		self.assertEqual(set(rows), {TERRITORY})  # the group's customers all live there
		row = rows[TERRITORY]
		self.assertEqual((row.customers, row.active, row.disabled, row.sales), recount(TERRITORY, GROUP))
		self.assertEqual((row.customers, row.active, row.disabled, row.sales), (3, 2, 1, 390))
		self.assertEqual((row.buying, row.share), (2, 100))
		self.assertEqual(chart["data"]["labels"], [TERRITORY])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [390])

	def test_every_territory_and_the_shares(self):
		_columns, rows, _chart = run()
		row = rows[TERRITORY]
		self.assertEqual((row.customers, row.active, row.disabled, row.sales), recount(TERRITORY))
		total = sum(flt(r.sales) for r in rows.values())
		self.assertAlmostEqual(row.share, flt(390 * 100 / total, 2), places=2)
		self.assertAlmostEqual(sum(flt(r.share) for r in rows.values()), 100, delta=0.1)
		self.assertEqual(set(run(territory=TERRITORY)[1]), {TERRITORY})
		self.assertEqual(
			run(from_date="2001-01-01", to_date="2001-01-31", customer_group=GROUP)[1][TERRITORY].sales, 0
		)
