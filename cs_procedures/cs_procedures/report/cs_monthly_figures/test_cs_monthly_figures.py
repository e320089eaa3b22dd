"""CS Monthly Figures (issue 23, 001 §4.10): each figure of a test month equals a count taken directly
from the records; who may read it; hostile text escaped in the report and the print; the first-working-day
job sends once, without e-mail too, and a failure for one recipient leaves the others told and is
made good the next day."""

from datetime import date, datetime
from statistics import mean
from unittest.mock import patch

import frappe
from frappe.utils import flt

from cs_procedures import complaint_summary, figures, notifications
from cs_procedures.cs_procedures.print_format.test_escaping import EscapingAssertions, escaped, hostile
from cs_procedures.cs_procedures.report.cs_monthly_figures import cs_monthly_figures as report
from cs_procedures.erpnext_doctypes.test_calls import make_call, remove_test_calls
from cs_procedures.testing import (
	Fixtures,
	SiteState,
	SiteTestCase,
	assert_inert,
	complaint_doc,
	emails,
	new_survey_campaign,
	purge,
	run_report,
	sample_record,
	set_stored_state,
)

MANAGER, GENERAL_MANAGER, OFFICER = emails("figures", "manager", "gm", "officer")
CUSTOMER = "_CS Figures Customer"
MONTH = date(2021, 7, 1)
HOLIDAYS = "_CS Figures Holidays"
SENDING_DAY = date(2021, 8, 2)  # 1 August 2021 is a Sunday, on the test's holiday list
# (received on, type, closed on, loss, cause); the June complaint makes the first July one a repeat
COMPLAINTS = [
	(datetime(2021, 6, 28, 9), "Quality", None, 0, None),
	(datetime(2021, 7, 5, 10), "Quality", datetime(2021, 7, 6, 16), 100, "Serious"),
	(datetime(2021, 7, 20, 11), "Quality", None, 0, "Occasional"),
	(datetime(2021, 7, 25, 8), "Delivery", datetime(2021, 7, 27, 8), 50, "Serious"),
]
# (day, type, status, wait, talk, purpose)
CALLS = [
	(2, "Incoming", "Completed", 10, 200, "Complaint"),
	(2, "Incoming", "No Answer", 40, 0, "Enquiry"),
	(15, "Outgoing", "Completed", None, 90, "Other"),
]


def clean_up(fixtures):
	remove_test_calls()
	for doctype in ("Customer Complaint", "Satisfaction Survey Campaign", "Customer Visit", "Warranty Claim"):
		for name in frappe.get_all(doctype, filters={"customer": CUSTOMER}, pluck="name"):
			purge(doctype, name)
	plans = frappe.get_all("Customer Visit Plan Item", filters={"customer": CUSTOMER}, pluck="parent")
	for name in set(plans):
		purge("Customer Visit Plan", name)
	frappe.db.delete("Notification Log", {"link": figures.report_link(MONTH)})
	frappe.db.delete("Error Log", {"method": ("like", "%monthly figures%")})
	if frappe.db.exists("Holiday List", HOLIDAYS):
		frappe.delete_doc("Holiday List", HOLIDAYS, force=True)


def prepare(fixtures):
	clean_up(fixtures)
	frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": HOLIDAYS,
			"from_date": date(2021, 1, 1),
			"to_date": date(2021, 12, 31),
			"holidays": [{"holiday_date": date(2021, 8, 1), "description": "Sunday"}],
		}
	).insert()
	fixtures.state.settings(
		holiday_list=HOLIDAYS,
		# an officer may not open the report: named or not, the figures are not sent to them
		monthly_figures_recipients=[{"user": MANAGER}, {"user": GENERAL_MANAGER}, {"user": OFFICER}],
	)
	for received_on, kind, closed_on, loss, cause in COMPLAINTS:
		complaint = complaint_doc(CUSTOMER, "Figures test", "Test", kind, received_on=received_on).insert()
		values = {"loss_amount": loss, "cause_class": cause}
		if closed_on:
			set_stored_state(complaint, "Closed")
			values.update(closed_on=closed_on, sheet_issued_on=received_on)
		complaint.db_set(values, update_modified=False)
	complaint_summary.resum([received_on for received_on, *_rest in COMPLAINTS])  # planted in SQL
	for day, kind, status, wait, talk, purpose in CALLS:
		make_call(
			type=kind,
			status=status,
			start_time=datetime(2021, 7, day, 10),
			customer=CUSTOMER,
			duration=talk,
			cs_wait_seconds=wait,
			cs_call_purpose=purpose,
		)
	make_visits()
	make_repair()
	campaign = new_survey_campaign([CUSTOMER], "Figures test", send_date=date(2021, 7, 10))
	campaign.db_set(
		{
			"status": "Closed",
			"invited_customers": 1,
			"response_rate": 100,
			"is_valid": 1,
			"average_satisfaction": 88,
		}
	)


def make_visits():
	"""An approved plan of a visit in the month; one visit made on it, one outside it."""
	plan = sample_record("Customer Visit Plan", customer=CUSTOMER)
	frappe.db.set_value("Customer Visit Plan Item", {"parent": plan.name}, "visit_date", date(2021, 7, 7))
	set_stored_state(plan, "Approved")
	for day, on_plan in ((7, True), (21, False)):
		visit = sample_record("Customer Visit", customer=CUSTOMER)
		visit.db_set(
			{
				"visit_date": date(2021, 7, day),
				"visit_plan": plan.name if on_plan else None,
				"unplanned": 0 if on_plan else 1,
				"docstatus": 1,
			},
			update_modified=False,
		)


def make_repair():
	claim = sample_record("Warranty Claim", customer=CUSTOMER)
	claim.db_set(
		{
			"complaint_date": date(2021, 7, 9),
			"status": "Closed",
			"cs_repair_cost": 300,
			"cs_fault_category": "Mechanical",
		},
		update_modified=False,
	)


FIXTURES = Fixtures(
	users={MANAGER: ["CS Manager"], GENERAL_MANAGER: ["CS General Manager"], OFFICER: ["CS Officer"]},
	customers=(CUSTOMER,),
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()

PERIOD = (datetime(2021, 7, 1), datetime(2021, 8, 1))


def recount() -> dict:
	"""The month's figures counted straight from the records."""
	complaints = frappe.get_all(
		"Customer Complaint",
		filters={"docstatus": ("<", 2), "received_on": ("between", PERIOD)},
		fields=["name", "customer", "complaint_type", "received_on", "closed_on", "workflow_state", "loss_amount", "cause_class"],
	)  # fmt: skip
	earlier = frappe.get_all(
		"Customer Complaint",
		filters={"docstatus": ("<", 2), "received_on": ("<", PERIOD[1])},
		fields=["name", "customer", "complaint_type", "received_on"],
	)
	closed = [c for c in complaints if c.workflow_state == "Closed"]
	repeats = sum(
		any(
			e.customer == c.customer
			and e.complaint_type == c.complaint_type
			and e.received_on < c.received_on
			and (c.received_on - e.received_on).days < 365
			for e in earlier
		)
		for c in complaints
	)
	causes = {}
	for c in complaints:
		causes[c.cause_class or "Not Set"] = causes.get(c.cause_class or "Not Set", 0) + 1
	calls = frappe.get_all(
		"Call Log", filters={"start_time": ("between", PERIOD)}, fields=["type", "status", "cs_wait_seconds"]
	)
	incoming = [c for c in calls if c.type == "Incoming"]
	plans = frappe.db.sql(
		"""select count(*) from `tabCustomer Visit Plan Item` i join `tabCustomer Visit Plan` p on p.name = i.parent
		where p.workflow_state = 'Approved' and i.visit_date between '2021-07-01' and '2021-07-31'"""
	)[0][0]
	visits = frappe.get_all(
		"Customer Visit",
		filters={"docstatus": 1, "visit_date": ("between", ("2021-07-01", "2021-07-31"))},
		fields=["unplanned"],
	)
	claims = frappe.get_all(
		"Warranty Claim",
		filters={"complaint_date": ("between", ("2021-07-01", "2021-07-31"))},
		fields=["status", "cs_repair_cost"],
	)
	returns = sum(
		frappe.db.count(doctype, {"is_return": 1, "docstatus": 1, "posting_date": ("between", ("2021-07-01", "2021-07-31")), **extra})
		for doctype, extra in (("Delivery Note", {}), ("Sales Invoice", {"update_stock": 1}))
	)  # fmt: skip
	campaign = frappe.get_all(
		"Satisfaction Survey Campaign",
		filters={"status": "Closed", "send_date": ("<=", "2021-07-31")},
		order_by="send_date desc, creation desc",
		pluck="name",
		limit=1,
	)
	return {
		"complaints": {
			"complaints": len(complaints),
			"closed": len(closed),
			"loss_amount": sum(flt(c.loss_amount) for c in complaints),
			"repeat_complaints": repeats,
			"mean_hours_to_close": flt(
				mean((c.closed_on - c.received_on).total_seconds() / 3600 for c in closed), 1
			)
			if closed
			else None,
			**{f"cause:{cause}": count for cause, count in causes.items()},
		},
		"calls": {
			"calls": len(calls),
			"incoming": len(incoming),
			"outgoing": len(calls) - len(incoming),
			"answered": sum(c.status == "Completed" for c in incoming),
			"mean_wait": flt(mean(c.cs_wait_seconds for c in incoming), 1) if incoming else None,
		},
		"visits": {
			"planned": plans,
			"made": len(visits),
			"outside_plan": sum(v.unplanned for v in visits),
		},
		"repairs": {
			"claims": len(claims),
			"closed": sum(c.status == "Closed" for c in claims),
			"repair_cost": sum(flt(c.cs_repair_cost) for c in claims),
		},
		"returns": {"returns": returns},
		"satisfaction": {"campaign": campaign[0] if campaign else None},
	}


def as_dict(month: dict) -> dict:
	return {
		section["key"]: {item["key"]: item["value"] for item in section["figures"]}
		for section in month["sections"]
	}


class TestMonthlyFigures(EscapingAssertions, SiteTestCase):
	def test_the_figures_equal_the_records_of_the_month(self):
		got = as_dict(figures.month_figures(date(2021, 7, 19)))
		expected = recount()
		self.assertEqual(expected["complaints"]["complaints"], 3)  # the test's own complaints at least
		self.assertGreaterEqual(expected["calls"]["calls"], 3)
		self.assertEqual(expected["satisfaction"]["campaign"], got["satisfaction"]["campaign"])
		for section, values in expected.items():
			for key, value in values.items():
				with self.subTest(section=section, figure=key):
					self.assertEqual(got[section][key], value)
		campaign = frappe.get_doc("Satisfaction Survey Campaign", got["satisfaction"]["campaign"])
		self.assertEqual(got["satisfaction"]["average_satisfaction"], flt(campaign.average_satisfaction))

	def test_the_report_as_the_managers_and_not_as_an_officer(self):
		for user in (MANAGER, GENERAL_MANAGER):
			with self.subTest(user=user):
				response = self.as_http(user).post(
					"frappe.desk.query_report.run",
					{"report_name": figures.REPORT, "filters": frappe.as_json({"month": "2021-07-01"})},
				)
				self.assertEqual(response.status_code, 200, response.text[-400:])
				result = response.json["message"]
				rows = {(row["section"], row["figure"]): row["value"] for row in result["result"]}
				self.assertEqual(
					rows[("Complaints", "Complaints Received")], str(recount()["complaints"]["complaints"])
				)
				self.assertTrue(result["chart"]["data"]["labels"])
				printed = self.as_http(user).post(
					"cs_procedures.figures.print_month", {"month": "2021-07-01"}
				)
				self.assertEqual(printed.status_code, 200, printed.text[-400:])
				self.assertIn("客服月度统计报表", printed.json["message"])
		officer = self.as_http(OFFICER)
		self.assertRefused(
			officer.post(
				"frappe.desk.query_report.run",
				{"report_name": figures.REPORT, "filters": frappe.as_json({"month": "2021-07-01"})},
			)
		)
		self.assertRefused(officer.post("cs_procedures.figures.print_month", {"month": "2021-07-01"}))

	def test_hostile_text_leaves_escaped(self):
		"""A cause written past the Select's validation (an import, SQL) is shown, escaped once."""
		name = frappe.get_all(
			"Customer Complaint", filters={"customer": CUSTOMER, "cause_class": "Occasional"}, pluck="name"
		)[0]
		frappe.db.set_value("Customer Complaint", name, "cause_class", hostile("cause"))
		try:
			_columns, rows, _message, chart = run_report(report, MANAGER, {"month": "2021-07-01"})
			assert_inert(self, rows, chart)
			self.assertTrue(any(escaped("cause") in row["figure"] for row in rows))
			self.assertEscaped(figures.render_month(figures.month_figures(MONTH)), "cause")
		finally:
			frappe.db.rollback()

	def test_sent_once_on_the_first_working_day(self):
		self.assertEqual(figures.send_monthly_figures(date(2021, 8, 1)), [])  # a holiday: not yet
		email = SiteState()
		email.outgoing_email(True)
		try:
			before = frappe.db.count("Email Queue")
			self.assertEqual(figures.send_monthly_figures(SENDING_DAY), [GENERAL_MANAGER, MANAGER])
			self.assertEqual(frappe.db.count("Email Queue"), before + 2)
			self.assertEqual(figures.send_monthly_figures(SENDING_DAY), [])  # twice a day: nothing again
			self.assertEqual(figures.send_monthly_figures(date(2021, 8, 3)), [])  # nor the day after
			self.assertEqual(frappe.db.count("Email Queue"), before + 2)
		finally:
			frappe.db.rollback()
			email.restore()
		told = frappe.get_all(
			"Notification Log", filters={"link": figures.report_link(MONTH)}, pluck="for_user"
		)
		self.assertEqual(told, [])  # rolled back above

	def test_without_e_mail_and_with_one_failing_recipient(self):
		email = SiteState()
		email.outgoing_email(False)
		real = notifications.notify_page

		def failing_for_the_manager(user, *args):
			if user == MANAGER:
				raise RuntimeError("planted")
			return real(user, *args)

		try:
			with patch.object(notifications, "notify_page", failing_for_the_manager):
				self.assertEqual(figures.send_monthly_figures(SENDING_DAY), [GENERAL_MANAGER])
			self.assertTrue(frappe.db.exists("Error Log", {"method": "The CS monthly figures were not sent"}))
			# the next day's run tells the one left
			self.assertEqual(figures.send_monthly_figures(date(2021, 8, 3)), [MANAGER])
			told = frappe.get_all(
				"Notification Log",
				filters={"link": figures.report_link(MONTH)},
				pluck="for_user",
				order_by="for_user",
			)
			self.assertEqual(told, [GENERAL_MANAGER, MANAGER])
		finally:
			frappe.db.rollback()
			email.restore()
