"""The complaint procedure in a real site, walked by the roles that own each step."""

from datetime import datetime

import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase

from cs_procedures.cs_procedures.doctype.customer_complaint.customer_complaint import make_complaint
from cs_procedures.cs_procedures.doctype.customer_complaint.scheduled import sweep_overdue_complaints
from cs_procedures.procedures import complaint as rules
from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	SiteState,
	as_user,
	complaint_doc,
	emails,
	ensure_department,
	ensure_user,
	make_delivery_note,
	make_return,
)

# the links are created by the tests themselves, not from ERPNext's test records
test_ignore = ["Sales Order", "Delivery Note", "Sales Invoice", "Item", "Batch", "Contact", "Department"]

MANAGER, OFFICER, VP, MANAGER_ONLY, GM = emails("cs", "manager", "officer", "vp", "manager.only", "gm")
QA_HEAD, SALES_HEAD = emails("", "qa.head", "sales.head")
PRODUCTION_HEAD, FINANCE_HEAD = emails("", "production.head", "finance.head")
CUSTOMER = "_CS Test Customer"
MONDAY = datetime(2026, 1, 5, 9, 0)  # 2026-01-05 is a Monday
QUALITY, SALES = "CS Test Quality", "CS Test Sales"


def prepare(fixtures):
	"""The holiday list first: the settings name it."""
	if not frappe.db.exists("Holiday List", "_CS Test Holidays"):
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "_CS Test Holidays",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
				"holidays": [
					{"holiday_date": d, "description": "Weekend"}
					for d in ("2026-01-03", "2026-01-04", "2026-01-10", "2026-01-11")
				],
			}
		).insert()
	fixtures.state.settings(
		work_start_time="08:00:00",
		work_end_time="17:30:00",
		deadline_hours="Working Hours",
		holiday_list="_CS Test Holidays",
		sheet_issue_hours=2,
		countermeasure_hours=4,
		escalate_after_hours=2,
		vice_president=VP,
		allow_sales_only_handling=1,
		sales_reply_hours=8,
		complaint_departments=[
			{"complaint_type": "Quality", "department": fixtures.departments[QUALITY]},
			{"complaint_type": "Service", "department": fixtures.departments[SALES]},
		],
	)


FIXTURES = Fixtures(
	departments=[QUALITY, SALES],
	users={
		MANAGER: ["CS Manager", "CS Officer"],
		OFFICER: ["CS Officer"],
		QA_HEAD: (["CS Department Head", "CS Verifier"], QUALITY),
		SALES_HEAD: (["CS Department Head", "CS Verifier"], SALES),
		VP: ["CS Vice President"],
	},
	customers=[CUSTOMER],
	settings={"returns_need_approval": 0},  # the complaint's return is made without a return request
	prepare=prepare,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def new_complaint(**values):
	defaults = {
		"customer": CUSTOMER,
		"subject": "Scratched housings",
		"received_on": MONDAY,
		"follower": OFFICER,
	}
	return complaint_doc(
		**{"description": "12 of 200 housings arrived scratched.", **defaults, **values}
	).insert()


class TestCustomerComplaint(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.qa = frappe.db.get_value("Department", {"department_name": "CS Test Quality"})
		self.sales = frappe.db.get_value("Department", {"department_name": "CS Test Sales"})

	def tearDown(self):
		frappe.set_user("Administrator")

	def act(self, user, doc, action):
		with as_user(user):
			return apply_workflow(frappe.get_doc(doc.doctype, doc.name), action)

	def edit(self, user, doc, **values):
		with as_user(user):
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.update(values)
			return doc.save()

	def add_countermeasure(self, user, doc, **values):
		with as_user(user):
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.append(
				"countermeasures",
				{
					"what": "Add foam separators",
					"why": "Parts rub in transit",
					"who": "Packing team",
					"where": "Packing line 2",
					"how": "Separator per layer",
					"containment_action": "Re-inspect stock",
					"due_date": "2026-01-09",
					**values,
				},
			)
			return doc.save()

	def test_the_manager_may_reply_too(self):
		"""000 III-2.4: the reply goes out from sales or their manager (业务员或主管)."""
		ensure_user(MANAGER_ONLY, ["CS Manager"])
		doc = self.act(
			MANAGER, new_complaint(customer_required_by=datetime(2027, 1, 8, 17, 0)), "Issue Sheet"
		)
		self.add_countermeasure(QA_HEAD, doc)
		doc = self.act(QA_HEAD, doc, "Approve Countermeasure")
		self.edit(MANAGER_ONLY, doc, reply_summary="Replacement shipped today.")
		doc = self.act(MANAGER_ONLY, doc, "Reply to Customer")
		self.assertEqual(doc.workflow_state, rules.REPLIED)
		self.assertTrue(doc.replied_on)

	def test_a_large_claim_is_signed_off_before_closing(self):
		"""002 ch6 §9: sales, production, quality, finance, the vice president and the general manager
		sign a claim above the amount CS Settings names; each signs only their own line."""
		production, finance = ensure_department("CS Test Production"), ensure_department("CS Test Finance")
		ensure_user(PRODUCTION_HEAD, ["CS Department Head"], production)
		ensure_user(FINANCE_HEAD, ["CS Department Head"], finance)
		ensure_user(GM, ["CS General Manager"])
		FIXTURES.state.settings(
			claim_sign_off_amount=5000,
			review_departments=[
				{"function": "Sales", "department": self.sales},
				{"function": "Materials", "department": production},
				{"function": "Quality", "department": self.qa},
				{"function": "Finance", "department": finance},
			],
		)
		try:
			doc = self.verified_large_claim(production)
			self.share_the_responsibility(doc)
			with self.assertRaisesRegex(frappe.ValidationError, "signed off"):
				self.act(MANAGER, doc, "Close")
			self.sign_by_the_departments_and_the_vp(doc)
			with self.assertRaisesRegex(frappe.ValidationError, "General Manager"):
				self.act(MANAGER, doc, "Close")
			with as_user(GM):
				frappe.get_doc(doc.doctype, doc.name).sign_claim("Approved: settle with the customer.")
			doc = self.act(MANAGER, doc, "Close")
			self.assertEqual(doc.workflow_state, rules.CLOSED)
			self.assertEqual(doc.sign_offs[-1].signed_by, GM)
			from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics

			_columns, rows, *_rest = complaint_statistics.execute(
				{
					"group_by": "Stage at Fault",
					"customer": CUSTOMER,
					"from_date": "2000-01-01",
					"to_date": "2099-12-31",
				}
			)
			self.assertIn("Transport", [row.grp for row in rows])
			sheet = frappe.get_print(doc.doctype, doc.name, "Customer Complaint Sheet")
			self.assertIn("Approved: settle with the customer.", sheet)
		finally:
			FIXTURES.state.settings(claim_sign_off_amount=10000)

	def verified_large_claim(self, production):
		"""A claim of 8,000 (above the sign-off amount) walked to a confirmed verification."""
		frappe.set_user(MANAGER)
		doc = new_complaint(
			claimed_qty=200, claimed_amount=8000, customer_required_by=datetime(2027, 1, 8, 17, 0)
		)
		frappe.set_user("Administrator")
		self.assertEqual([row.function for row in doc.sign_offs], list(rules.SIGN_OFF_FUNCTIONS))
		self.assertEqual(doc.sign_offs[1].department, production)
		doc = self.act(MANAGER, doc, "Issue Sheet")
		self.add_countermeasure(QA_HEAD, doc, status="Done")
		doc = self.act(QA_HEAD, doc, "Approve Countermeasure")
		self.edit(OFFICER, doc, reply_summary="Replacement and credit for the 200 housings.")
		doc = self.act(OFFICER, doc, "Reply to Customer")
		doc = self.act(OFFICER, doc, "Request Verification")
		self.edit(QA_HEAD, doc, verification_result="Next lots without scratches.")
		return self.act(QA_HEAD, doc, "Confirm Effective")

	def share_the_responsibility(self, doc):
		"""The responsibility shared between the departments: 100 % in all, set by the CS manager."""
		with as_user(MANAGER):
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.responsibilities[0].share = 60
			self.assertRaisesRegex(frappe.ValidationError, "100 %", doc.save)
			doc.reload()
			doc.responsibilities[0].share = 100
			doc.handling_method, doc.cause_class, doc.stage_at_fault = ("Exchange", "Negligence", "Transport")
			doc.save()

	def sign_by_the_departments_and_the_vp(self, doc):
		"""Each head signs their own line, once; a signed-off claim's amount stays as signed."""
		for user, signs in (
			(SALES_HEAD, ["Sales"]),
			(PRODUCTION_HEAD, ["Production"]),
			(QA_HEAD, ["Quality"]),
			(FINANCE_HEAD, ["Finance"]),
			(VP, ["Vice President"]),
		):
			with as_user(user):
				frappe.get_doc(doc.doctype, doc.name).sign_claim(f"{user} agrees")
			signed = {
				row.function for row in frappe.get_doc(doc.doctype, doc.name).sign_offs if row.signed_by
			}
			self.assertTrue(set(signs) <= signed, (user, signed))
		with as_user(SALES_HEAD), self.assertRaises(frappe.PermissionError):  # nothing more for them
			frappe.get_doc(doc.doctype, doc.name).sign_claim("again")
		with as_user(MANAGER), self.assertRaisesRegex(frappe.PermissionError, "signed off already"):
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.claimed_amount = 4000
			doc.save()

	def test_intake_routes_and_sets_the_sheet_deadline(self):
		doc = new_complaint(received_on=datetime(2026, 1, 5, 16, 0), qty=200, defect_qty=12)
		self.assertTrue(doc.name.startswith("CC-2026-"))
		self.assertEqual(doc.workflow_state, rules.RECEIVED)
		self.assertEqual(doc.responsible_department, self.qa)
		self.assertEqual(doc.defect_rate, 6.0)
		# 16:00 + 2 working hours, the day ending at 17:30
		self.assertEqual(doc.sheet_due_by, datetime(2026, 1, 6, 8, 30))
		self.assertEqual((doc.deadline_stage, doc.next_sweep_at), (rules.STAGE_SHEET, doc.sheet_due_by))

	def test_deadline_skips_holidays(self):
		doc = new_complaint(received_on=datetime(2026, 1, 9, 17, 0))  # Friday, weekend on the holiday list
		self.assertEqual(doc.sheet_due_by, datetime(2026, 1, 12, 9, 30))

	def test_deadlines_on_the_clock_when_the_site_says_so(self):
		"""2小时内 read as clock hours: the Friday evening complaint's sheet is due the same evening."""
		FIXTURES.state.settings(deadline_hours="Clock Hours")
		try:
			doc = new_complaint(received_on=datetime(2026, 1, 9, 17, 0))
			self.assertEqual(doc.sheet_due_by, datetime(2026, 1, 9, 19, 0))
		finally:
			FIXTURES.state.settings(deadline_hours="Working Hours")

	def test_defective_quantity_cannot_exceed_quantity(self):
		with self.assertRaises(frappe.ValidationError):
			new_complaint(qty=10, defect_qty=11)

	def test_whole_procedure_by_the_four_roles(self):
		frappe.set_user(MANAGER)
		doc = new_complaint(customer_required_by=datetime(2027, 1, 8, 17, 0))
		frappe.set_user("Administrator")

		doc = self.act(MANAGER, doc, "Issue Sheet")
		self.assertEqual(doc.workflow_state, rules.SHEET_ISSUED)
		self.assertTrue(doc.sheet_issued_on)
		self.assertEqual(doc.deadline_stage, rules.STAGE_COUNTERMEASURE)
		self.assertEqual(doc.next_deadline, doc.countermeasure_due_by)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": QA_HEAD, "status": "Open"})
		)

		with self.assertRaises(frappe.ValidationError):  # no countermeasure yet
			self.act(QA_HEAD, doc, "Approve Countermeasure")
		self.add_countermeasure(QA_HEAD, doc)
		doc = self.act(QA_HEAD, doc, "Approve Countermeasure")
		self.assertEqual(doc.countermeasure_approved_by, QA_HEAD)
		self.assertEqual(doc.countermeasures[0].department, self.qa)
		self.assertEqual(doc.deadline_stage, rules.STAGE_REPLY)

		with self.assertRaises(frappe.ValidationError):  # reply text missing
			self.act(OFFICER, doc, "Reply to Customer")
		self.edit(OFFICER, doc, reply_summary="Replacement shipped; separators added from lot 2601.")
		doc = self.act(OFFICER, doc, "Reply to Customer")
		self.assertTrue(doc.replied_on)
		self.assertEqual(doc.deadline_stage, rules.STAGE_ACTIONS)

		doc = self.act(OFFICER, doc, "Request Verification")
		self.edit(QA_HEAD, doc, verification_result="Next two lots arrived without scratches.")
		with self.assertRaises(frappe.ValidationError):  # the countermeasure is still open
			self.act(QA_HEAD, doc, "Confirm Effective")
		doc = frappe.get_doc(doc.doctype, doc.name)
		doc.countermeasures[0].status = "Done"
		frappe.set_user(OFFICER)  # the follower tracks the actions
		doc.save()
		doc = self.act(QA_HEAD, doc, "Confirm Effective")
		self.assertEqual(doc.verified_by, QA_HEAD)

		with self.assertRaises(frappe.ValidationError):  # handling method missing
			self.act(MANAGER, doc, "Close")
		self.edit(MANAGER, doc, handling_method="Exchange", loss_amount=350)
		doc = self.act(MANAGER, doc, "Close")
		self.assertEqual((doc.workflow_state, doc.docstatus), (rules.CLOSED, 1))
		self.assertTrue(doc.closed_on)
		self.assertIsNone(doc.next_sweep_at)
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": doc.name, "status": "Open"}))
		sheet = frappe.get_print(doc.doctype, doc.name, "Customer Complaint Sheet")
		self.assertIn("客户抱怨处理单", sheet)
		self.assertIn("Add foam separators", sheet)

	def test_wrong_role_or_department_cannot_move_the_complaint(self):
		doc = new_complaint()
		with self.assertRaises(WorkflowTransitionError):
			self.act(OFFICER, doc, "Issue Sheet")
		doc = self.act(MANAGER, doc, "Issue Sheet")
		self.add_countermeasure(QA_HEAD, doc)
		with self.assertRaises(WorkflowTransitionError):  # head of another department
			self.act(SALES_HEAD, doc, "Approve Countermeasure")
		with self.assertRaises((WorkflowTransitionError, WorkflowPermissionError)):
			self.act(VP, doc, "Approve Countermeasure")

	def test_another_department_cannot_edit_the_countermeasure(self):
		doc = self.act(MANAGER, new_complaint(), "Issue Sheet")
		doc = self.add_countermeasure(QA_HEAD, doc)
		frappe.set_user(SALES_HEAD)
		doc = frappe.get_doc(doc.doctype, doc.name)
		doc.countermeasures[0].what = "Nothing to do"
		self.assertRaises(frappe.PermissionError, doc.save)
		doc.reload()
		doc.append(
			"countermeasures", {"what": "x", "who": "y", "due_date": "2026-01-09", "department": self.qa}
		)
		self.assertRaises(frappe.PermissionError, doc.save)

	def test_vice_president_decides_a_disputed_complaint(self):
		doc = self.act(MANAGER, new_complaint(complaint_type="Other"), "Escalate to VP")
		self.assertEqual(doc.workflow_state, rules.ESCALATED)
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": VP}))
		self.edit(VP, doc, responsible_department=self.sales)
		with self.assertRaises(frappe.ValidationError):  # the decision must be written down
			self.act(VP, doc, "Assign Department")
		self.edit(VP, doc, vp_decision="Sales handles it with the carrier.")
		doc = self.act(VP, doc, "Assign Department")
		self.assertEqual((doc.workflow_state, doc.responsible_department), (rules.SHEET_ISSUED, self.sales))

	def test_not_accepted_needs_a_reason(self):
		doc = new_complaint()
		with self.assertRaises(frappe.ValidationError):
			self.act(MANAGER, doc, "Not Accept")
		self.edit(MANAGER, doc, not_accepted_reason="Goods were damaged by the customer's forklift.")
		doc = self.act(MANAGER, doc, "Not Accept")
		self.assertEqual((doc.workflow_state, doc.docstatus), (rules.NOT_ACCEPTED, 1))

	def test_sales_alone_skips_the_sheet_only_when_allowed(self):
		doc = new_complaint(complaint_type="Service", handled_by_sales_alone=1, reply_summary="Called back.")
		frappe.db.set_single_value("CS Settings", "allow_sales_only_handling", 0)
		frappe.clear_document_cache("CS Settings", "CS Settings")
		try:
			with self.assertRaises(frappe.ValidationError):
				self.act(MANAGER, doc, "Reply to Customer")
		finally:
			frappe.db.set_single_value("CS Settings", "allow_sales_only_handling", 1)
			frappe.clear_document_cache("CS Settings", "CS Settings")
		doc = self.act(MANAGER, doc, "Reply to Customer")
		self.assertEqual(doc.workflow_state, rules.REPLIED)
		self.assertIsNone(doc.sheet_issued_on)

	def test_sweep_notifies_then_escalates_exactly_once(self):
		doc = new_complaint()  # sheet due Monday 11:00

		def alerts(user):
			return frappe.db.count("Notification Log", {"document_name": doc.name, "for_user": user})

		self.assertEqual(sweep_overdue_complaints(now=datetime(2026, 1, 5, 10, 59)), 0)
		sweep_overdue_complaints(now=datetime(2026, 1, 5, 11, 30))
		doc.reload()
		self.assertEqual((doc.breach_level, doc.is_overdue, doc.escalated_to_vp), (rules.NOTIFIED, 1, 0))
		self.assertEqual(alerts(OFFICER), 1)
		self.assertEqual(alerts(QA_HEAD), 1)
		self.assertEqual(doc.next_sweep_at, datetime(2026, 1, 5, 13, 0))

		sweep_overdue_complaints(now=datetime(2026, 1, 5, 12, 0))  # nothing new before escalation
		self.assertEqual(alerts(OFFICER), 1)

		sweep_overdue_complaints(now=datetime(2026, 1, 5, 13, 5))
		sweep_overdue_complaints(now=datetime(2026, 1, 5, 14, 0))
		doc.reload()
		self.assertEqual((doc.breach_level, doc.escalated_to_vp), (rules.ESCALATED_TO_VP, 1))
		self.assertIsNone(doc.next_sweep_at)
		self.assertEqual(alerts(VP), 1)
		self.assertEqual(alerts(OFFICER), 2)
		self.assertEqual(frappe.db.count("ToDo", {"reference_name": doc.name, "allocated_to": VP}), 1)

		# issuing the sheet starts the next stage with a fresh deadline
		doc = self.act(MANAGER, doc, "Issue Sheet")
		self.assertEqual(
			(doc.deadline_stage, doc.breach_level, doc.is_overdue), (rules.STAGE_COUNTERMEASURE, 0, 0)
		)

	def test_several_departments_each_approve_their_part(self):
		"""000 III-2.1: the tracker notifies each responsible department; the countermeasure counts as
		approved when every named department has approved its own part."""
		from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
		from cs_procedures.cs_procedures.report.complaint_tracking_ledger import complaint_tracking_ledger

		doc = new_complaint(received_on=datetime(2026, 1, 6, 9, 0))
		doc = self.edit(MANAGER, doc, responsibilities=[{"department": self.qa}, {"department": self.sales}])
		doc = self.act(MANAGER, doc, "Issue Sheet")
		for head in (QA_HEAD, SALES_HEAD):
			self.assertTrue(
				frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": head}), head
			)

		def approve_part(user):
			with as_user(user):
				frappe.get_doc(doc.doctype, doc.name).approve_part()
			return frappe.get_doc(doc.doctype, doc.name)

		self.add_countermeasure(QA_HEAD, doc)
		with self.assertRaises(frappe.ValidationError):  # sales has no 5W1H row of its own yet
			approve_part(SALES_HEAD)
		doc = approve_part(QA_HEAD)
		self.assertEqual(doc.workflow_state, rules.SHEET_ISSUED)  # sales has not approved its part
		self.assertEqual(
			[(r.department, r.approved_by) for r in doc.responsibilities],
			[(self.qa, QA_HEAD), (self.sales, None)],
		)
		with self.assertRaises(frappe.PermissionError):  # once per department
			approve_part(QA_HEAD)
		with self.assertRaises(WorkflowTransitionError):  # not while another part is open
			self.act(QA_HEAD, doc, "Approve Countermeasure")
		with as_user(QA_HEAD), self.assertRaises(frappe.PermissionError):  # nor on sales' behalf
			qa_copy = frappe.get_doc(doc.doctype, doc.name)
			qa_copy.append(
				"countermeasures",
				{"what": "x", "who": "y", "due_date": "2026-01-09", "department": self.sales},
			)
			qa_copy.save()

		self.add_countermeasure(SALES_HEAD, doc, what="Brief the carrier", who="Sales")
		doc = approve_part(SALES_HEAD)  # the last part approves the countermeasure
		self.assertEqual((doc.workflow_state, doc.countermeasure_approved_by), (rules.APPROVED, SALES_HEAD))
		self.assertTrue(all(row.approved_on for row in doc.responsibilities))

		filters = {"from_date": "2026-01-06", "to_date": "2026-01-06", "customer": CUSTOMER}
		_columns, rows, *_rest = complaint_statistics.execute(
			{**filters, "group_by": "Responsible Department"}
		)
		by_department = {row.grp: row for row in rows}
		self.assertEqual((by_department[self.qa].complaints, by_department[self.sales].complaints), (1, 1))
		_columns, rows = complaint_tracking_ledger.execute({**filters, "responsible_department": self.sales})
		(line,) = [row for row in rows if row.name == doc.name]
		self.assertIn(self.qa, line.departments)
		self.assertIn(self.sales, line.departments)

	def test_sales_alone_answers_within_the_customers_time(self):
		"""000 III-1.1: no sheet, so no two-hour sheet deadline; the follower answers in the customer's time."""
		doc = new_complaint(
			complaint_type="Service",
			handled_by_sales_alone=1,
			customer_required_by=datetime(2026, 1, 12, 17, 0),
		)
		self.assertEqual(
			(doc.deadline_stage, doc.next_deadline), (rules.STAGE_REPLY, datetime(2026, 1, 12, 17, 0))
		)
		sweep_overdue_complaints(now=datetime(2026, 1, 5, 11, 30))
		sweep_overdue_complaints(now=datetime(2026, 1, 5, 13, 5))
		doc.reload()
		self.assertEqual((doc.breach_level, doc.is_overdue, doc.escalated_to_vp), (rules.ON_TIME, 0, 0))
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": VP}))

		no_time_given = new_complaint(complaint_type="Service", handled_by_sales_alone=1)
		self.assertEqual(no_time_given.next_deadline, datetime(2026, 1, 5, 17, 0))  # 09:00 + 8 working hours

		self.edit(OFFICER, doc, reply_summary="Credit note agreed by phone.")
		doc = self.act(OFFICER, doc, "Reply to Customer")  # the follower answers, not only a CS manager
		self.assertEqual(doc.workflow_state, rules.REPLIED)
		other_officer = ensure_user("cs.officer2@example.com", ["CS Officer"])
		with self.assertRaises(WorkflowTransitionError):  # an officer who does not follow it
			self.act(other_officer, no_time_given, "Reply to Customer")

	def test_quality_complaints_are_verified_by_the_quality_department(self):
		"""001 4.9, 003 3.8: whichever department handled it, quality confirms the effect."""
		doc = self.act(MANAGER, new_complaint(), "Escalate to VP")
		self.edit(
			VP, doc, responsible_department=self.sales, vp_decision="Sales sorts it out with the carrier."
		)
		doc = self.act(VP, doc, "Assign Department")
		self.add_countermeasure(SALES_HEAD, doc)
		doc = self.act(SALES_HEAD, doc, "Approve Countermeasure")
		self.edit(OFFICER, doc, reply_summary="Carrier changed.")
		doc = self.act(OFFICER, doc, "Reply to Customer")
		doc = self.act(OFFICER, doc, "Request Verification")
		with as_user(OFFICER):
			doc = frappe.get_doc(doc.doctype, doc.name)
			doc.countermeasures[0].status = "Done"
			doc.save()
		self.edit(QA_HEAD, doc, verification_result="Two deliveries undamaged.")
		with self.assertRaises(WorkflowTransitionError):  # the handling department's verifier
			self.act(SALES_HEAD, doc, "Confirm Effective")
		doc = self.act(QA_HEAD, doc, "Confirm Effective")
		self.assertEqual((doc.workflow_state, doc.verified_by), (rules.VERIFIED, QA_HEAD))

	def test_sweep_works_without_outgoing_email(self):
		"""A fresh site has no outgoing account: notifications, to-dos and comments still happen."""
		site = SiteState()
		site.outgoing_email(False)
		try:
			doc = new_complaint()  # sheet due Monday 11:00
			sweep_overdue_complaints(now=datetime(2026, 1, 5, 11, 30))
			sweep_overdue_complaints(now=datetime(2026, 1, 5, 13, 5))
			doc.reload()
			self.assertEqual((doc.breach_level, doc.escalated_to_vp), (rules.ESCALATED_TO_VP, 1))
			for user in (OFFICER, QA_HEAD, VP):
				self.assertTrue(
					frappe.db.exists("Notification Log", {"document_name": doc.name, "for_user": user}), user
				)
			self.assertTrue(frappe.db.exists("ToDo", {"reference_name": doc.name, "allocated_to": VP}))
			self.assertEqual(
				frappe.db.count("Comment", {"reference_name": doc.name, "comment_type": "Info"}), 2
			)
			self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": doc.name}))
		finally:
			site.restore(commit=False)

	def test_sweep_emails_when_the_site_can(self):
		site = SiteState()
		site.outgoing_email(True)
		try:
			doc = new_complaint()
			sweep_overdue_complaints(now=datetime(2026, 1, 5, 11, 30))
			self.assertTrue(frappe.db.exists("Email Queue", {"reference_name": doc.name}))
		finally:
			site.restore(commit=False)

	def test_make_complaint_from_customer_and_dashboards(self):
		draft = make_complaint("Customer", CUSTOMER)
		self.assertEqual(draft.customer, CUSTOMER)
		self.assertTrue(draft.is_new())
		with self.assertRaises(frappe.ValidationError):
			make_complaint("User", "Administrator")
		for doctype, fieldname in (
			("Customer", "customer"),
			("Sales Order", "sales_order"),
			("Delivery Note", "delivery_note"),
			("Sales Invoice", "sales_invoice"),
		):
			data = frappe.get_meta(doctype).get_dashboard_data()
			items = [item for group in data.transactions for item in group["items"]]
			self.assertIn("Customer Complaint", items)
			self.assertEqual(
				(data.non_standard_fieldnames or {}).get("Customer Complaint", data.fieldname), fieldname
			)

	def test_make_complaint_from_a_delivery_and_its_return(self):
		delivery = make_delivery_note(CUSTOMER, qty=50)
		draft = make_complaint("Delivery Note", delivery.name)
		self.assertEqual((draft.customer, draft.delivery_note), (CUSTOMER, delivery.name))
		self.assertEqual((draft.item_code, draft.qty, draft.channel), (DEMO_ITEM, 50, "Phone"))

		returned = make_return(delivery.name, 5)
		draft = make_complaint("Delivery Note", returned.name)
		self.assertEqual((draft.return_delivery_note, draft.delivery_note), (returned.name, delivery.name))
		self.assertEqual((draft.channel, draft.handling_method, draft.qty), ("Returned Goods", "Return", 5))
		draft.update({"complaint_type": "Quality", "subject": "Returned: cracked", "description": "Cracked."})
		draft.insert()
		data = frappe.get_meta("Delivery Note").get_dashboard_data()
		fieldname = (data.non_standard_fieldnames or {}).get("Customer Complaint", data.fieldname)
		linked = frappe.get_all("Customer Complaint", {fieldname: delivery.name})
		self.assertEqual(len(linked), 1)


class TestComplaintIntakeAndReports(FrappeTestCase):
	def test_email_to_the_complaints_inbox_creates_a_complaint(self):
		from frappe.email.receive import InboundMail

		sender = "li.wei@cs-test-customer.example"
		if not frappe.db.exists("Contact Email", {"email_id": sender}):
			contact = frappe.get_doc({"doctype": "Contact", "first_name": "Li Wei"})
			contact.add_email(sender, is_primary=True)
			contact.append("links", {"link_doctype": "Customer", "link_name": CUSTOMER})
			contact.insert()
		account = (
			frappe.get_doc("Email Account", "_CS Complaints")
			if frappe.db.exists("Email Account", "_CS Complaints")
			else frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": "_CS Complaints",
					"email_id": "complaints@cs-test.example",
					"enable_incoming": 0,
					"enable_outgoing": 0,
					"append_to": "Customer Complaint",
				}
			)
		)
		raw = (
			f"From: Li Wei <{sender}>\r\nTo: complaints@cs-test.example\r\n"
			f"Subject: Late delivery of order 4711\r\nMessage-ID: <{frappe.generate_hash()}@cs-test.example>\r\n"
			"Date: Mon, 5 Jan 2026 09:00:00 +0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
			"The goods promised for Friday have not arrived.\r\n"
		)
		if account.is_new():
			account.insert()
		communication = InboundMail(raw.encode(), account).process()
		self.assertEqual(communication.reference_doctype, "Customer Complaint")
		complaint = frappe.get_doc("Customer Complaint", communication.reference_name)
		self.assertEqual(complaint.customer, CUSTOMER)
		self.assertEqual(complaint.channel, "E-mail")
		self.assertEqual(complaint.subject, "Late delivery of order 4711")
		self.assertIn("have not arrived", complaint.description)
		self.assertEqual(complaint.workflow_state, rules.RECEIVED)
		self.assertFalse(complaint.follower)  # triaged by a CS manager, who gets it on the to-do list
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": complaint.name, "allocated_to": MANAGER}))

	def test_reports_count_timeliness(self):
		from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
		from cs_procedures.cs_procedures.report.complaint_tracking_ledger import complaint_tracking_ledger

		on_time = new_complaint(customer=CUSTOMER, received_on=datetime(2025, 3, 3, 9, 0))
		late = new_complaint(customer=CUSTOMER, received_on=datetime(2025, 3, 4, 9, 0))
		for doc, issued in ((on_time, datetime(2025, 3, 3, 10, 0)), (late, datetime(2025, 3, 4, 15, 0))):
			frappe.db.set_value(
				doc.doctype, doc.name, {"workflow_state": rules.SHEET_ISSUED, "sheet_issued_on": issued}
			)
		filters = {"from_date": "2025-03-01", "to_date": "2025-03-31", "customer": CUSTOMER}

		_columns, rows = complaint_tracking_ledger.execute(filters)
		by_name = {row.name: row for row in rows}
		self.assertEqual(by_name[on_time.name].sheet_on_time, "Yes")
		self.assertEqual(by_name[late.name].sheet_on_time, "No")

		_columns, rows, _message, chart = complaint_statistics.execute({**filters, "group_by": "Month"})
		(month,) = rows
		self.assertEqual((month.grp, month.complaints, month.sheet_on_time_pct), ("2025-03", 2, 50.0))
		self.assertEqual(month.repeat_complaints, 1)  # the second one repeats the first
		self.assertEqual(chart["data"]["labels"], ["2025-03"])

		with self.assertRaises(frappe.ValidationError):
			complaint_statistics.execute({**filters, "group_by": "Colour"})
		with self.assertRaises(frappe.ValidationError):
			complaint_tracking_ledger.execute({"from_date": "2025-04-01", "to_date": "2025-03-01"})

	def test_ledger_shows_each_stored_value(self):
		"""The ledger's rows leave MariaDB as JSON (columns.json_rows): every declared column that is a field
		of the complaint shows its stored value, text with quotes, backslashes, line breaks and Chinese as
		typed (only "<" and ">" escaped), numbers as numbers, stamps to the second, dates as ISO text."""
		from cs_procedures.cs_procedures.report.columns import escape_text
		from cs_procedures.cs_procedures.report.complaint_tracking_ledger import complaint_tracking_ledger

		doc = new_complaint(
			received_on=datetime(2025, 5, 6, 7, 8, 9, 123456),
			subject='外壳划伤 "A" \\ O\'Neil 1 < 2 > 0\n第二行',
			qty=200,
			defect_qty=12.5,
		)
		frappe.db.set_value(doc.doctype, doc.name, "shipped_on", "2025-05-01")  # else from a delivery note
		_columns, rows = complaint_tracking_ledger.execute(
			{"from_date": "2025-05-06", "to_date": "2025-05-06", "customer": CUSTOMER}
		)
		(row,) = (row for row in rows if row.name == doc.name)
		meta = frappe.get_meta("Customer Complaint")
		stored = frappe.db.get_value("Customer Complaint", doc.name, "*", as_dict=True)
		shown = [field for field in complaint_tracking_ledger.fields() if meta.has_field(field)]
		self.assertGreater(len(shown), 25)
		for field in shown:
			value, fieldtype = stored[field], meta.get_field(field).fieldtype
			if value is None or (fieldtype == "Select" and not value):
				expected = None  # an empty Select shows nothing
			elif fieldtype == "Datetime":
				expected = value.strftime("%Y-%m-%d %H:%M:%S")
			elif fieldtype == "Date":
				expected = value.isoformat()
			elif fieldtype in ("Float", "Currency", "Percent", "Int", "Check"):
				expected = float(value)
			else:
				expected = escape_text(value)
			self.assertEqual(row[field], expected, field)
		self.assertEqual(row.subject, '外壳划伤 "A" \\ O\'Neil 1 &lt; 2 &gt; 0\n第二行')
		self.assertEqual((row.received_on, row.shipped_on), ("2025-05-06 07:08:09", "2025-05-01"))


class TestWorkflowConditionsAgreeWithTheRules(FrappeTestCase):
	"""The workflow's conditions (fixtures/workflow.json) decide which buttons the desk offers and what
	`apply_workflow` accepts; `procedures/complaint.py` decides the same for *Approve Our Part* and the
	checks of a move. Every combination of departments named, parts approved and the user's own
	department gets the same answer from both."""

	def test_department_head_conditions(self):
		from itertools import chain, combinations

		from frappe.model.workflow import get_workflow, is_transition_condition_satisfied

		workflow = get_workflow("Customer Complaint")
		approve, escalate = (
			next(t for t in workflow.transitions if t.action == action and t.allowed == "CS Department Head")
			for action in ("Approve Countermeasure", "Escalate to VP")
		)
		qa = frappe.db.get_value("Department", {"department_name": "CS Test Quality"})
		sales = frappe.db.get_value("Department", {"department_name": "CS Test Sales"})
		heads = {qa: QA_HEAD, sales: SALES_HEAD}
		checked = 0
		for named in ([qa], [qa, sales], [sales, qa]):
			for approved in chain.from_iterable(combinations(named, n) for n in range(len(named) + 1)):
				doc = frappe.new_doc("Customer Complaint")
				doc.responsible_department = named[0]
				for department in named:
					doc.append(
						"responsibilities",
						{
							"department": department,
							"approved_by": heads[department] if department in approved else None,
						},
					)
				for own, user in heads.items():
					with as_user(user):
						self.assertEqual(
							bool(is_transition_condition_satisfied(approve, doc)),
							rules.completes_approval(named, approved, own),
							(named, approved, own),
						)
						self.assertEqual(bool(is_transition_condition_satisfied(escalate, doc)), own in named)
					checked += 1
		self.assertGreaterEqual(checked, 20)
