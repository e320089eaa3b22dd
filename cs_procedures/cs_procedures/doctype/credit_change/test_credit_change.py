"""Credit (issue 22): an investigation rates the customer, a credit change approved by the role CS Settings
names sets ERPNext's credit limit, which ERPNext then enforces on a Sales Order; nobody changes the limit
on the Customer by hand; a closed account gets no new order. Each step as the role over HTTP."""

import frappe
from frappe.utils import add_days, getdate

from cs_procedures.erpnext_doctypes.customer_360 import customer_360
from cs_procedures.testing import DEMO_ITEM, Fixtures, SiteTestCase, as_user, company, message_of

test_ignore = ["Sales Order", "Customer", "Item"]

CUSTOMER, CLOSING = "_CS Credit Customer", "_CS Credit Closing Customer"
OFFICER, MANAGER = "credit.officer@example.com", "credit.manager@example.com"
SALES_MANAGER, GM = "credit.sales.manager@example.com", "credit.gm@example.com"
RATINGS = {
	"payment_attitude": "Prompt",
	"bank_credit": "Good",
	"peer_evaluation": "Good",
	"neighbour_evaluation": "Fair",
	"accounting_system": "Complete",
	"organisation": "Joint-Stock Company",
	"location": "Busy Commercial District",
	"prospects": "B",
}


def settings(fixtures) -> dict:
	return {
		"procedure_companies": [{"company": company()}],
		"credit_limits_need_approval": 1,
		"require_order_review": 0,
		"credit_change_approver": "Sales Manager",
		"account_closure_approver": "CS General Manager",
	}


def clean_up(fixtures):
	for doctype in ("Credit Change", "Credit Investigation", "Customer Account Closure"):
		names = frappe.get_all(doctype, filters={"customer": ("in", (CUSTOMER, CLOSING))}, pluck="name")
		frappe.db.delete(doctype, {"name": ("in", names or [""])})
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names or [""])})
	for order in frappe.get_all(
		"Sales Order", filters={"customer": ("in", (CUSTOMER, CLOSING))}, pluck="name"
	):
		frappe.delete_doc("Sales Order", order, force=True, ignore_permissions=True)
	frappe.db.delete("Customer Credit Limit", {"parent": ("in", (CUSTOMER, CLOSING))})
	frappe.db.set_value("Customer", CUSTOMER, {"cs_credit_grade": None, "disabled": 0})
	frappe.db.set_value("Customer", CLOSING, "disabled", 0)
	frappe.db.commit()


FIXTURES = Fixtures(
	users={
		OFFICER: ["CS Officer"],
		MANAGER: ["CS Manager", "Sales User"],
		SALES_MANAGER: ["Sales Manager"],
		GM: ["CS General Manager"],
	},
	customers=(CUSTOMER, CLOSING),
	settings=settings,
	prepare=clean_up,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def sales_order(customer: str, amount: float):
	if not frappe.db.exists("Item", DEMO_ITEM):
		frappe.get_doc(
			{"doctype": "Item", "item_code": DEMO_ITEM, "item_group": "All Item Groups", "stock_uom": "Nos"}
		).insert(ignore_permissions=True)
	return frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": company(),
			"customer": customer,
			"delivery_date": add_days(getdate(), 30),
			"items": [
				{"item_code": DEMO_ITEM, "qty": 1, "rate": amount, "delivery_date": add_days(getdate(), 30)}
			],
		}
	)


class TestCredit(SiteTestCase):
	def investigation(self) -> str:
		"""The officer investigates, the CS Manager reviews (submits)."""
		http = self.as_http(OFFICER)
		response = http._call(
			"post",
			"/api/resource/Credit Investigation",
			json={"customer": CUSTOMER, "company": company(), "proposed_limit": 1000, **RATINGS},
		)
		self.assertEqual(response.status_code, 200, message_of(response))
		doc = response.json["data"]
		# payment 100×30, bank 80×20, peers 80×15, neighbours 60×5, accounts 100×10, organisation 100×5,
		# premises 100×5, prospects 75×10: 88.5 of 100
		self.assertEqual((doc["score"], doc["credit_grade"], doc["investigated_by"]), (88.5, "AAA", OFFICER))
		frappe.db.rollback()
		response = self.as_http(MANAGER).post(
			"frappe.client.submit", {"doc": frappe.get_doc("Credit Investigation", doc["name"]).as_dict()}
		)
		self.assertEqual(response.status_code, 200, message_of(response))
		frappe.db.rollback()  # read what the request committed
		return doc["name"]

	def test_a_credit_limit_reaches_erpnext_only_when_approved_and_erpnext_enforces_it(self):
		investigation = self.investigation()
		with as_user(MANAGER):
			from cs_procedures.cs_procedures.doctype.credit_investigation.credit_investigation import (
				make_credit_change,
			)

			change = make_credit_change(investigation)
			change.update({"change_reason": "First credit", "strategy": "Grow with prompt payers"})
			change.insert()
		frappe.db.commit()
		self.assertEqual((change.new_grade, change.new_limit, change.previous_limit), ("AAA", 1000, 0))
		self.assertFalse(
			frappe.db.exists("Customer Credit Limit", {"parent": CUSTOMER}), "not before approval"
		)
		for user in (MANAGER, OFFICER, GM):  # the requester, and roles that are not the approver
			response = self.as_http(user).post("frappe.client.submit", {"doc": change.as_dict()})
			self.assertIn(response.status_code, (403, 417), message_of(response))
		self.assertFalse(frappe.db.exists("Customer Credit Limit", {"parent": CUSTOMER}))
		response = self.as_http(SALES_MANAGER).post("frappe.client.submit", {"doc": change.as_dict()})
		self.assertEqual(response.status_code, 200, message_of(response))
		frappe.db.rollback()  # read what the request committed
		customer = frappe.get_doc("Customer", CUSTOMER)
		self.assertEqual(customer.cs_credit_grade, "AAA")
		self.assertEqual([(r.company, r.credit_limit) for r in customer.credit_limits], [(company(), 1000)])
		with as_user(MANAGER):  # the Customer 360 shows the credit
			shown = customer_360(CUSTOMER)
		self.assertEqual(shown["values"]["credit_grade"], "AAA")
		self.assertEqual(
			[(r.company, r.credit_limit) for r in shown["values"]["credit_limits"]], [(company(), 1000)]
		)
		self.assertIn("AAA", shown["html"])
		# ERPNext's own check refuses an order over the limit
		order = sales_order(CUSTOMER, 1500)
		order.insert(ignore_permissions=True)
		with self.assertRaises(frappe.ValidationError) as refused:
			order.submit()
		self.assertIn("Credit limit", str(refused.exception))
		frappe.db.rollback()

	def test_nobody_sets_a_credit_limit_on_the_customer_by_hand(self):
		http = self.as_http(SALES_MANAGER)
		customer = frappe.get_doc("Customer", CUSTOMER).as_dict()
		limits = [{"company": company(), "credit_limit": 99999}]
		for values in (
			{"credit_limits": limits},
			{"cs_credit_grade": "AAA"},
			{"cs_watch_status": "Excellent"},
		):
			response = http.put("Customer", CUSTOMER, values)
			self.assertIn(response.status_code, (403, 417), message_of(response))
		frappe.db.rollback()
		after = frappe.db.get_value("Customer", CUSTOMER, ["cs_credit_grade", "cs_watch_status"])
		self.assertEqual(after, (customer.cs_credit_grade, customer.cs_watch_status))
		self.assertFalse(
			frappe.db.exists("Customer Credit Limit", {"parent": CUSTOMER, "credit_limit": 99999})
		)

	def test_a_closed_account_gets_no_new_order(self):
		frappe.db.rollback()
		closure = self.as_http(MANAGER)._call(
			"post",
			"/api/resource/Customer Account Closure",
			json={"customer": CLOSING, "reason": "Ceased trading", "settlement": "Nothing owed"},
		)
		self.assertEqual(closure.status_code, 200, message_of(closure))
		frappe.db.rollback()
		doc = frappe.get_doc("Customer Account Closure", closure.json["data"]["name"])
		response = self.as_http(MANAGER).post("frappe.client.submit", {"doc": doc.as_dict()})
		self.assertIn(response.status_code, (403, 417), "the requester does not approve")
		response = self.as_http(GM).post("frappe.client.submit", {"doc": doc.as_dict()})
		self.assertEqual(response.status_code, 200, message_of(response))
		frappe.db.rollback()  # read what the request committed
		frappe.clear_document_cache("Customer", CLOSING)
		self.assertEqual(frappe.db.get_value("Customer", CLOSING, "disabled"), 1)
		with self.assertRaises(frappe.ValidationError) as refused:
			sales_order(CLOSING, 10).insert(ignore_permissions=True)
		self.assertIn("disabled", str(refused.exception))
		frappe.db.rollback()
