"""Issue 7.7: a user holding only CS roles (no ERPNext selling or stock role) can do their part —
pick the linked ERPNext records in link fields, open the app's reports and print the app's records —
through the same HTTP calls the desk makes."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	HttpUser,
	complaint_doc,
	ensure_stock_item,
	leaf_warehouse,
	make_delivery_note,
	sales_order_doc,
)

CUSTOMER = "_CS Privilege Customer"
ROLES = {
	"CS Manager": "lp.manager@example.com",
	"CS Officer": "lp.officer@example.com",
	"CS Department Head": "lp.head@example.com",
	"CS Vice President": "lp.vp@example.com",
	"CS Verifier": "lp.verifier@example.com",
	"CS Reviewer": "lp.reviewer@example.com",
	"CS General Manager": "lp.gm@example.com",
}
# what each role must be able to pick in its records' link fields
PICKS = {
	"CS Manager": (
		"Customer",
		"Contact",
		"Sales Order",
		"Delivery Note",
		"Sales Invoice",
		"Item",
		"Department",
	),
	"CS Officer": ("Customer", "Contact", "Sales Order", "Delivery Note", "Sales Invoice", "Item", "Batch"),
	"CS Department Head": ("Customer", "Item", "Department"),
	"CS Vice President": ("Customer", "Department"),
	"CS Verifier": ("Customer", "Item"),
	"CS Reviewer": ("Sales Order", "Department"),
	"CS General Manager": ("Sales Order", "Customer"),
}
COMPLAINT_REPORTS = ("Complaint Tracking Ledger", "Complaint Statistics")
REPORTS = {
	"CS Manager": (*COMPLAINT_REPORTS, "Customer Property Register", "Satisfaction Survey Statistics"),
	"CS Officer": (*COMPLAINT_REPORTS, "Customer Property Register", "Satisfaction Survey Statistics"),
	"CS Department Head": (*COMPLAINT_REPORTS, "Satisfaction Survey Statistics"),
	"CS Vice President": (*COMPLAINT_REPORTS, "Satisfaction Survey Statistics"),
}
PRINTS = {
	"Customer Complaint Sheet": (
		"CS Manager",
		"CS Officer",
		"CS Department Head",
		"CS Vice President",
		"CS Verifier",
	),
	"Order Review Record": (
		"CS Manager",
		"CS Officer",
		"CS Reviewer",
		"CS General Manager",
		"CS Vice President",
	),
}
QUALITY = "CS Privilege Quality"
IN_THE_DEPARTMENT = ("CS Department Head", "CS Verifier", "CS Reviewer")
RECORDS = {}


def prepare(fixtures):
	for role, user in ROLES.items():  # the one CS role only
		frappe.get_doc("User", user).remove_roles(
			*[r for r in frappe.get_roles(user) if r.startswith("CS ") and r != role]
		)
	delivery = fixtures.record(make_delivery_note(CUSTOMER, 5))
	complaint = complaint_doc(
		CUSTOMER,
		"Scratches",
		"Scratched.",
		received_on="2026-03-02 09:00:00",
		delivery_note=delivery.name,
		item_code=DEMO_ITEM,
	).insert()
	order = sales_order_doc(CUSTOMER, 5, 10).insert()
	review = frappe.get_doc(
		{"doctype": "Order Review", "sales_order": order.name, "customer_requirements": "<p>5 pcs</p>"}
	).insert()
	item = ensure_stock_item("_CS Privilege Resin")
	held = frappe.get_doc(
		{
			"doctype": "Customer Property",
			"customer": CUSTOMER,
			"kind": "Material",
			"received_on": "2026-03-02",
			"item_code": item,
			"description": "Resin",
			"inspection_result": "Accepted",
			"warehouse": leaf_warehouse(),
		}
	).insert()
	campaign = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Campaign",
			"title": "Privilege test",
			"template": frappe.db.get_value("Satisfaction Survey Template", {}, "name"),
			"period_start": "2026-01-01",
			"period_end": "2026-03-31",
			"send_date": getdate(),
			"reply_by": add_days(getdate(), 14),
			"audience": "Selected Customers",
			"customers": [{"customer": CUSTOMER}],
		}
	).insert()
	RECORDS.update(complaint=complaint, review=review, campaign=campaign)
	for doc in (complaint, review, order, held, campaign):
		fixtures.record(doc)


FIXTURES = Fixtures(
	departments=[QUALITY],
	users={user: ([role], QUALITY if role in IN_THE_DEPARTMENT else None) for role, user in ROLES.items()},
	customers=[CUSTOMER],
	settings=lambda f: {
		"complaint_departments": [{"complaint_type": "Quality", "department": f.departments[QUALITY]}]
	},
	prepare=prepare,
)
setUpModule, tearDownModule = FIXTURES.hooks()


class TestCSRolesDoTheirPart(FrappeTestCase):
	def test_each_role_picks_opens_and_prints(self):
		filters = {
			"from_date": "2026-03-01",
			"to_date": "2026-03-31",
			"customer": CUSTOMER,
			"group_by": "Customer",
			"campaign": RECORDS["campaign"].name,
		}
		for role, user in ROLES.items():
			http = HttpUser(user)
			for doctype in PICKS[role]:
				with self.subTest(role=role, pick=doctype):
					response = http.post("frappe.desk.search.search_link", {"doctype": doctype, "txt": ""})
					self.assertEqual(response.status_code, 200, response.text[-300:])
			for report in REPORTS.get(role, ()):
				with self.subTest(role=role, report=report):
					# the ledger is a prepared report (made in the background): its rows here, as the others'
					response = http.post(
						"frappe.desk.query_report.run",
						{"report_name": report, "filters": json.dumps(filters), "ignore_prepared_report": 1},
					)
					self.assertEqual(response.status_code, 200, response.text[-300:])
					if report in COMPLAINT_REPORTS:
						self.assertTrue(response.json["message"]["result"], report)
			for print_format, roles in PRINTS.items():
				if role not in roles:
					continue
				doc = RECORDS["complaint" if print_format == "Customer Complaint Sheet" else "review"]
				with self.subTest(role=role, print_format=print_format):
					response = http.get(
						f"/printview?doctype={doc.doctype}&name={doc.name}&format={print_format}"
					)
					self.assertEqual(response.status_code, 200, response.text[-300:])
					self.assertIn(doc.name, response.text)
