"""產品故障維修統計表 in a real site: the warranty claims of a customer with their faults, repair visits
and costs, read as a CS officer and over HTTP as the desk reads it."""

import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowtime, today

from cs_procedures.cs_procedures.report.repair_statistics import repair_statistics
from cs_procedures.testing import Fixtures, HttpUser, assert_inert, company, ensure_sales_person, run_report

REPORT = "Repair Statistics"
OFFICER = "rst.officer@example.com"
CUSTOMER = "_CS Repair Statistics Customer"
ITEM = "_CS Repair Statistics Fan"
PART = "_CS Repair Statistics Motor"
REPAIRER = "_CS Test Repairer"
# what a hostile import (or a write past the form) could leave in the claim's text fields
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_FAULT = "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p><script>alert(3)</script>"
HOSTILE_CAUSE = "<img src=x onerror=alert(4)>"
DOCS = {}


def make_records():
	ensure_sales_person(REPAIRER)
	# an electrical fault under repair: one submitted visit used parts for 30, a draft one is not counted
	electrical = new_claim(
		"Electrical", "<p>Fan stops &amp; smells of <b>burning</b></p>", cs_fault_cause="Motor winding"
	)
	new_visit(electrical, parts_rate=15).submit()
	new_visit(electrical, parts_rate=50)
	# a mechanical fault closed, its repair cost awaiting approval, every text field hostile
	mechanical = new_claim("Mechanical", "Blade cracked", cs_repair_cost=250)
	frappe.db.set_value(
		"Warranty Claim",
		mechanical.name,
		{
			"customer_name": HOSTILE_NAME,
			"complaint": HOSTILE_FAULT,
			"cs_fault_cause": HOSTILE_CAUSE,
			"resolution_details": HOSTILE_NAME,
			"status": "Closed",
			"cs_repair_cost_status": "Awaiting Approval",
		},
	)
	# reported before the period
	earlier = new_claim("Appearance", "Scratched housing", complaint_date=add_days(today(), -60))
	DOCS.update(electrical=electrical, mechanical=mechanical, earlier=earlier)


FIXTURES = Fixtures(
	users={OFFICER: ["CS Officer"]},
	customers=[CUSTOMER],
	items=[ITEM, PART],
	prepare=lambda fixtures: make_records(),
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def new_claim(category: str, complaint: str, **values):
	claim = frappe.get_doc(
		{
			"doctype": "Warranty Claim",
			"company": company(),
			"customer": CUSTOMER,
			"complaint_date": today(),
			"item_code": ITEM,
			"complaint": complaint,
			"warranty_amc_status": "Under Warranty",
			"cs_fault_category": category,
			**values,
		}
	).insert()
	record(claim)
	return claim


def new_visit(claim, parts_rate: float):
	from erpnext.support.doctype.warranty_claim.warranty_claim import make_maintenance_visit

	visit = make_maintenance_visit(claim.name)
	visit.update(
		{
			"mntc_date": today(),
			"mntc_time": nowtime(),
			"completion_status": "Partially Completed",
			"maintenance_type": "Breakdown",
			"company": company(),
		}
	)
	visit.purposes[0].service_person = REPAIRER
	visit.purposes[0].work_done = "Rewound the motor."
	visit.append("cs_repair_parts", {"item_code": PART, "qty": 2, "rate": parts_rate})
	visit.insert()
	record(visit)
	return visit


def run(**filters):
	filters = {"from_date": add_days(today(), -30), "to_date": today(), "customer": CUSTOMER, **filters}
	columns, rows, _message, chart = run_report(repair_statistics, OFFICER, filters)
	return columns, rows, chart


class TestRepairStatistics(FrappeTestCase):
	def test_one_row_per_claim_of_the_period(self):
		_columns, rows, chart = run()
		by_claim = {row.warranty_claim: row for row in rows}
		self.assertEqual(set(by_claim), {DOCS["electrical"].name, DOCS["mechanical"].name})
		electrical = by_claim[DOCS["electrical"].name]
		self.assertEqual(electrical.fault_category, _("Electrical"))
		self.assertEqual(electrical.fault_description, "Fan stops & smells of burning")  # plain text
		self.assertEqual(electrical.fault_cause, "Motor winding")
		self.assertEqual(electrical.parts_cost, 30)  # the submitted visit only
		self.assertEqual(electrical.status, _("Work In Progress"))  # ERPNext's, from the visit
		self.assertEqual(electrical.resolution_details, "Rewound the motor.")
		self.assertEqual(electrical.item_code, ITEM)
		mechanical = by_claim[DOCS["mechanical"].name]
		self.assertEqual((mechanical.repair_cost, mechanical.parts_cost), (250, 0))
		self.assertEqual(mechanical.repair_cost_status, _("Awaiting Approval"))
		self.assertEqual(len(chart["data"]["labels"]), 2)  # by fault category

	def test_filters(self):
		self.assertEqual(len(run(fault_category="Electrical")[1]), 1)
		(closed,) = run(status="Closed")[1]
		self.assertEqual(closed.warranty_claim, DOCS["mechanical"].name)
		self.assertEqual(len(run(item_code=ITEM)[1]), 2)
		self.assertEqual(run(item_code=PART)[1], [])
		self.assertEqual(len(run(from_date=add_days(today(), -90))[1]), 3)
		with self.assertRaises(frappe.ValidationError):
			run(from_date=add_days(today(), 1))
		with self.assertRaises(frappe.ValidationError):
			run(group_by="Colour")

	def test_grouped(self):
		columns, rows, _chart = run(group_by="Fault Category")
		self.assertEqual(
			[c["fieldname"] for c in columns], ["grp", "claims", "closed", "repair_cost", "parts_cost"]
		)
		by_category = {row.grp: (row.claims, row.closed, row.repair_cost, row.parts_cost) for row in rows}
		self.assertEqual(by_category, {_("Electrical"): (1, 0, 0, 30), _("Mechanical"): (1, 1, 250, 0)})
		(row,) = run(group_by="Item")[1]
		self.assertEqual(
			(row.grp, row.claims, row.closed, row.repair_cost, row.parts_cost), (ITEM, 2, 1, 250, 30)
		)

	def test_hostile_text_comes_back_escaped(self):
		for group_by in (None, "Fault Category", "Item"):
			with self.subTest(group_by=group_by):
				_columns, rows, chart = run(group_by=group_by)
				assert_inert(self, rows, chart)
		(row,) = [row for row in run()[1] if row.warranty_claim == DOCS["mechanical"].name]
		self.assertEqual(row.customer_name, "&lt;script&gt;alert(1)&lt;/script&gt;")
		# the tags of the Text Editor go, the text typed into it stays as text
		self.assertEqual(row.fault_description, "&lt;script&gt;alert(2)&lt;/script&gt; alert(3)")
		self.assertEqual(row.fault_cause, "&lt;img src=x onerror=alert(4)&gt;")
		self.assertEqual(row.resolution_details, "&lt;script&gt;alert(1)&lt;/script&gt;")

	def test_desk_reads_it_over_http_with_a_total_row(self):
		filters = {"from_date": add_days(today(), -30), "to_date": today(), "customer": CUSTOMER}
		http = HttpUser(OFFICER)
		response = http.post(
			"frappe.desk.query_report.run", {"report_name": REPORT, "filters": json.dumps(filters)}
		)
		self.assertEqual(response.status_code, 200, response.text[-400:])
		self.assertNotIn("<script", response.text)
		self.assertNotIn("<img", response.text)
		message = response.json["message"]
		*rows, total = message["result"]
		self.assertEqual(len(rows), 2)
		assert_inert(self, rows, message["chart"])
		fields = [c["fieldname"] for c in message["columns"]]
		self.assertEqual((total[fields.index("repair_cost")], total[fields.index("parts_cost")]), (250, 30))
		grouped = http.post(
			"frappe.desk.query_report.run",
			{"report_name": REPORT, "filters": json.dumps({**filters, "group_by": "Fault Category"})},
		)
		self.assertEqual(grouped.status_code, 200, grouped.text[-400:])
		self.assertEqual(len(grouped.json["message"]["result"]), 3)  # two categories and the total
