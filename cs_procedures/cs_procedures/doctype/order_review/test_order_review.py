"""Contract / order review in a real site: the departments review, the general manager decides,
the Sales Order waits for the approval, and a change raises a new version."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from cs_procedures.cs_procedures.doctype.order_review.order_review import make_order_review
from cs_procedures.procedures import order_review as rules
from cs_procedures.testing import (
	DEMO_ITEM,
	SiteState,
	as_user,
	company,
	ensure_customer,
	ensure_department,
	ensure_user,
)

test_ignore = ["Sales Order", "Department", "Customer"]

CUSTOMER = "_CS Review Customer"
SALES = "review.sales@example.com"
ENGINEER = "review.engineer@example.com"
QUALITY = "review.quality@example.com"
MATERIALS = "review.materials@example.com"
GM = "review.gm@example.com"
VP = "review.vp@example.com"
STATE = SiteState()


def setUpModule():
	frappe.set_user("Administrator")
	departments = {f: ensure_department(f"CS Review {f}") for f in rules.ASPECTS}
	ensure_user(SALES, ["CS Officer", "Sales User"])  # the salesperson reads the Sales Order
	ensure_user(ENGINEER, ["CS Reviewer"], departments["Engineering"])
	ensure_user(QUALITY, ["CS Reviewer"], departments["Quality"])
	ensure_user(MATERIALS, ["CS Reviewer"], departments["Materials"])
	ensure_user(GM, ["CS General Manager"])
	ensure_user(VP, ["CS Vice President"])
	ensure_customer(CUSTOMER)
	STATE.settings(
		review_departments=[{"function": f, "department": d} for f, d in departments.items()],
		require_order_review=1,
	)
	frappe.db.commit()  # the module's fixtures outlive each test's rollback


def tearDownModule():
	STATE.restore()


def new_sales_order():
	if not frappe.db.exists("Item", DEMO_ITEM):
		frappe.get_doc(
			{"doctype": "Item", "item_code": DEMO_ITEM, "item_group": "All Item Groups", "stock_uom": "Nos"}
		).insert()
	return frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": company(),
			"customer": CUSTOMER,
			"delivery_date": add_days(getdate(), 30),
			"po_no": f"PO-{frappe.generate_hash(length=6)}",
			"items": [
				{"item_code": DEMO_ITEM, "qty": 500, "rate": 12, "delivery_date": add_days(getdate(), 30)}
			],
		}
	).insert()


class TestOrderReview(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_review(self, order):
		with as_user(SALES):
			review = make_order_review(order.name)
			review.insert()
		return review

	def conclude(self, user, review, function, conclusion, comments="OK"):
		with as_user(user):
			review = frappe.get_doc("Order Review", review.name)
			row = next(row for row in review.opinions if row.function == function)
			row.update({"conclusion": conclusion, "comments": comments})
			return review.save()

	def review_all(self, review, materials=rules.FEASIBLE):
		self.conclude(SALES, review, "Sales", rules.FEASIBLE)
		self.conclude(ENGINEER, review, "Engineering", rules.FEASIBLE)
		self.conclude(QUALITY, review, "Quality", rules.CONDITIONAL, "First article inspection")
		return self.conclude(MATERIALS, review, "Materials", materials, "Line 2 is full in week 12")

	def decide(self, review, decision, remarks=""):
		with as_user(GM):
			review = frappe.get_doc("Order Review", review.name)
			review.update({"gm_decision": decision, "gm_remarks": remarks})
			return review.submit()

	def test_review_by_the_departments_then_the_general_manager(self):
		order = new_sales_order()
		review = self.new_review(order)
		self.assertEqual([row.function for row in review.opinions], list(rules.ASPECTS))
		self.assertEqual((review.customer, review.customer_po, review.version), (CUSTOMER, order.po_no, 1))
		self.assertIn(DEMO_ITEM, review.customer_requirements)

		with self.assertRaises(frappe.ValidationError):  # no approved review yet
			order.submit()
		with self.assertRaises(frappe.PermissionError):  # quality cannot conclude for engineering
			self.conclude(QUALITY, review, "Engineering", rules.FEASIBLE)
		with self.assertRaises(frappe.ValidationError):  # not everyone has concluded
			self.decide(review, rules.APPROVED)

		review = self.review_all(review)
		engineering = next(row for row in review.opinions if row.function == "Engineering")
		self.assertEqual(engineering.reviewed_by, ENGINEER)
		with self.assertRaises(frappe.PermissionError):  # only the general manager approves
			with as_user(SALES):
				frappe.get_doc("Order Review", review.name).update({"gm_decision": rules.APPROVED}).submit()
		review = self.decide(review, rules.APPROVED)
		self.assertEqual((review.docstatus, review.approved_by), (1, GM))
		order.reload()
		order.submit()  # now the order may be confirmed to the customer
		self.assertEqual(order.docstatus, 1)

		sheet = frappe.get_print("Order Review", review.name, "Order Review Record")
		self.assertIn("订单评审记录", sheet)

	def test_an_objection_needs_measures_or_cancels_the_order(self):
		order = new_sales_order()
		review = self.review_all(self.new_review(order), materials=rules.NOT_FEASIBLE)
		with self.assertRaises(frappe.ValidationError):
			self.decide(review, rules.APPROVED)
		with self.assertRaises(frappe.ValidationError):
			self.decide(review, rules.CANCEL_ORDER)  # no reason given
		review = self.decide(review, rules.CANCEL_ORDER, "The customer will not accept week 14.")
		self.assertEqual(review.docstatus, 1)
		with self.assertRaises(frappe.ValidationError):  # a cancelled order is not confirmed
			frappe.get_doc("Sales Order", order.name).submit()

	def test_a_change_raises_a_new_version_and_withdraws_the_old(self):
		order = new_sales_order()
		review = self.decide(self.review_all(self.new_review(order)), rules.APPROVED)
		with as_user(SALES):
			new_name = review.raise_change("Materials cannot source the resin in time", rules.INTERNAL_CHANGE)
		self.assertEqual(
			frappe.db.get_value("Order Review", review.name, "docstatus"), 2
		)  # old version recovered
		new = frappe.get_doc("Order Review", new_name)
		self.assertEqual((new.version, new.amended_from, new.change_origin), (2, review.name, "Internal"))
		self.assertTrue(all(row.conclusion == rules.PENDING for row in new.opinions))

		new = self.review_all(new)
		with self.assertRaises(frappe.ValidationError):  # internal change: the vice president first
			self.decide(new, rules.APPROVED)
		with self.assertRaises(frappe.PermissionError):
			with as_user(SALES):
				frappe.get_doc("Order Review", new.name).approve_change()
		with as_user(VP):
			frappe.get_doc("Order Review", new.name).approve_change()
		new = self.decide(new, rules.APPROVED)
		self.assertEqual((new.docstatus, new.vp_approved_by), (1, VP))
