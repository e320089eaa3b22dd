"""Visit plans, visit records and overdue-visit reminders, acted by each role over HTTP."""

import frappe
from frappe.utils import add_days, getdate, today

from cs_procedures.cs_procedures.doctype.customer_visit import scheduled
from cs_procedures.cs_procedures.doctype.customer_visit.visits_site import GRADE_FIELD
from cs_procedures.procedures import visits as rules
from cs_procedures.testing import Fixtures, SiteTestCase, as_user, emails, purge

test_ignore = ["Customer", "Contact", "Department", "Event"]

MANAGER, OFFICER, OTHER_OFFICER, HEAD = emails("visit", "manager", "officer", "officer2", "head")
PLANNED = "_CS Visit Planned Customer"
UNPLANNED = "_CS Visit Unplanned Customer"
OVERDUE = "_CS Visit Overdue Customer"
MAKE_COMPLAINT = "cs_procedures.cs_procedures.doctype.customer_visit.customer_visit.make_complaint"
SALES = "CS Visit Sales"


def delete_plan_events(fixtures):
	"""The calendar events an approved plan made go with the plan."""
	for doctype, name in fixtures.created:
		if doctype == "Customer Visit Plan":
			for event in frappe.get_all("Customer Visit Plan Item", {"parent": name}, pluck="event"):
				if event:
					frappe.delete_doc("Event", event, force=True, ignore_permissions=True)


FIXTURES = Fixtures(
	users={
		MANAGER: ["CS Manager", "CS Officer"],
		OFFICER: ["CS Officer"],
		OTHER_OFFICER: ["CS Officer"],
		HEAD: (["CS Department Head"], SALES),
	},
	customers=[PLANNED, UNPLANNED, OVERDUE],
	departments=[SALES],
	settings={
		"visit_intervals": [{"grade": "A", "interval_days": 30}, {"grade": "B", "interval_days": 60}],
		"default_visit_interval_days": 90,
		"visit_plan_tolerance_days": 3,
	},
	clean_up=delete_plan_events,
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def ok(response):
	assert response.status_code == 200, f"{response.status_code}: {response.text[-500:]}"
	return response.json.get("message")


class VisitTestCase(SiteTestCase):
	refused_rolls_back = True

	def new_plan(self, rows, user=OFFICER):
		with as_user(user):
			plan = frappe.get_doc(
				{
					"doctype": "Customer Visit Plan",
					"salesperson": user,
					"period_start": today(),
					"period_end": add_days(today(), 30),
					"visits": [
						{"customer": c, "visit_date": d, "key_points": "Talk <b>orders</b>"} for c, d in rows
					],
				}
			).insert()
		record(plan)
		frappe.db.commit()
		return plan

	def new_visit(self, customer, visit_date=None, user=OFFICER, **values):
		frappe.db.rollback()  # a fresh snapshot: the plans approved over HTTP
		with as_user(user):
			visit = frappe.get_doc(
				{
					"doctype": "Customer Visit",
					"customer": customer,
					"salesperson": user,
					"visit_date": visit_date or today(),
					"purpose": rules.BUILDING_THE_RELATIONSHIP,
					**values,
				}
			).insert()
		record(visit)
		frappe.db.commit()
		return visit

	def fresh(self, doc):
		frappe.db.rollback()
		return frappe.get_doc(doc.doctype, doc.name)

	def open_todos(self, doc, user=None):
		filters = {"reference_type": doc.doctype, "reference_name": doc.name, "status": "Open"}
		if user:
			filters["allocated_to"] = user
		return frappe.get_all("ToDo", filters=filters, pluck="allocated_to")


class TestVisitPlan(VisitTestCase):
	def test_only_a_cs_manager_approves_a_plan(self):
		officer, manager, head = self.as_http(OFFICER), self.as_http(MANAGER), self.as_http(HEAD)
		plan = self.new_plan([(PLANNED, add_days(today(), 2))])
		self.assertEqual(plan.workflow_state, rules.DRAFT)
		self.assertRefused(
			manager.post("frappe.client.submit", {"doc": plan.as_dict(convert_dates_to_str=True)})
		)
		ok(officer.apply_workflow(plan, "Submit for Approval"))
		plan = self.fresh(plan)
		self.assertEqual(plan.workflow_state, rules.SUBMITTED)
		self.assertIn(MANAGER, self.open_todos(plan))

		# nobody but a CS manager approves, whatever the request
		self.assertRefused(officer.apply_workflow(plan, "Approve"))
		self.assertRefused(head.apply_workflow(plan, "Approve"))
		self.assertRefused(
			officer.put(plan.doctype, plan.name, {"workflow_state": rules.APPROVED, "docstatus": 1})
		)
		self.assertRefused(officer.put(plan.doctype, plan.name, {"approved_by": MANAGER}))
		self.assertRefused(
			manager.post("frappe.client.submit", {"doc": plan.as_dict(convert_dates_to_str=True)})
		)
		# waiting for approval: the salesperson cannot change what the manager approves
		rows = [row.as_dict(convert_dates_to_str=True) for row in plan.visits]
		rows[0]["visit_date"] = add_days(today(), 3)
		self.assertRefused(officer.put(plan.doctype, plan.name, {"visits": rows}))
		plan = self.fresh(plan)
		self.assertEqual((plan.workflow_state, plan.docstatus, plan.approved_by), (rules.SUBMITTED, 0, None))

		ok(manager.apply_workflow(plan, "Approve"))
		plan = self.fresh(plan)
		self.assertEqual(
			(plan.workflow_state, plan.docstatus, plan.approved_by), (rules.APPROVED, 1, MANAGER)
		)
		self.assertFalse(self.open_todos(plan))
		event = frappe.get_doc("Event", plan.visits[0].event)
		self.assertEqual(event.owner, OFFICER)
		self.assertEqual(getdate(event.starts_on), getdate(plan.visits[0].visit_date))
		self.assertFalse(event.send_reminder)
		self.assertIn(PLANNED, [p.reference_docname for p in event.event_participants])
		self.assertNotIn("<b>", event.description or "")

	def test_a_rejected_plan_goes_back_to_the_salesperson(self):
		officer, manager = self.as_http(OFFICER), self.as_http(MANAGER)
		plan = self.new_plan([(UNPLANNED, add_days(today(), 5))])
		ok(officer.apply_workflow(plan, "Submit for Approval"))
		self.assertRefused(officer.apply_workflow(self.fresh(plan), "Reject"))
		ok(manager.apply_workflow(self.fresh(plan), "Reject"))
		plan = self.fresh(plan)
		self.assertEqual((plan.workflow_state, plan.docstatus), (rules.REJECTED, 0))
		self.assertFalse(plan.visits[0].event)
		ok(officer.apply_workflow(plan, "Submit for Approval"))
		self.assertEqual(self.fresh(plan).workflow_state, rules.SUBMITTED)

	def test_a_plan_is_the_salespersons_own_and_inside_its_period(self):
		def officers_week(visit_date):
			"""The officer's plan for the coming week, visiting on `visit_date`."""
			return frappe.get_doc(
				{
					"doctype": "Customer Visit Plan",
					"salesperson": OFFICER,
					"period_start": today(),
					"period_end": add_days(today(), 7),
					"visits": [{"customer": PLANNED, "visit_date": visit_date}],
				}
			)

		with as_user(OTHER_OFFICER), self.assertRaises(frappe.PermissionError):
			officers_week(today()).insert()
		with as_user(OFFICER), self.assertRaises(frappe.ValidationError):
			officers_week(add_days(today(), 8)).insert()
		frappe.db.rollback()


class TestVisitRecord(VisitTestCase):
	def test_an_unplanned_visit_needs_the_managers_permission(self):
		officer, manager = self.as_http(OFFICER), self.as_http(MANAGER)
		visit = self.new_visit(
			UNPLANNED, follow_ups=[{"action": "Send the new catalogue", "assigned_to": MANAGER}]
		)
		self.assertTrue(visit.unplanned)
		self.assertFalse(visit.visit_plan)
		self.assertRefused(
			officer.post("frappe.client.submit", {"doc": visit.as_dict(convert_dates_to_str=True)})
		)
		self.assertRefused(officer.run_doc_method(visit, "permit"))
		self.assertRefused(officer.put(visit.doctype, visit.name, {"permitted_by": MANAGER}))
		self.assertFalse(self.fresh(visit).permitted_by)

		ok(officer.run_doc_method(self.fresh(visit), "request_permission"))
		visit = self.fresh(visit)
		self.assertTrue(visit.permission_requested_on)
		self.assertIn(MANAGER, self.open_todos(visit))
		ok(manager.run_doc_method(visit, "permit"))
		visit = self.fresh(visit)
		self.assertEqual(visit.permitted_by, MANAGER)
		self.assertNotIn(MANAGER, self.open_todos(visit))

		self.assertRefused(officer.put(visit.doctype, visit.name, {"permitted_on": "2020-01-01 00:00:00"}))
		ok(
			officer.post(
				"frappe.client.submit", {"doc": self.fresh(visit).as_dict(convert_dates_to_str=True)}
			)
		)
		visit = self.fresh(visit)
		self.assertEqual(visit.docstatus, 1)
		self.assertEqual(self.open_todos(visit, MANAGER), [MANAGER])  # the follow-up action

	def test_permission_comes_before_the_visit(self):
		"""000 II-1.3: request, permission, then the visit; not a permission for a visit already made."""
		officer, manager = self.as_http(OFFICER), self.as_http(MANAGER)
		past = self.new_visit(UNPLANNED, visit_date=add_days(today(), -2))
		self.assertRefused(officer.run_doc_method(past, "request_permission"))
		self.assertRefused(manager.run_doc_method(self.fresh(past), "permit"))
		self.assertFalse(self.fresh(past).permitted_by)
		# a permission stamped after the visit's day does not let it be recorded
		later = self.new_visit(UNPLANNED, visit_date=add_days(today(), 1))
		ok(manager.run_doc_method(later, "permit"))
		frappe.db.set_value(
			later.doctype, later.name, "visit_date", add_days(today(), -1), update_modified=False
		)
		frappe.db.commit()
		self.assertRefused(
			officer.post(
				"frappe.client.submit", {"doc": self.fresh(later).as_dict(convert_dates_to_str=True)}
			)
		)
		self.assertEqual(self.fresh(later).docstatus, 0)

	def test_a_permission_does_not_carry_over_to_another_day(self):
		visit = self.new_visit(UNPLANNED, visit_date=add_days(today(), 1))
		with as_user(MANAGER):
			visit.permit()
		frappe.db.commit()
		with as_user(OFFICER):
			visit = frappe.get_doc(visit.doctype, visit.name)
			visit.visit_date = add_days(today(), 2)
			visit.save()
			self.assertFalse(visit.permitted_by)
			self.assertRaises(frappe.ValidationError, visit.submit)
		frappe.db.rollback()

	def test_a_planned_visit_is_recorded_without_permission(self):
		manager, officer = self.as_http(MANAGER), self.as_http(OFFICER)
		plan = self.new_plan([(PLANNED, add_days(today(), 10))])
		ok(officer.apply_workflow(plan, "Submit for Approval"))
		ok(manager.apply_workflow(self.fresh(plan), "Approve"))
		visit = self.new_visit(PLANNED, visit_date=add_days(today(), 12))  # within the tolerance of 3 days
		self.assertEqual(visit.visit_plan, plan.name)
		self.assertFalse(visit.unplanned)
		ok(officer.post("frappe.client.submit", {"doc": visit.as_dict(convert_dates_to_str=True)}))
		far = self.new_visit(PLANNED, visit_date=add_days(today(), 14))
		self.assertTrue(far.unplanned)
		other = self.new_visit(PLANNED, visit_date=add_days(today(), 10), user=OTHER_OFFICER)
		self.assertTrue(other.unplanned, "another salesperson's plan does not cover this visit")

	def test_nobody_records_a_visit_for_another_salesperson(self):
		self.assertRefused(
			self.as_http(OTHER_OFFICER).post(
				"frappe.client.insert",
				{
					"doc": {
						"doctype": "Customer Visit",
						"customer": PLANNED,
						"salesperson": OFFICER,
						"visit_date": today(),
						"purpose": rules.FIRST_VISIT,
					}
				},
			)
		)
		visit = self.new_visit(UNPLANNED)
		self.assertRefused(
			self.as_http(OTHER_OFFICER).put(visit.doctype, visit.name, {"summary": "mine now"})
		)
		self.assertRefused(
			self.as_http(OTHER_OFFICER).put(visit.doctype, visit.name, {"salesperson": OTHER_OFFICER})
		)

	def test_a_complaint_heard_during_a_visit_becomes_a_complaint(self):
		officer = self.as_http(OFFICER)
		visit = self.new_visit(UNPLANNED, complaints_heard="Labels <script>peel</script> off")
		complaint = ok(officer.post(MAKE_COMPLAINT, {"source_name": visit.name}))
		self.assertEqual(
			(complaint["doctype"], complaint["channel"], complaint["customer"], complaint["customer_visit"]),
			("Customer Complaint", "Visit", UNPLANNED, visit.name),
		)
		self.assertNotIn("<script>", complaint["description"])
		self.assertIn("Labels", complaint["description"])
		complaint.update({"complaint_type": "Quality"})
		saved = ok(officer.post("frappe.client.insert", {"doc": complaint}))
		record("Customer Complaint", saved["name"])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Customer Complaint", saved["name"], "customer_visit"), visit.name
		)
		self.assertRefused(self.as_http(HEAD).post(MAKE_COMPLAINT, {"source_name": visit.name}))


class TestOverdueVisitReminder(VisitTestCase):
	def test_one_reminder_per_customer_and_period(self):
		has_grade = frappe.get_meta("Customer").has_field(GRADE_FIELD)
		values = {"account_manager": OFFICER}
		if has_grade:
			values[GRADE_FIELD] = "A"
		frappe.db.set_value("Customer", OVERDUE, values)
		frappe.db.sql("update tabCustomer set creation=%s where name=%s", (add_days(today(), -200), OVERDUE))
		frappe.db.commit()
		before = set(frappe.get_all("Customer Visit Reminder", pluck="name"))
		try:
			scheduled.remind_overdue_visits()
			frappe.db.commit()
			scheduled.remind_overdue_visits()  # the second run of the day repeats nothing
			frappe.db.commit()
			mine = frappe.get_all(
				"Customer Visit Reminder",
				filters={"customer": OVERDUE},
				fields=["name", "status", "due_date", "interval_days"],
			)
			self.assertEqual(len(mine), 1, mine)
			(reminder,) = mine
			interval = 30 if has_grade else 90
			self.assertEqual(reminder.interval_days, interval)
			self.assertEqual(getdate(reminder.due_date), getdate(add_days(today(), -200 + interval)))
			doc = frappe.get_doc("Customer Visit Reminder", reminder.name)
			self.assertEqual(self.open_todos(doc), [OFFICER])

			# a visit answers the reminder; the next run finds the customer visited
			visit = self.new_visit(OVERDUE)
			with as_user(MANAGER):
				visit.permit()
			with as_user(OFFICER):
				frappe.get_doc(visit.doctype, visit.name).submit()
			frappe.db.commit()
			self.assertEqual(
				frappe.db.get_value("Customer Visit Reminder", reminder.name, "status"), "Visited"
			)
			self.assertFalse(self.open_todos(doc))
			scheduled.remind_overdue_visits()
			frappe.db.commit()
			self.assertEqual(frappe.db.count("Customer Visit Reminder", {"customer": OVERDUE}), 1)
		finally:
			frappe.db.rollback()
			for name in set(frappe.get_all("Customer Visit Reminder", pluck="name")) - before:
				purge("Customer Visit Reminder", name)
			frappe.db.sql("update tabCustomer set creation=%s where name=%s", (frappe.utils.now(), OVERDUE))
			frappe.db.commit()
