"""Return / exchange approval (001 4.12.2) in a real site: a request made from a complaint, approved
by the CS manager through the workflow, bounding ERPNext's own return Delivery Note and credit note.

The requests a user would make are made over HTTP by users holding real roles (REST, the workflow
action, the mapped return the desk opens, `frappe.client.submit`)."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime, today

from cs_procedures.cs_procedures.doctype.return_request.return_request import (
	make_credit_note,
	make_from_complaint,
	make_return_delivery_note,
)
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scoring import count_returns
from cs_procedures.procedures import after_sales as rules
from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	HttpUser,
	SiteTestCase,
	as_user,
	company,
	complaint_doc,
	emails,
	make_delivery_note,
)

test_ignore = ["Item", "Customer", "Contact", "Warehouse", "UOM", "Department", "Sales Order"]

MANAGER, OFFICER, STORE = emails("rr", "manager", "officer", "store")
CUSTOMER = "_CS Returns Customer"
OTHER = "_CS Returns Other Customer"
SHARED = {}


def prepare(fixtures):
	"""The deliveries (and the invoice) every request of the module returns goods from."""
	SHARED["delivery"] = make_delivery_note(CUSTOMER, 10)
	SHARED["other_delivery"] = make_delivery_note(OTHER, 4)
	SHARED["invoice"] = make_invoice(SHARED["delivery"])


FIXTURES = Fixtures(
	users={
		MANAGER: ["CS Manager", "CS Officer"],
		OFFICER: ["CS Officer"],
		STORE: ["Stock User", "Accounts User", "Sales User"],
	},
	customers=[CUSTOMER, OTHER],
	settings={"returns_need_approval": 0},
	prepare=prepare,
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def make_invoice(delivery):
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	invoice = make_sales_invoice(delivery.name)
	invoice.submit()
	return invoice


def new_complaint(customer=CUSTOMER, delivery=None):
	with as_user(MANAGER):
		doc = complaint_doc(
			customer,
			"Dryers do not heat",
			"Three dryers arrived without heating.",
			follower=OFFICER,
			customer_request="Refund",
			delivery_note=(delivery or SHARED["delivery"]).name,
			item_code=DEMO_ITEM,
			qty=10,
			defect_qty=3,
			customer_required_by=add_days(now_datetime(), 14),
		).insert()
	record(doc)
	return doc


def new_request(complaint=None, **values):
	"""A request made as the desk makes it: *Create > Return Request* on the complaint, saved."""
	complaint = complaint or new_complaint()
	with as_user(OFFICER):
		doc = make_from_complaint(complaint.name)
		doc.update(values)
		doc.insert()
	record(doc)
	return doc


def act(user, doc, action):
	with as_user(user):
		apply_workflow(frappe.get_doc(doc.doctype, doc.name), action)
	doc.reload()
	return doc


def approved_request(approved_qty=None, **values):
	doc = act(OFFICER, new_request(**values), "Submit for Approval")
	if approved_qty is not None:
		with as_user(MANAGER):
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.items[0].approved_qty = approved_qty
			doc.save()
	return act(MANAGER, doc, "Approve")


class TestReturnRequest(SiteTestCase):
	def committed_http(self, user) -> HttpUser:
		frappe.db.commit()
		return HttpUser(user)

	def test_request_from_a_complaint(self):
		complaint = new_complaint()
		request = new_request(complaint)
		self.assertEqual(request.customer, CUSTOMER)
		self.assertEqual(request.customer_complaint, complaint.name)
		self.assertEqual(request.delivery_note, SHARED["delivery"].name)
		self.assertEqual(request.reason, "Quality Defect")
		self.assertEqual([(r.item_code, r.qty, r.delivered_qty) for r in request.items], [(DEMO_ITEM, 3, 10)])
		self.assertEqual(request.items[0].rate, 100)
		self.assertEqual(request.total_amount, 300)
		self.assertEqual(request.workflow_state, rules.DRAFT)

	def test_request_is_held_to_the_delivery(self):
		with self.assertRaises(frappe.ValidationError):
			new_request(items=[{"item_code": DEMO_ITEM, "qty": 11}])  # more than delivered
		with self.assertRaises(frappe.ValidationError):  # another customer's delivery
			new_request(delivery_note=SHARED["other_delivery"].name)
		request = new_request(items=[{"item_code": DEMO_ITEM, "qty": 2, "rate": 1}])
		self.assertEqual(request.items[0].rate, 100)  # the rate comes from the delivery note

	def test_manager_approves_what_was_asked_or_less(self):
		request = act(OFFICER, new_request(), "Submit for Approval")
		self.assertEqual(request.items[0].approved_qty, 3)  # the manager starts from what was asked
		self.assertTrue(request.submitted_on)
		with as_user(MANAGER):
			doc = frappe.get_doc(request.doctype, request.name)
			doc.items[0].approved_qty = 4
			with self.assertRaises(frappe.ValidationError):
				doc.save()  # more than asked
		request = approved_request(approved_qty=2)
		self.assertEqual(request.docstatus, 1)
		self.assertEqual(request.workflow_state, rules.APPROVED)
		self.assertEqual(request.approved_by, MANAGER)
		self.assertEqual(request.items[0].approved_qty, 2)
		self.assertEqual(request.return_status, rules.NOT_RETURNED)

	def test_rejection_says_why(self):
		request = act(OFFICER, new_request(), "Submit for Approval")
		with self.assertRaises(frappe.ValidationError):
			act(MANAGER, request, "Reject")
		with as_user(MANAGER):
			doc = frappe.get_doc(request.doctype, request.name)
			doc.approval_note = "Damage caused by misuse."
			doc.save()
		self.assertEqual(act(MANAGER, request, "Reject").workflow_state, rules.REJECTED)

	def test_officer_cannot_approve_or_forge_over_http(self):
		draft = new_request()
		officer = self.committed_http(OFFICER)
		row = draft.items[0].as_dict(convert_dates_to_str=True)
		self.assertRefused(
			officer.put(draft.doctype, draft.name, {"items": [{**row, "approved_qty": 3}]}), status=(403, 417)
		)
		request = act(OFFICER, draft, "Submit for Approval")
		officer = self.committed_http(OFFICER)
		self.assertRefused(officer.apply_workflow(request, "Approve"), status=(403, 417))
		row = request.items[0].as_dict(convert_dates_to_str=True)
		self.assertRefused(
			officer.put(request.doctype, request.name, {"items": [{**row, "approved_qty": 3}]}),
			status=(403, 417),
		)
		self.assertRefused(
			officer.put(request.doctype, request.name, {"approved_by": OFFICER}), status=(403, 417)
		)
		self.assertRefused(
			officer.post("frappe.client.submit", {"doc": request.as_dict(convert_dates_to_str=True)}),
			status=(403, 417),
		)
		self.assertRefused(officer.delete(request.doctype, request.name), status=(403, 417))
		request.reload()
		self.assertEqual((request.workflow_state, request.docstatus), (rules.SUBMITTED, 0))
		self.assertIsNone(request.approved_by)

	def test_return_carries_no_more_than_approved(self):
		request = approved_request(approved_qty=2)
		store = self.committed_http(STORE)
		mapped = store.post(
			"frappe.model.mapper.make_mapped_doc",
			{
				"method": "cs_procedures.cs_procedures.doctype.return_request.return_request.make_return_delivery_note",
				"source_name": request.name,
			},
		)
		self.assertEqual(mapped.status_code, 200, mapped.text[-400:])
		doc = mapped.json["message"]
		self.assertEqual([(r["item_code"], r["qty"]) for r in doc["items"]], [(DEMO_ITEM, -2)])
		self.assertEqual(doc["cs_return_request"], request.name)
		too_much = {**doc, "items": [{**doc["items"][0], "qty": -3, "stock_qty": -3}]}
		self.assertRefused(store.post("frappe.client.insert", {"doc": too_much}), status=(403, 417))
		saved = store.post("frappe.client.insert", {"doc": doc})
		self.assertEqual(saved.status_code, 200, saved.text[-400:])
		returned = saved.json["message"]
		record("Delivery Note", returned["name"])
		submitted = store.post("frappe.client.submit", {"doc": returned})
		self.assertEqual(submitted.status_code, 200, submitted.text[-400:])

		request.reload()
		self.assertEqual((request.returned_qty, request.items[0].returned_qty), (2, 2))
		self.assertEqual(request.return_status, rules.FULLY_RETURNED)
		complaint = frappe.get_doc("Customer Complaint", request.customer_complaint)
		self.assertEqual(complaint.return_delivery_note, returned["name"])
		# the customer follows it on the portal's complaint page
		from cs_procedures.cs_procedures.doctype.customer_complaint.portal_views import complaint_view

		self.assertEqual(
			[(r.name, r.state_words) for r in complaint_view(complaint.name).returns],
			[(request.name, "Goods Received Back")],
		)
		# nothing is left to return on the request; a hand-made return naming it is refused too
		with self.assertRaises(frappe.ValidationError):
			make_return_delivery_note(request.name)
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		extra = make_sales_return(request.delivery_note)
		extra.cs_return_request = request.name
		extra.items[0].qty = -1
		with self.assertRaises(frappe.ValidationError):
			extra.insert()

		# the survey's return deduction counts the return delivery note, not the request
		campaign = frappe._dict(period_start=add_days(today(), -1), period_end=today())
		self.assertEqual(count_returns(campaign, [CUSTOMER]).get(CUSTOMER), 1)

		# a cancelled return gives its quantity back to the request
		frappe.get_doc("Delivery Note", returned["name"]).cancel()
		request.reload()
		self.assertEqual((request.returned_qty, request.return_status), (0, rules.NOT_RETURNED))

	def test_credit_note_is_bounded_too(self):
		request = approved_request(approved_qty=2, sales_invoice=SHARED["invoice"].name)
		note = make_credit_note(request.name)
		self.assertEqual([(r.item_code, r.qty) for r in note.items], [(DEMO_ITEM, -2)])
		note.items[0].qty = -3
		with self.assertRaises(frappe.ValidationError):
			note.insert()
		note.items[0].qty = -2
		note.insert()
		note.submit()
		record(note)
		request.reload()
		self.assertEqual((request.credited_qty, request.returned_qty), (2, 0))

	def test_return_against_an_unapproved_or_other_request_is_refused(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		draft = new_request()
		returned = make_sales_return(SHARED["delivery"].name)
		returned.cs_return_request = draft.name
		returned.items[0].qty = -1
		with self.assertRaises(frappe.ValidationError):
			returned.insert()  # not approved
		other = make_sales_return(SHARED["other_delivery"].name)
		other.cs_return_request = approved_request().name
		other.items[0].qty = -1
		with self.assertRaises(frappe.ValidationError):
			other.insert()  # another customer's request

	def test_setting_requires_an_approved_request(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		FIXTURES.state.settings(returns_need_approval=1, procedure_companies=[{"company": company()}])
		try:
			plain = make_sales_return(SHARED["delivery"].name)
			plain.items[0].qty = -1
			with self.assertRaises(frappe.ValidationError):
				plain.insert()
			made = make_return_delivery_note(approved_request(approved_qty=1).name)
			made.insert()  # made from an approved request: accepted
			# money back without goods is a return too (issue 18: a credit note skipped the approval)
			from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return as credit

			note = credit(SHARED["invoice"].name)
			note.items[0].qty = -1
			self.assertFalse(note.update_stock)
			with self.assertRaisesRegex(frappe.ValidationError, "return request approved"):
				note.insert()
			# a company that does not follow the procedure makes its returns as before
			FIXTURES.state.settings(procedure_companies=[])
			plain = make_sales_return(SHARED["delivery"].name)
			plain.items[0].qty = -1
			plain.insert()
		finally:
			FIXTURES.state.settings(returns_need_approval=0)
