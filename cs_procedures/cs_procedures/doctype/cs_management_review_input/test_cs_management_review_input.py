"""The management review input (ISO 9001 9.3) and the quality goals measured from real data: complaints
of a past month with their stamps, measured through Complaint Statistics by the Quality Review that
ERPNext's scheduler or a user makes, the measurement kept from forgery over HTTP; the review input
gathered, approved by the general manager only, its decisions raised as Quality Actions whose
closure comes back to the record."""

from datetime import date, datetime, timedelta

import frappe
from erpnext.quality_management.doctype.quality_review.quality_review import create_review
from frappe.utils import add_days, getdate

from cs_procedures.procedures import management_review as rules
from cs_procedures.testing import Fixtures, SiteTestCase, company, complaint_doc, message_of, purge

MANAGER, GM, QUALITY = "mri.manager@example.com", "mri.gm@example.com", "mri.quality@example.com"
CUSTOMER = "_CS MRI Customer"
GOAL = "_CS MRI complaint goal"
INPUT = "CS Management Review Input"
# a month of the past no other record of the site falls in
START, END = date(2001, 3, 1), date(2001, 3, 31)
ON_TIME, COUNT = "On-time Countermeasure %", "Complaints Received"
OBJECTIVES = (
	("Countermeasures approved on time", ON_TIME, "≥ 70 %"),
	("Complaints of the month", COUNT, "≤ 2"),
)


def clean_up(fixtures):
	for name in frappe.get_all(INPUT, filters={"from_date": START}, pluck="name"):
		for action in frappe.get_all("Quality Action", filters={"cs_management_review": name}, pluck="name"):
			purge("Quality Action", action)
		purge(INPUT, name)
	for review in frappe.get_all("Quality Review", filters={"goal": GOAL}, pluck="name"):
		purge("Quality Review", review)
	if frappe.db.exists("Quality Goal", GOAL):
		purge("Quality Goal", GOAL)
	for name in frappe.get_all("Customer Complaint", filters={"customer": CUSTOMER}, pluck="name"):
		purge("Customer Complaint", name)


def stamped_complaint(day: int, on_time: bool) -> str:
	"""A complaint received on `day` of the month whose sheet and countermeasure were stamped, the
	countermeasure on time or a day late."""
	received = datetime(START.year, START.month, day, 9, 0)
	doc = complaint_doc(CUSTOMER, f"MRI complaint {day}", "Cracked housings", received_on=received)
	doc.insert()
	due = received + timedelta(hours=6)
	frappe.db.set_value(
		"Customer Complaint",
		doc.name,
		{
			"sheet_due_by": received + timedelta(hours=2),
			"sheet_issued_on": received + timedelta(hours=1),
			"countermeasure_due_by": due,
			"countermeasure_approved_on": due - timedelta(hours=1) if on_time else due + timedelta(days=1),
			"loss_amount": 100,
		},
		update_modified=False,
	)
	return doc.name


def prepare(fixtures):
	clean_up(fixtures)
	for day, on_time in ((3, True), (10, True), (17, True), (24, False)):
		stamped_complaint(day, on_time)
	frappe.get_doc(
		{
			"doctype": "Quality Goal",
			"goal": GOAL,
			"frequency": "Monthly",
			"date": "1",
			"objectives": [
				{"objective": text, "cs_measure": measure, "target": target}
				for text, measure, target in OBJECTIVES
			]
			+ [{"objective": "Keep the complaint files in order", "target": "yes"}],
		}
	).insert()


# the CS manager prepares, the general manager approves, a quality manager reviews goals and acts
USERS = {MANAGER: ["CS Manager"], GM: ["CS General Manager"], QUALITY: ["Quality Manager"]}
FIXTURES = Fixtures(users=USERS, customers=(CUSTOMER,), prepare=prepare, clean_up=clean_up)
setUpModule, tearDownModule = FIXTURES.hooks()


def fresh(doc) -> None:
	"""The record as the requests committed it (this connection's snapshot ended)."""
	frappe.db.rollback()
	doc.reload()


def measured(review) -> dict:
	return {row.cs_measure: (row.cs_measured_value, row.status) for row in review.reviews if row.cs_measure}


class TestMeasuredGoals(SiteTestCase):
	refused_rolls_back = True

	def review_over_http(self, **values) -> str:
		response = self.as_http(QUALITY).post(
			"frappe.client.insert", {"doc": {"doctype": "Quality Review", "goal": GOAL, **values}}
		)
		self.assertEqual(response.status_code, 200, message_of(response))
		frappe.db.rollback()  # what the request committed, seen from here
		return response.json["message"]["name"]

	def test_goals_measured_from_real_data(self):
		"""A review of the month measures the goal's objectives from the month's complaints, whatever
		the client sent for them: 3 of 4 countermeasures on time (75 % ≥ 70 %), 4 complaints (> 2)."""
		name = self.review_over_http(
			date="2001-04-01",
			reviews=[
				{"objective": OBJECTIVES[0][0], "target": "0", "cs_measured_value": 100, "status": "Passed"},
				{
					"objective": OBJECTIVES[1][0],
					"cs_measure": COUNT,
					"cs_measured_value": 0,
					"status": "Passed",
				},
				{"objective": "Keep the complaint files in order", "status": "Passed"},
			],
		)
		review = frappe.get_doc("Quality Review", name)
		self.assertEqual((getdate(review.cs_period_from), getdate(review.cs_period_to)), (START, END))
		self.assertEqual(measured(review), {ON_TIME: (75.0, "Passed"), COUNT: (4.0, "Failed")})
		self.assertEqual(review.reviews[0].target, "≥ 70 %")  # the goal's target, not the client's
		self.assertEqual(review.status, "Failed")
		# the same figure as the report shows for the month
		from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics

		rows = complaint_statistics.execute({"group_by": "Month", "from_date": START, "to_date": END})[1]
		self.assertEqual([(r.complaints, r.countermeasure_on_time_pct) for r in rows], [(4, 75.0)])

	def test_measurement_cannot_be_forged_afterwards(self):
		name = self.review_over_http(cs_period_from=str(START), cs_period_to=str(END))
		review = frappe.get_doc("Quality Review", name)
		row = next(r for r in review.reviews if r.cs_measure == COUNT)
		http = self.as_http(QUALITY)
		for change in (
			{"cs_measured_value": 1, "status": "Passed"},
			{"status": "Passed"},
			{"target": "≤ 10"},
		):
			rows = [
				dict(r.as_dict(convert_dates_to_str=True), **(change if r.name == row.name else {}))
				for r in review.reviews
			]
			self.assertRefused(http.put("Quality Review", name, {"reviews": rows}), "measured by the app")
		self.assertRefused(
			http.put("Quality Review", name, {"cs_period_to": "2001-03-15"}), "measured by the app"
		)
		planted = [r.as_dict(convert_dates_to_str=True) for r in review.reviews]
		planted.append({"objective": "Anything", "cs_measured_value": 99, "status": "Passed"})
		self.assertRefused(http.put("Quality Review", name, {"reviews": planted}), "measured by the app")
		kept = [r.as_dict(convert_dates_to_str=True) for r in review.reviews if r.name != row.name]
		self.assertRefused(http.put("Quality Review", name, {"reviews": kept}), "measured by the app")
		# the row's own doors: REST on the child table, set_value and delete name the row, not the review
		objective = "Quality Review Objective"
		self.assertRefused(
			http.put(objective, row.name, {"cs_measured_value": 1, "status": "Passed"}), "only by saving"
		)
		self.assertRefused(
			http.post(
				"frappe.client.set_value",
				{"doctype": objective, "name": row.name, "fieldname": "cs_measured_value", "value": 1},
			)
		)
		self.assertRefused(http.delete(objective, row.name), "only by saving")
		self.assertEqual(measured(frappe.get_doc("Quality Review", name))[COUNT], (4.0, "Failed"))
		# the reviewer's own words on a row are theirs to write
		rows = [dict(r.as_dict(convert_dates_to_str=True), review="<p>Too many</p>") for r in review.reviews]
		response = http.put("Quality Review", name, {"reviews": rows})
		self.assertEqual(response.status_code, 200, message_of(response))

	def test_review_made_by_erpnexts_scheduler_is_measured(self):
		create_review(GOAL)
		name = frappe.get_all(
			"Quality Review", filters={"goal": GOAL}, pluck="name", order_by="creation desc"
		)[0]
		review = frappe.get_doc("Quality Review", name)
		start, end = rules.review_period("Monthly", getdate())
		self.assertEqual((getdate(review.cs_period_from), getdate(review.cs_period_to)), (start, end))
		self.assertEqual(set(measured(review)), {ON_TIME, COUNT})
		frappe.db.rollback()

	def test_goal_target_must_be_readable(self):
		goal = frappe.get_doc("Quality Goal", GOAL)
		goal.objectives[0].target = "most of them"
		self.assertRaises(frappe.ValidationError, goal.save)
		frappe.db.rollback()


class TestManagementReviewInput(SiteTestCase):
	refused_rolls_back = True

	def new_input(self) -> str:
		http = self.as_http(MANAGER)
		doc = {"doctype": INPUT, "company": company(), "from_date": str(START), "to_date": str(END)}
		forged = dict(doc, figures=[{"section": "Complaints", "figure": COUNT, "value": 0, "has_value": 1}])
		self.assertRefused(http.post("frappe.client.insert", {"doc": forged}), "written by the procedure")
		response = http.post("frappe.client.insert", {"doc": doc})
		self.assertEqual(response.status_code, 200, message_of(response))
		frappe.db.rollback()  # what the request committed, seen from here
		return response.json["message"]["name"]

	def test_review_input_gathers_figures_and_tracks_its_decisions(self):
		review = frappe.get_doc({"doctype": "Quality Review", "goal": GOAL, "date": "2001-04-01"}).insert()
		frappe.db.commit()
		name = self.new_input()
		doc = frappe.get_doc(INPUT, name)
		figures = {(row.section, row.figure): row for row in doc.figures}
		self.assertEqual(figures[(rules.COMPLAINTS, COUNT)].value, 4)
		self.assertEqual(figures[(rules.COMPLAINTS, ON_TIME)].value, 75)
		self.assertEqual(figures[(rules.COMPLAINTS, "Complaint Loss")].value, 400)
		self.assertEqual(figures[(rules.GOALS, COUNT)].reference_name, review.name)
		self.assertEqual(figures[(rules.GOALS, COUNT)].result, "Failed")
		self.assertEqual(doc.requested_by, MANAGER)
		self.assertTrue(all(row.reference_name for row in doc.open_items))

		decision = {
			"decision": "Second check of housings before dispatch",
			"corrective_preventive": "Corrective",
			"responsible": QUALITY,
			"due_date": str(add_days(getdate(), 30)),
			"quality_review": review.name,
		}
		response = self.as_http(MANAGER).put(
			INPUT, name, {"decisions": [decision], "conclusions": "Complaints up"}
		)
		self.assertEqual(response.status_code, 200, message_of(response))
		fresh(doc)
		# the CS manager prepares; only the general manager approves
		self.assertRefused(self.as_http(MANAGER).post("frappe.client.submit", {"doc": doc.as_dict()}))
		response = self.as_http(GM).post("frappe.client.submit", {"doc": doc.as_dict()})
		self.assertEqual(response.status_code, 200, message_of(response))
		fresh(doc)
		self.assertEqual((doc.docstatus, doc.status, doc.approved_by), (1, "Approved", GM))
		row = doc.decisions[0]
		action = frappe.get_doc("Quality Action", row.quality_action)
		self.assertEqual((action.cs_management_review, action.review, action.goal), (name, review.name, GOAL))
		self.assertEqual((action.resolutions[0].responsible, row.action_status), (QUALITY, "Open"))
		self.assertTrue(frappe.db.exists("ToDo", {"reference_name": action.name, "allocated_to": QUALITY}))

		# the responsible closes the action: the record shows it
		resolutions = [
			dict(r.as_dict(convert_dates_to_str=True), status="Completed") for r in action.resolutions
		]
		response = self.as_http(QUALITY).put("Quality Action", action.name, {"resolutions": resolutions})
		self.assertEqual(response.status_code, 200, message_of(response))
		fresh(doc)
		self.assertEqual((doc.decisions[0].action_status, doc.status), ("Completed", "Actions Closed"))
		self.assertEqual(getdate(doc.decisions[0].completed_on), getdate())
		# the link back to the review stays, and the action is kept
		self.assertRefused(
			self.as_http(QUALITY).put("Quality Action", action.name, {"cs_management_review": ""}),
			"management review",
		)
		html = frappe.get_print(INPUT, name, "CS Management Review Input")
		self.assertIn("管理评审输入", html)
		self.assertIn(action.name, html)

	def test_period_must_have_begun(self):
		http = self.as_http(MANAGER)
		ahead = add_days(getdate(), 10)
		doc = {
			"doctype": INPUT,
			"company": company(),
			"from_date": str(ahead),
			"to_date": str(add_days(ahead, 30)),
		}
		self.assertRefused(http.post("frappe.client.insert", {"doc": doc}), "not begun")
