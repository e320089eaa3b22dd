"""售后质量总结 in a real site: per item, what a customer was delivered and sent back, its quality
complaints and repairs, read as a CS officer and over HTTP as the desk reads it."""

import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, today

from cs_procedures.cs_procedures.report.after_sales_quality_summary import after_sales_quality_summary
from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	HttpUser,
	as_user,
	company,
	ensure_stock_item,
	make_delivery_note,
	make_return,
	make_stock_invoice,
	run_report,
)

REPORT = "After-Sales Quality Summary"
MANAGER = "aqs.manager@example.com"
OFFICER = "aqs.officer@example.com"
CUSTOMER = "_CS Quality Summary Customer"
KETTLE = "_CS Quality Summary Kettle"
KETTLES = "_CS Quality Summary Kettles"  # an item group of its own
HOSTILE = "<script>alert(1)</script>"


def make_records():
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	# delivered 10 + 5, back 2 + 1: a return rate of 20 %
	delivery = record(make_delivery_note(CUSTOMER, 10))
	record(make_return(delivery.name, 2))
	stock_invoice = record(make_stock_invoice(CUSTOMER, 5))
	invoice_return = make_sales_return(stock_invoice.name)
	invoice_return.items[0].qty = -1
	record(invoice_return.submit())
	# neither a credit note that moved no goods nor a cancelled delivery counts
	billed = record(make_sales_invoice(delivery.name).submit())
	credit = make_sales_return(billed.name)
	credit.items[0].qty = -1
	record(credit.submit())
	record(make_delivery_note(CUSTOMER, 4)).cancel()
	# one quality complaint in the period; a service complaint and an earlier one are not counted
	new_complaint("Quality", now_datetime())
	new_complaint("Service", now_datetime())
	new_complaint("Quality", add_days(now_datetime(), -60))
	# one repair of the dryer (a cancelled claim is none), one of a kettle never delivered to them
	new_claim(DEMO_ITEM)
	frappe.db.set_value("Warranty Claim", new_claim(DEMO_ITEM).name, "status", "Cancelled")
	if not frappe.db.exists("Item Group", KETTLES):
		frappe.get_doc(
			{"doctype": "Item Group", "item_group_name": KETTLES, "parent_item_group": "All Item Groups"}
		).insert()
	ensure_stock_item(KETTLE)
	frappe.db.set_value("Item", KETTLE, {"item_group": KETTLES, "item_name": HOSTILE})
	new_claim(KETTLE)


def clean_up(fixtures):
	if frappe.db.exists("Item", KETTLE):
		frappe.db.set_value("Item", KETTLE, "item_name", KETTLE)


FIXTURES = Fixtures(
	users={MANAGER: ["CS Manager", "CS Officer"], OFFICER: ["CS Officer"]},
	customers=[CUSTOMER],
	settings={"returns_need_approval": 0},
	prepare=lambda fixtures: make_records(),
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def new_complaint(complaint_type: str, received_on):
	with as_user(MANAGER):
		doc = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"customer": CUSTOMER,
				"channel": "Phone",
				"received_on": received_on.replace(microsecond=0),
				"complaint_type": complaint_type,
				"subject": "Dryer problem",
				"description": "The dryer does not dry.",
				"follower": OFFICER,
				"customer_request": "Repair",
				"item_code": DEMO_ITEM,
				"customer_required_by": add_days(received_on, 14),
			}
		).insert()
	return record(doc)


def new_claim(item_code: str):
	return record(
		frappe.get_doc(
			{
				"doctype": "Warranty Claim",
				"company": company(),
				"customer": CUSTOMER,
				"complaint_date": today(),
				"item_code": item_code,
				"complaint": "Does not heat.",
				"cs_fault_category": "Electrical",
			}
		).insert()
	)


def run(**filters):
	filters = {"from_date": add_days(today(), -30), "to_date": today(), "customer": CUSTOMER, **filters}
	columns, rows, _message, _chart, summary = run_report(after_sales_quality_summary, OFFICER, filters)
	return columns, rows, summary


class TestAfterSalesQualitySummary(FrappeTestCase):
	def test_per_item(self):
		_columns, rows, summary = run()
		by_item = {row.item_code: row for row in rows}
		self.assertEqual(set(by_item), {DEMO_ITEM, KETTLE})
		dryer = by_item[DEMO_ITEM]
		self.assertEqual(
			(
				dryer.delivered_qty,
				dryer.returned_qty,
				dryer.return_rate,
				dryer.quality_complaints,
				dryer.repairs,
			),
			(15, 3, 20, 1, 1),
		)
		kettle = by_item[KETTLE]
		self.assertEqual((kettle.delivered_qty, kettle.return_rate, kettle.repairs), (0, None, 1))
		self.assertEqual(rows[0].item_code, DEMO_ITEM)  # the most coming back first
		figures = {entry["label"]: entry["value"] for entry in summary}
		self.assertEqual(
			[figures[_(label)] for label in ("Delivered Qty", "Returned Qty", "Overall Return Rate")],
			[15, 3, 20],
		)
		self.assertEqual((figures[_("Quality Complaints")], figures[_("Repairs")]), (1, 2))

	def test_filters(self):
		(row,) = run(item_group=KETTLES)[1]
		self.assertEqual((row.item_code, row.item_group), (KETTLE, KETTLES))
		self.assertEqual(len(run(item_group="All Item Groups")[1]), 2)
		self.assertEqual(run(from_date=add_days(today(), 1), to_date=add_days(today(), 2))[1], [])
		earlier = {row.item_code: row for row in run(from_date=add_days(today(), -90))[1]}
		self.assertEqual(earlier[DEMO_ITEM].quality_complaints, 2)  # the earlier complaint too
		with self.assertRaises(frappe.ValidationError):
			run(from_date=add_days(today(), 1))
		with self.assertRaises(frappe.ValidationError):
			run(item_group="_CS No Such Group")
		# every customer: at least what this one was delivered
		rows = {row.item_code: row for row in run(customer=None)[1]}
		self.assertGreaterEqual(rows[DEMO_ITEM].delivered_qty, 15)

	def test_hostile_item_name_comes_back_escaped(self):
		_columns, rows, _summary = run()
		for row in rows:
			for field, value in row.items():
				if isinstance(value, str):
					self.assertNotIn("<", value, field)
		(kettle,) = [row for row in rows if row.item_code == KETTLE]
		self.assertEqual(kettle.item_name, "&lt;script&gt;alert(1)&lt;/script&gt;")

	def test_desk_reads_it_over_http(self):
		response = HttpUser(OFFICER).post(
			"frappe.desk.query_report.run",
			{
				"report_name": REPORT,
				"filters": json.dumps(
					{"from_date": add_days(today(), -30), "to_date": today(), "customer": CUSTOMER}
				),
			},
		)
		self.assertEqual(response.status_code, 200, response.text[-400:])
		self.assertNotIn("<script", response.text)
		message = response.json["message"]
		self.assertEqual(len(message["result"]), 2)  # no total row: a sum of rates means nothing
		self.assertTrue(message["report_summary"])
