"""The hotline on ERPNext's Call Log (issue 23): a call made a complaint over HTTP, linked both ways,
once, by the roles that take complaints; an unanswered call given to an agent to call back."""

import frappe
from frappe.utils import add_to_date, get_datetime, now_datetime

from cs_procedures.erpnext_doctypes import calls
from cs_procedures.testing import Fixtures, SiteTestCase, message_of, purge

OFFICER, OUTSIDER, AGENT = (
	"calls.officer@example.com",
	"calls.outsider@example.com",
	"calls.agent@example.com",
)
CUSTOMER = "_CS Call Customer"
PREFIX = "_cs-test-call-"
METHOD = "cs_procedures.erpnext_doctypes.calls"


def remove_test_calls():
	"""The Call Logs `make_call` made (the site tests of the hotline share it)."""
	for name in frappe.get_all("Call Log", filters={"id": ("like", f"{PREFIX}%")}, pluck="name"):
		purge("Call Log", name)


def clean_up(fixtures):
	remove_test_calls()
	for name in frappe.get_all("Customer Complaint", filters={"customer": CUSTOMER}, pluck="name"):
		purge("Customer Complaint", name)
	frappe.db.commit()


DEPARTMENT = "_CS Hotline"


def prepare(fixtures):
	"""The users read Call Logs as ERPNext's Employee role does (the CS roles have no rule on Call Log);
	ERPNext keeps that role only for a user with an Employee record, which the department gives."""
	clean_up(fixtures)
	for user in (OFFICER, OUTSIDER, AGENT):
		frappe.get_doc("User", user).add_roles("Employee")


FIXTURES = Fixtures(
	users={
		OFFICER: (["CS Officer"], DEPARTMENT),
		OUTSIDER: ([], DEPARTMENT),
		AGENT: (["CS Officer"], DEPARTMENT),
	},
	departments=(DEPARTMENT,),
	customers=(CUSTOMER,),
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def make_call(**values):
	"""A committed Call Log (as a telephony integration writes it), an answered incoming call by default."""
	call = frappe.get_doc(
		{
			"doctype": "Call Log",
			"id": PREFIX + frappe.generate_hash(length=10),
			"from": "+86 10 5550 0101",
			"to": "+86 10 8888 0000",
			"type": "Incoming",
			"status": "Completed",
			"start_time": add_to_date(now_datetime(), hours=-2).replace(microsecond=0),
			"duration": 240,
			"customer": CUSTOMER,
			"summary": "The dryer <b>stopped</b> after a week\nSecond line",
			"cs_outcome": "Promised a technician",
			**values,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return call


class TestCallsToComplaints(SiteTestCase):
	def test_an_officer_makes_a_complaint_of_a_call_once(self):
		call = make_call()
		officer = self.as_http(OFFICER)
		response = officer.post(
			f"{METHOD}.make_complaint", {"call_log": call.name, "complaint_type": "Quality"}
		)
		self.assertEqual(response.status_code, 200, message_of(response))
		name = response.json["message"]
		complaint = frappe.get_doc("Customer Complaint", name)
		self.assertEqual(complaint.cs_call_log, call.name)
		self.assertEqual(frappe.db.get_value("Call Log", call.name, "cs_customer_complaint"), name)
		self.assertEqual(frappe.db.get_value("Call Log", call.name, "cs_call_purpose"), "Complaint")
		self.assertEqual(
			(complaint.customer, complaint.channel, complaint.complaint_type, complaint.owner),
			(CUSTOMER, "Phone", "Quality", OFFICER),
		)
		self.assertEqual(get_datetime(complaint.received_on), get_datetime(call.start_time))
		self.assertEqual(complaint.subject, "The dryer <b>stopped</b> after a week")
		self.assertIn("&lt;b&gt;stopped&lt;/b&gt;", complaint.description)
		self.assertIn("Promised a technician", complaint.description)
		self.assertTrue(
			frappe.db.exists("Version", {"ref_doctype": "Call Log", "docname": call.name}),
			"the link written on the call leaves a version",
		)
		again = officer.post(f"{METHOD}.make_complaint", {"call_log": call.name})
		self.assertRefused(again, name)
		self.assertEqual(frappe.db.count("Customer Complaint", {"cs_call_log": call.name}), 1)

	def test_a_user_without_the_role_is_refused(self):
		call = make_call()
		response = self.as_http(OUTSIDER).post(f"{METHOD}.make_complaint", {"call_log": call.name})
		self.assertEqual(response.status_code, 403, message_of(response))
		self.assertFalse(frappe.db.get_value("Call Log", call.name, "cs_customer_complaint"))
		self.assertFalse(frappe.db.exists("Customer Complaint", {"cs_call_log": call.name}))

	def test_the_link_on_the_complaint_is_written_by_the_procedure_only(self):
		call = make_call()
		name = self.as_http(OFFICER).post(f"{METHOD}.make_complaint", {"call_log": call.name}).json["message"]
		other = make_call()
		response = self.as_http(OFFICER).post(
			"frappe.client.set_value",
			{"doctype": "Customer Complaint", "name": name, "fieldname": "cs_call_log", "value": other.name},
		)
		self.assertRefused(response)
		self.assertEqual(frappe.db.get_value("Customer Complaint", name, "cs_call_log"), call.name)

	def test_a_call_without_customer_is_refused(self):
		call = make_call(customer=None)
		response = self.as_http(OFFICER).post(f"{METHOD}.make_complaint", {"call_log": call.name})
		self.assertRefused(response, call.name)


class TestCallBacks(SiteTestCase):
	def test_an_unanswered_call_goes_to_the_agents_to_do_list(self):
		call = make_call(status="No Answer", duration=0, cs_wait_seconds=45)
		due = add_to_date(now_datetime(), hours=3).replace(microsecond=0)
		response = self.as_http(OFFICER).post(
			f"{METHOD}.schedule_call_back", {"call_log": call.name, "agent": AGENT, "due": str(due)}
		)
		self.assertEqual(response.status_code, 200, message_of(response))
		stored = frappe.db.get_value(
			"Call Log", call.name, ["cs_call_back_agent", "cs_call_back_by"], as_dict=True
		)
		self.assertEqual((stored.cs_call_back_agent, get_datetime(stored.cs_call_back_by)), (AGENT, due))
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Call Log", "reference_name": call.name, "status": "Open"},
			fields=["allocated_to", "date"],
		)
		self.assertEqual([(t.allocated_to, str(t.date)) for t in todos], [(AGENT, str(due.date()))])

	def test_an_answered_call_is_not_called_back(self):
		call = make_call()
		response = self.as_http(OFFICER).post(
			f"{METHOD}.schedule_call_back",
			{"call_log": call.name, "agent": AGENT, "due": str(now_datetime())},
		)
		self.assertRefused(response, call.name)

	def test_the_hourly_job_assigns_call_backs_written_elsewhere_once(self):
		due = add_to_date(now_datetime(), hours=1).replace(microsecond=0)
		call = make_call(status="Busy", cs_call_back_agent=AGENT, cs_call_back_by=due)
		calls.assign_call_backs()
		filters = {"reference_type": "Call Log", "reference_name": call.name, "allocated_to": AGENT}
		self.assertEqual(frappe.db.count("ToDo", filters), 1)
		frappe.db.set_value("ToDo", {"reference_name": call.name}, "status", "Closed")
		calls.assign_call_backs()
		self.assertEqual(frappe.db.count("ToDo", filters), 1, "a closed call back is not repeated")
