"""产品退换货汇总表 in a real site: the real returns of a customer (a return delivery note made from an
approved exchange request, a plain return delivery note, a stock-updating return invoice; not a credit
note that moved no goods), read as a CS officer and over HTTP as the desk reads it."""

import json

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime, today

from cs_procedures.cs_procedures.doctype.return_request.return_request import (
	make_from_complaint,
	make_return_delivery_note,
)
from cs_procedures.cs_procedures.report.return_and_exchange_summary import return_and_exchange_summary
from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	HttpUser,
	as_user,
	assert_inert,
	make_delivery_note,
	make_return,
	make_stock_invoice,
	run_report,
)

REPORT = "Return and Exchange Summary"
MANAGER = "res.manager@example.com"
OFFICER = "res.officer@example.com"
CUSTOMER = "_CS Return Summary Customer"
HOSTILE = "<script>alert(1)</script>"
DOCS = {}


def make_records():
	delivery = record(make_delivery_note(CUSTOMER, 10))
	stock_invoice = record(make_stock_invoice(CUSTOMER, 3))
	# an exchange of two, approved by the CS manager, the goods back on a return delivery note
	complaint = record(new_complaint(delivery.name))
	with as_user(OFFICER):
		request = make_from_complaint(complaint.name)
		request.update({"request_type": "Exchange", "reason": "Wrong Item"})
		request.insert()
	record(request)
	with as_user(OFFICER):
		apply_workflow(frappe.get_doc(request.doctype, request.name), "Submit for Approval")
	with as_user(MANAGER):
		apply_workflow(frappe.get_doc(request.doctype, request.name), "Approve")
	exchanged = make_return_delivery_note(request.name)
	exchanged.insert()
	exchanged.submit()
	record(exchanged)
	# a return made without a request; its customer name as a hostile import would leave it
	plain = record(make_return(delivery.name, 1))
	frappe.db.set_value("Delivery Note", plain.name, "customer_name", HOSTILE)
	# goods back on a return invoice that updates stock
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	invoice_return = make_sales_return(stock_invoice.name)
	invoice_return.items[0].qty = -1
	invoice_return.submit()
	record(invoice_return)
	# a credit note that moved no goods is a price correction, not a return
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	billed = make_sales_invoice(delivery.name)
	billed.submit()
	record(billed)
	credit = make_sales_return(billed.name)
	credit.items[0].qty = -1
	credit.submit()
	record(credit)
	DOCS.update(
		delivery=delivery,
		stock_invoice=stock_invoice,
		complaint=complaint,
		request=request,
		exchanged=exchanged,
		plain=plain,
		invoice_return=invoice_return,
		credit=credit,
	)


FIXTURES = Fixtures(
	users={MANAGER: ["CS Manager", "CS Officer"], OFFICER: ["CS Officer"]},
	customers=[CUSTOMER],
	settings={"returns_need_approval": 0},
	prepare=lambda fixtures: make_records(),
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def new_complaint(delivery_note: str):
	with as_user(MANAGER):
		return frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"customer": CUSTOMER,
				"channel": "Phone",
				"received_on": now_datetime().replace(microsecond=0),
				"complaint_type": "Quality",
				"subject": "Wrong model delivered",
				"description": "Two dryers of another model arrived.",
				"follower": OFFICER,
				"customer_request": "Replacement",
				"delivery_note": delivery_note,
				"item_code": DEMO_ITEM,
				"qty": 10,
				"defect_qty": 2,
				"customer_required_by": add_days(now_datetime(), 14),
			}
		).insert()


def run(**filters):
	filters = {"from_date": today(), "to_date": today(), "customer": CUSTOMER, **filters}
	columns, rows, _message, chart = run_report(return_and_exchange_summary, OFFICER, filters)
	return columns, rows, chart


class TestReturnAndExchangeSummary(FrappeTestCase):
	def test_one_row_per_line_of_each_real_return(self):
		columns, rows, chart = run()
		by_document = {row.document: row for row in rows}
		self.assertEqual(
			set(by_document),
			{DOCS["exchanged"].name, DOCS["plain"].name, DOCS["invoice_return"].name},
		)  # not the credit note: it moved no goods
		exchanged = by_document[DOCS["exchanged"].name]
		self.assertEqual(
			(exchanged.qty, exchanged.amount, exchanged.item_code, exchanged.document_type),
			(2, 200, DEMO_ITEM, "Delivery Note"),
		)
		self.assertEqual((exchanged.category, exchanged.reason), (_("Exchange"), _("Wrong Item")))
		self.assertEqual(exchanged.return_request, DOCS["request"].name)
		self.assertEqual(exchanged.customer_complaint, DOCS["complaint"].name)
		self.assertEqual(exchanged.purchase_date, getdate(DOCS["delivery"].posting_date))
		plain = by_document[DOCS["plain"].name]
		self.assertEqual((plain.qty, plain.amount), (1, 100))
		self.assertEqual((plain.category, plain.reason), (_("Return"), _("Not Recorded")))
		self.assertIsNone(plain.return_request)
		on_invoice = by_document[DOCS["invoice_return"].name]
		self.assertEqual(
			(on_invoice.document_type, on_invoice.qty, on_invoice.amount), ("Sales Invoice", 1, 100)
		)
		self.assertEqual(on_invoice.purchase_date, getdate(DOCS["stock_invoice"].posting_date))
		self.assertEqual([c["fieldname"] for c in columns if c["fieldtype"] == "Dynamic Link"], ["document"])
		self.assertEqual(len(chart["data"]["labels"]), 2)  # by reason

	def test_filters(self):
		self.assertEqual(len(run(reason="Wrong Item")[1]), 1)
		self.assertEqual(len(run(reason="Not Recorded")[1]), 2)
		self.assertEqual(len(run(item_code=DEMO_ITEM)[1]), 3)
		self.assertEqual(run(item_code="_CS No Such Item")[1], [])
		self.assertEqual(run(from_date=add_days(today(), 1), to_date=add_days(today(), 2))[1], [])
		with self.assertRaises(frappe.ValidationError):
			run(from_date=add_days(today(), 1))  # after the last day
		with self.assertRaises(frappe.ValidationError):
			run(group_by="Colour")

	def test_grouped(self):
		columns, rows, chart = run(group_by="Reason")
		self.assertEqual([c["fieldname"] for c in columns], ["grp", "returns", "qty", "amount"])
		by_reason = {row.grp: (row.returns, row.qty, row.amount) for row in rows}
		self.assertEqual(by_reason, {_("Wrong Item"): (1, 2, 200), _("Not Recorded"): (2, 2, 200)})
		(row,) = run(group_by="Customer")[1]
		self.assertEqual((row.grp, row.returns, row.qty, row.amount), (CUSTOMER, 3, 4, 400))
		(row,) = run(group_by="Item")[1]
		self.assertEqual((row.grp, row.returns, row.qty), (DEMO_ITEM, 3, 4))

	def test_hostile_text_comes_back_escaped(self):
		for group_by in (None, "Reason", "Customer", "Item"):
			with self.subTest(group_by=group_by):
				_columns, rows, chart = run(group_by=group_by)
				assert_inert(self, rows, chart)
		_columns, rows, _chart = run()
		(plain,) = [row for row in rows if row.document == DOCS["plain"].name]
		self.assertEqual(plain.customer_name, "&lt;script&gt;alert(1)&lt;/script&gt;")

	def test_desk_reads_it_over_http_with_a_total_row(self):
		response = HttpUser(OFFICER).post(
			"frappe.desk.query_report.run",
			{
				"report_name": REPORT,
				"filters": json.dumps({"from_date": today(), "to_date": today(), "customer": CUSTOMER}),
			},
		)
		self.assertEqual(response.status_code, 200, response.text[-400:])
		self.assertNotIn("<script", response.text)
		message = response.json["message"]
		*rows, total = message["result"]
		self.assertEqual(len(rows), 3)
		assert_inert(self, rows, message["chart"])
		fields = [c["fieldname"] for c in message["columns"]]
		self.assertEqual((total[fields.index("qty")], total[fields.index("amount")]), (4, 400))
