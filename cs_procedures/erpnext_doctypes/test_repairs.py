"""Repairs from a complaint on ERPNext's Warranty Claim and Maintenance Visit (001 4.12.3, 002 ch5 §4),
with the CS manager's approval of the repair cost, in a real site and over HTTP."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, nowtime, today

from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.after_sales import (
	create_after_sales_survey,
	schedule_key,
)
from cs_procedures.erpnext_doctypes.repairs import make_warranty_claim
from cs_procedures.procedures import after_sales as rules
from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	HttpUser,
	as_user,
	company,
	complaint_doc,
	emails,
	ensure_sales_person,
)

MANAGER, OFFICER, TECHNICIAN = emails("rep", "manager", "officer", "technician")
CUSTOMER = "_CS Repairs Customer"
REPAIRER = "_CS Test Repairer"
PART = "_CS Test Heating Element"
FIXTURES = Fixtures(
	users={
		MANAGER: ["CS Manager", "CS Officer"],
		OFFICER: ["CS Officer"],
		TECHNICIAN: ["Maintenance User"],
	},
	customers=[CUSTOMER],
	items=[DEMO_ITEM, PART],
	settings={"after_sales_survey_template": "After-Sales Service Survey", "after_sales_survey_days": 10},
	prepare=lambda fixtures: ensure_sales_person(REPAIRER),
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def new_complaint():
	with as_user(MANAGER):
		doc = complaint_doc(
			CUSTOMER,
			"Dryer stopped heating",
			"Stopped after two weeks.",
			follower=OFFICER,
			customer_request="Repair",
			item_code=DEMO_ITEM,
			customer_required_by=add_days(now_datetime(), 14),
		).insert()
	record(doc)
	return doc


def new_claim(cost=250):
	complaint = new_complaint()
	with as_user(OFFICER):
		claim = make_warranty_claim(complaint.name)
		claim.update(
			{
				"company": company(),
				"warranty_amc_status": "Out of Warranty",
				"cs_fault_category": "Electrical",
				"cs_fault_cause": "Heating element burnt out",
				"cs_repair_cost": cost,
			}
		)
		claim.insert()
	record(claim)
	return complaint, claim


def new_visit(claim, completion="Fully Completed"):
	from erpnext.support.doctype.warranty_claim.warranty_claim import make_maintenance_visit

	with as_user(TECHNICIAN):
		visit = make_maintenance_visit(claim.name)
		visit.update(
			{
				"mntc_date": today(),
				"mntc_time": nowtime(),
				"completion_status": completion,
				"maintenance_type": "Breakdown",
				"company": company(),
			}
		)
		visit.purposes[0].service_person = REPAIRER
		visit.purposes[0].work_done = "Replaced the heating element; tested 30 minutes."
		visit.append("cs_repair_parts", {"item_code": PART, "qty": 1, "rate": 120})
		visit.insert()
	record(visit)
	return visit


def call(user, method, **args):
	frappe.db.commit()
	return HttpUser(user).post(f"cs_procedures.erpnext_doctypes.repairs.{method}", args)


class TestRepairs(FrappeTestCase):
	def test_claim_from_a_complaint(self):
		complaint, claim = new_claim()
		self.assertEqual((claim.customer, claim.item_code), (CUSTOMER, DEMO_ITEM))
		self.assertEqual(claim.cs_customer_complaint, complaint.name)
		self.assertIn("Dryer stopped heating", claim.complaint)
		complaint.reload()
		self.assertEqual(complaint.warranty_claim, claim.name)

	def test_cost_is_approved_by_the_cs_manager_before_the_repair(self):
		complaint, claim = new_claim()
		visit = new_visit(claim)
		with as_user(TECHNICIAN), self.assertRaises(frappe.ValidationError):
			frappe.get_doc(visit.doctype, visit.name).submit()  # cost not asked for yet

		response = call(OFFICER, "request_cost_approval", claim=claim.name)
		self.assertEqual(response.status_code, 200, response.text[-300:])
		self.assertEqual(stored(claim, "cs_repair_cost_status"), rules.COST_AWAITING)
		self.assertIn(MANAGER, assigned(claim))
		self.assert_the_officer_cannot_decide(claim, visit)

		# a rejection says why
		self.assertEqual(call(MANAGER, "decide_cost", claim=claim.name, approve=0).status_code, 417)
		response = call(MANAGER, "decide_cost", claim=claim.name, approve=1)
		self.assertEqual(response.status_code, 200, response.text[-300:])
		self.assertEqual(stored(claim, "cs_repair_cost_status"), rules.COST_APPROVED)
		self.assertEqual(stored(claim, "cs_repair_cost_approved_by"), MANAGER)
		self.assertNotIn(MANAGER, assigned(claim))

		# a changed estimate is asked again
		with as_user(OFFICER):
			doc = frappe.get_doc(claim.doctype, claim.name)
			doc.cs_repair_cost = 400
			doc.save()
		self.assertIsNone(stored(claim, "cs_repair_cost_status"))
		call(OFFICER, "request_cost_approval", claim=claim.name)
		call(MANAGER, "decide_cost", claim=claim.name, approve=1)

		with as_user(TECHNICIAN):
			visit = frappe.get_doc(visit.doctype, visit.name)
			visit.submit()
		self.assertEqual(visit.cs_parts_cost, 120)
		self.assertEqual(stored(claim, "status"), "Closed")  # ERPNext closes the claim
		complaint.reload()
		self.assertEqual(complaint.warranty_claim, claim.name)
		self.assertEqual(str(complaint.repaired_on), today())
		self.assertIn("Replaced the heating element", complaint.repair_result)
		self.assertEqual(complaint.handling_method, "Repair")
		from cs_procedures.cs_procedures.doctype.customer_complaint.portal_views import complaint_view

		self.assertEqual(complaint_view(complaint.name).repair.state_words, "Repaired")

		# a cancelled visit takes its result back from the complaint
		with as_user("Administrator"):
			frappe.get_doc(visit.doctype, visit.name).cancel()
		complaint.reload()
		self.assertIsNone(complaint.repaired_on)
		self.assertIsNone(complaint.repair_result)

	def assert_the_officer_cannot_decide(self, claim, visit):
		"""The officer can neither decide nor write the decision by hand."""
		self.assertEqual(call(OFFICER, "decide_cost", claim=claim.name, approve=1).status_code, 403)
		frappe.db.commit()
		forged = HttpUser(OFFICER).put(
			"Warranty Claim",
			claim.name,
			{"cs_repair_cost_status": "Approved", "cs_repair_cost_approved_by": OFFICER},
		)
		self.assertEqual(forged.status_code, 200, forged.text[-300:])  # Frappe puts the values back
		self.assertEqual(stored(claim, "cs_repair_cost_status"), rules.COST_AWAITING)
		self.assertIsNone(stored(claim, "cs_repair_cost_approved_by"))
		with as_user(TECHNICIAN), self.assertRaises(frappe.ValidationError):
			frappe.get_doc(visit.doctype, visit.name).submit()

	def test_repair_without_cost_needs_no_approval(self):
		complaint, claim = new_claim(cost=0)
		visit = new_visit(claim, completion="Partially Completed")
		with as_user(TECHNICIAN):
			frappe.get_doc(visit.doctype, visit.name).submit()
		complaint.reload()
		self.assertIsNone(complaint.repaired_on)
		self.assertTrue(complaint.repair_result.startswith("Partially Completed"))
		self.assertEqual(stored(claim, "status"), "Work In Progress")

	def test_repair_report_escapes_what_it_prints(self):
		_complaint, claim = new_claim(cost=0)
		hostile = '<img src=x onerror=alert(1)>"><script>alert(1)</script>'
		frappe.db.set_value(claim.doctype, claim.name, {"cs_fault_cause": hostile, "customer_name": hostile})
		html = frappe.get_print(claim.doctype, claim.name, print_format="Product Repair Report")
		self.assertIn("产品维修报告单", html)
		self.assertNotIn("<script>alert", html)
		self.assertNotIn("<img src=x", html)
		self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)

	def test_after_sales_survey_once_per_repair(self):
		_complaint, claim = new_claim(cost=0)
		first = create_after_sales_survey(claim.name)
		self.assertEqual(create_after_sales_survey(claim.name), first)  # the job may run twice
		record("Satisfaction Survey Campaign", first)
		campaign = frappe.get_doc("Satisfaction Survey Campaign", first)
		self.assertEqual(campaign.template, "After-Sales Service Survey")
		self.assertEqual([row.customer for row in campaign.customers], [CUSTOMER])
		self.assertEqual(campaign.schedule_key, schedule_key(claim.name))
		self.assertEqual(str(campaign.reply_by), add_days(today(), 10))
		self.assertEqual(campaign.status, "Sent")  # no e-mail contact: a phone survey, sent at once
		self.assertEqual(stored(claim, "cs_after_sales_survey"), first)
		responses = frappe.get_all(
			"Satisfaction Survey Response", filters={"campaign": first}, pluck="customer"
		)
		self.assertEqual(responses, [CUSTOMER])
		for name in frappe.get_all("Satisfaction Survey Response", filters={"campaign": first}, pluck="name"):
			record("Satisfaction Survey Response", name)

	def test_a_closed_complaint_gets_no_repair(self):
		"""Issue 18: a claim linked to a closed complaint would rewrite the archived complaint."""
		from cs_procedures.testing import set_stored_state

		closed = new_complaint()
		set_stored_state(closed, "Closed")
		frappe.db.commit()
		with as_user(OFFICER), self.assertRaisesRegex(frappe.ValidationError, "is closed"):
			claim = make_warranty_claim(closed.name)
			claim.update({"company": company(), "cs_repair_cost": 0})
			claim.insert()
		# nor is an open claim moved onto it, or onto another complaint
		_complaint, claim = new_claim(cost=0)
		frappe.db.commit()
		response = HttpUser(OFFICER).put("Warranty Claim", claim.name, {"cs_customer_complaint": closed.name})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		self.assertEqual(stored(claim, "cs_customer_complaint"), _complaint.name)

	def test_the_cost_of_a_recorded_repair_stays_and_leaves_a_history(self):
		"""Issue 18: cost set to 0, the visit submitted without approval, the cost put back."""
		_complaint, claim = new_claim(cost=250)
		with as_user(OFFICER):
			doc = frappe.get_doc(claim.doctype, claim.name)
			doc.cs_repair_cost = 0
			doc.save(ignore_version=False)  # Frappe's tests keep no versions unless asked
		visit = new_visit(claim, completion="Partially Completed")
		with as_user(TECHNICIAN):
			frappe.get_doc(visit.doctype, visit.name).submit()
		with as_user(OFFICER), self.assertRaisesRegex(frappe.ValidationError, "cannot change any more"):
			doc = frappe.get_doc(claim.doctype, claim.name)
			doc.cs_repair_cost = 250
			doc.flags.ignore_links = True  # ERPNext's visit wrote its service person as the claim's resolver
			doc.save()
		self.assertEqual(stored(claim, "cs_repair_cost"), 0)
		# the lowered estimate is in the claim's history (Warranty Claim keeps versions with the app)
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": claim.doctype, "docname": claim.name}, pluck="data"
		)
		self.assertTrue(any("cs_repair_cost" in data for data in versions), versions)

	def test_the_cost_decision_is_in_the_claims_history(self):
		_complaint, claim = new_claim(cost=90)
		call(OFFICER, "request_cost_approval", claim=claim.name)
		call(MANAGER, "decide_cost", claim=claim.name, approve=1)
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": claim.doctype, "docname": claim.name}, pluck="data"
		)
		self.assertTrue(any("cs_repair_cost_approved_by" in data and MANAGER in data for data in versions))


def stored(doc, field):
	return frappe.db.get_value(doc.doctype, doc.name, field)


def assigned(doc) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": doc.doctype, "reference_name": doc.name, "status": "Open"},
		pluck="allocated_to",
	)
