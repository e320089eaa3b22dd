"""Contract / order review in a real site, through its Frappe Workflow as the acting roles: sales
send it for review, the departments conclude, the general manager decides, the Sales Order waits
for the approval, and a change raises a new version (an internal one after the vice president)."""

import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase

from cs_procedures.cs_procedures.doctype.order_review.order_review import make_order_review
from cs_procedures.procedures import order_review as rules
from cs_procedures.testing import DEMO_ITEM, Fixtures, HttpUser, as_user, company, emails, sales_order_doc

test_ignore = ["Sales Order", "Department", "Customer"]

CUSTOMER = "_CS Review Customer"
SALES, ENGINEER, QUALITY = emails("review", "sales", "engineer", "quality")
MATERIALS, GM, VP = emails("review", "materials", "gm", "vp")
DEPARTMENT_NAMES = {function: f"CS Review {function}" for function in rules.ASPECTS}  # function -> its name


def review_settings(fixtures) -> dict:
	return {
		"review_departments": [
			{"function": function, "department": fixtures.departments[name]}
			for function, name in DEPARTMENT_NAMES.items()
		],
		"require_order_review": 1,
		"procedure_companies": [{"company": company()}],
		"vice_president": VP,  # whatever vice president the site names: this module's gets the to-do
	}


FIXTURES = Fixtures(
	users={
		SALES: ["CS Officer", "Sales User"],  # the salesperson reads the Sales Order
		ENGINEER: (["CS Reviewer"], DEPARTMENT_NAMES["Engineering"]),
		QUALITY: (["CS Reviewer"], DEPARTMENT_NAMES["Quality"]),
		MATERIALS: (["CS Reviewer"], DEPARTMENT_NAMES["Materials"]),
		GM: ["CS General Manager"],
		VP: ["CS Vice President"],
	},
	customers=[CUSTOMER],
	departments=list(DEPARTMENT_NAMES.values()),
	settings=lambda f: review_settings(f),
)
setUpModule, tearDownModule = FIXTURES.hooks()


def new_sales_order():
	if not frappe.db.exists("Item", DEMO_ITEM):
		frappe.get_doc(
			{"doctype": "Item", "item_code": DEMO_ITEM, "item_group": "All Item Groups", "stock_uom": "Nos"}
		).insert()
	return sales_order_doc(CUSTOMER, 500, 12, po_no=f"PO-{frappe.generate_hash(length=6)}").insert()


class TestOrderReview(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	def act(self, user, review, action):
		with as_user(user):
			return apply_workflow(frappe.get_doc("Order Review", review.name), action)

	def new_review(self, order, send=True):
		with as_user(SALES):
			review = make_order_review(order.name)
			review.insert()
		self.assertEqual(review.workflow_state, rules.DRAFT)
		return self.act(SALES, review, "Send for Review") if send else review

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
		self.conclude(MATERIALS, review, "Materials", materials, "Line 2 is full in week 12")
		return self.act(SALES, review, "Send to General Manager")

	def decide(self, review, action, remarks=""):
		with as_user(GM):
			review = frappe.get_doc("Order Review", review.name)
			if remarks:
				review.gm_remarks = remarks
				review.save()
			return apply_workflow(review, action)

	def todos(self, review, user):
		return frappe.get_all(
			"ToDo",
			filters={"reference_type": "Order Review", "reference_name": review.name, "allocated_to": user},
			fields=["status"],
			pluck="status",
		)

	def test_review_by_the_departments_then_the_general_manager(self):
		order = new_sales_order()
		review = self.new_review(order, send=False)
		self.assertEqual([row.function for row in review.opinions], list(rules.ASPECTS))
		self.assertEqual((review.customer, review.customer_po, review.version), (CUSTOMER, order.po_no, 1))
		self.assertIn(DEMO_ITEM, review.customer_requirements)
		with self.assertRaises(frappe.ValidationError):  # the departments conclude once it is sent
			self.conclude(ENGINEER, review, "Engineering", rules.FEASIBLE)
		review = self.act(SALES, review, "Send for Review")
		self.assertEqual(review.workflow_state, rules.UNDER_REVIEW)
		self.assertEqual(self.todos(review, ENGINEER), ["Open"])  # each reviewer has the to-do
		with self.assertRaises(frappe.ValidationError):  # the requirements are fixed now
			with as_user(SALES):
				frappe.get_doc("Order Review", review.name).update(
					{"customer_requirements": "<p>1</p>"}
				).save()

		with self.assertRaises(frappe.ValidationError):  # no approved review yet
			order.submit()
		with self.assertRaises(frappe.PermissionError):  # quality cannot conclude for engineering
			self.conclude(QUALITY, review, "Engineering", rules.FEASIBLE)
		self.conclude(SALES, review, "Sales", rules.FEASIBLE)
		with self.assertRaises(frappe.ValidationError):  # not everyone has concluded
			self.act(SALES, review, "Send to General Manager")

		review = self.review_all(review)
		self.assertEqual(review.workflow_state, rules.AWAITING_GM)
		self.assertEqual(self.todos(review, ENGINEER), ["Closed"])
		self.assertEqual(self.todos(review, GM), ["Open"])
		engineering = next(row for row in review.opinions if row.function == "Engineering")
		self.assertEqual(engineering.reviewed_by, ENGINEER)
		with self.assertRaises(frappe.PermissionError):  # only the general manager approves
			with as_user(SALES):
				frappe.get_doc("Order Review", review.name).submit()
		with self.assertRaises(WorkflowTransitionError):
			self.act(SALES, review, "Approve")
		with self.assertRaises(WorkflowPermissionError):  # the general manager too, through the workflow
			with as_user(GM):
				frappe.get_doc("Order Review", review.name).submit()
		review = self.decide(review, "Approve")
		self.assertEqual((review.docstatus, review.approved_by), (1, GM))
		self.assertEqual((review.workflow_state, review.gm_decision), (rules.APPROVED_STATE, rules.APPROVED))
		order.reload()
		order.submit()  # now the order may be confirmed to the customer
		self.assertEqual(order.docstatus, 1)

		sheet = frappe.get_print("Order Review", review.name, "Order Review Record")
		self.assertIn("订单评审记录", sheet)

	def test_the_gate_is_on_for_the_companies_that_follow_the_procedure(self):
		"""Shipped on (003 5.1.3.1): the install lists the site's companies, the setup wizard its own."""
		from cs_procedures import install

		try:
			FIXTURES.state.settings(require_order_review=0, returns_need_approval=0, procedure_companies=[])
			install.ship_gates_on()
			settings = frappe.get_single("CS Settings")
			self.assertEqual((settings.require_order_review, settings.returns_need_approval), (1, 1))
			self.assertIn(company(), [row.company for row in settings.procedure_companies])
			with self.assertRaisesRegex(frappe.ValidationError, "Create > Order Review"):
				new_sales_order().submit()

			FIXTURES.state.settings(procedure_companies=[])
			install.adopt_setup_company({"company_name": "_CS No Such Company"})
			self.assertEqual(frappe.get_single("CS Settings").procedure_companies, [])
			order = new_sales_order()
			order.submit()  # a company that does not follow the procedure confirms orders as before
			self.assertEqual(order.docstatus, 1)

			install.adopt_setup_company({"company_name": company()})
			with self.assertRaisesRegex(frappe.ValidationError, "needs an order review"):
				new_sales_order().submit()
		finally:
			FIXTURES.state.settings(**review_settings(FIXTURES))

	def test_an_objection_needs_measures_or_cancels_the_order(self):
		order = new_sales_order()
		review = self.review_all(self.new_review(order), materials=rules.NOT_FEASIBLE)
		with self.assertRaises(frappe.ValidationError):  # the action is not offered
			self.decide(review, "Approve")
		with self.assertRaises(frappe.ValidationError):  # nor reached by a state set by hand
			with as_user(GM):
				frappe.get_doc("Order Review", review.name).update(
					{"workflow_state": rules.APPROVED_STATE}
				).submit()
		with self.assertRaises(frappe.ValidationError):
			self.decide(review, "Cancel Order")  # no reason given
		with self.assertRaises(frappe.PermissionError):  # the remarks are the general manager's
			with as_user(SALES):
				frappe.get_doc("Order Review", review.name).update({"gm_remarks": "fine"}).save()
		review = self.decide(review, "Cancel Order", "The customer will not accept week 14.")
		self.assertEqual((review.docstatus, review.gm_decision), (1, rules.CANCEL_ORDER))
		with self.assertRaises(frappe.ValidationError):  # a cancelled order is not confirmed
			frappe.get_doc("Sales Order", order.name).submit()

	def test_a_change_raises_a_new_version_and_withdraws_the_old(self):
		order = new_sales_order()
		review = self.decide(self.review_all(self.new_review(order)), "Approve")
		with self.assertRaises(frappe.PermissionError):  # an internal change is the materials department's
			with as_user(SALES):
				review.raise_change("Resin", rules.INTERNAL_CHANGE)
		with as_user(MATERIALS):
			new_name = review.raise_change("Materials cannot source the resin in time", rules.INTERNAL_CHANGE)
		new = frappe.get_doc("Order Review", new_name)
		self.assertEqual((new.version, new.amended_from, new.change_origin), (2, review.name, "Internal"))
		self.assertEqual(new.workflow_state, rules.AWAITING_VP)
		self.assertEqual(self.todos(new, VP), ["Open"])
		self.assertTrue(all(row.conclusion == rules.PENDING for row in new.opinions))
		# the approved version stays valid until the vice president approves the change
		self.assertEqual(frappe.db.get_value("Order Review", review.name, "docstatus"), 1)

		with self.assertRaises(WorkflowTransitionError):  # internal change: the vice president first
			self.act(SALES, new, "Approve Change")
		new = self.act(VP, new, "Approve Change")
		self.assertEqual((new.workflow_state, new.vp_approved_by), (rules.DRAFT, VP))
		self.assertEqual(
			frappe.db.get_value(
				"Order Review", review.name, ["docstatus", "workflow_state", "superseded_by"]
			),
			(2, rules.WITHDRAWN, new.name),
		)  # old version recovered
		new = self.decide(self.review_all(self.act(SALES, new, "Send for Review")), "Approve")
		self.assertEqual((new.docstatus, new.vp_approved_by), (1, VP))

	def test_the_vice_president_may_reject_an_internal_change(self):
		review = self.decide(self.review_all(self.new_review(new_sales_order())), "Approve")
		with as_user(MATERIALS):
			rejected = review.raise_change("Line 2 is late", rules.INTERNAL_CHANGE)
		with self.assertRaises(frappe.ValidationError):  # one change at a time
			with as_user(MATERIALS):
				review.raise_change("Again", rules.INTERNAL_CHANGE)
		rejected = self.act(VP, frappe.get_doc("Order Review", rejected), "Reject Change")
		self.assertEqual(rejected.workflow_state, rules.CHANGE_REJECTED)
		self.assertEqual(frappe.db.get_value("Order Review", review.name, "docstatus"), 1)  # still valid
		with self.assertRaises(frappe.ValidationError):  # a rejected change changes no more
			with as_user(SALES):
				frappe.get_doc("Order Review", rejected.name).update({"customer_requirements": "x"}).save()
		with as_user(SALES):  # the customer's own change is still possible, under the next name
			customer_change = review.raise_change("200 more pieces", rules.CUSTOMER_CHANGE)
		self.assertEqual(customer_change, f"{review.name}-2")
		self.assertEqual(frappe.db.get_value("Order Review", review.name, "docstatus"), 2)


class TestOrderReviewOverHttp(FrappeTestCase):
	"""The desk's own calls cannot skip a state of the workflow or submit outside it."""

	def test_a_rest_save_cannot_skip_a_state_nor_submit_outside_the_workflow(self):
		frappe.set_user("Administrator")
		order = new_sales_order()
		with as_user(SALES):
			review = make_order_review(order.name).insert()
		frappe.db.commit()
		try:
			sales, gm = HttpUser(SALES), HttpUser(GM)
			for user, values in (
				(sales, {"workflow_state": rules.AWAITING_GM}),
				(sales, {"workflow_state": rules.APPROVED_STATE}),
				(gm, {"workflow_state": rules.AWAITING_GM}),
				(gm, {"gm_decision": rules.APPROVED}),
			):
				with self.subTest(user=user.user, values=values):
					response = user.put("Order Review", review.name, values)
					self.assertIn(response.status_code, (403, 417), response.text[-300:])
			response = gm.post(
				"frappe.client.submit",
				{"doc": frappe.get_doc("Order Review", review.name).as_dict(convert_dates_to_str=True)},
			)
			self.assertIn(response.status_code, (403, 417), response.text[-300:])
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value("Order Review", review.name, ["workflow_state", "docstatus"]),
				(rules.DRAFT, 0),
			)
			response = sales.apply_workflow(frappe.get_doc("Order Review", review.name), "Send for Review")
			self.assertEqual(response.status_code, 200, response.text[-300:])
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value("Order Review", review.name, "workflow_state"), rules.UNDER_REVIEW
			)
		finally:
			frappe.db.rollback()
			frappe.delete_doc("Order Review", review.name, force=True, ignore_permissions=True)
			frappe.delete_doc("Sales Order", order.name, force=True)
			frappe.db.commit()
