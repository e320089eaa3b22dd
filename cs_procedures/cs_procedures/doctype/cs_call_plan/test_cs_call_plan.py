"""A call plan (电话访谈计划, issue 23): filled from a survey campaign's chase list, its calls' results
recorded against it by the agent over HTTP, each with the Call Log of the call."""

import frappe
from frappe.utils import add_days, get_datetime, getdate

from cs_procedures.erpnext_doctypes.test_calls import make_call, remove_test_calls
from cs_procedures.testing import (
	Fixtures,
	SiteTestCase,
	message_of,
	new_survey_campaign,
	purge,
)

OFFICER, OUTSIDER = "callplan.officer@example.com", "callplan.outsider@example.com"
ALPHA, BRAVO, CHARLIE = "_CS Plan Alpha", "_CS Plan Bravo", "_CS Plan Charlie"
TITLE = "_CS call plan test"
PLAN, RESPONSE = "CS Call Plan", "Satisfaction Survey Response"
FILL = "cs_procedures.cs_procedures.doctype.cs_call_plan.cs_call_plan.fill_from_chase_list"


def clean_up(fixtures):
	for name in frappe.get_all(PLAN, filters={"title": TITLE}, pluck="name"):
		purge(PLAN, name)
	remove_test_calls()
	for campaign in frappe.get_all("Satisfaction Survey Campaign", filters={"title": TITLE}, pluck="name"):
		for response in frappe.get_all(RESPONSE, filters={"campaign": campaign}, pluck="name"):
			purge(RESPONSE, response)
		purge("Satisfaction Survey Campaign", campaign)
	frappe.db.commit()


def prepare(fixtures):
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.invitations import first_response
	from cs_procedures.install import create_default_survey_template

	clean_up(fixtures)
	create_default_survey_template()
	campaign = new_survey_campaign([ALPHA, BRAVO, CHARLIE], title=TITLE)
	campaign.db_set({"status": "Sent", "invited_customers": 3})
	due = get_datetime(f"{campaign.reply_by} 23:59:59")
	for customer in (ALPHA, BRAVO, CHARLIE):
		response = first_response(campaign, (customer, None, None), due)
		if customer == CHARLIE:  # answered: not on the chase list
			frappe.db.set_value(RESPONSE, response.name, "status", "Answered")
	fixtures.shared["campaign"] = campaign.name


FIXTURES = Fixtures(
	users={OFFICER: ["CS Officer"], OUTSIDER: ["Sales User"]},
	customers=(ALPHA, BRAVO, CHARLIE),
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def outgoing_call(customer: str):
	return make_call(type="Outgoing", customer=customer, duration=90, summary=None, cs_outcome=None)


class TestCallPlan(SiteTestCase):
	refused_rolls_back = True

	def new_plan(self) -> str:
		today = getdate()
		response = self.as_http(OFFICER).post(
			"frappe.client.insert",
			{
				"doc": {
					"doctype": PLAN,
					"title": TITLE,
					"purpose": "Survey",
					"survey_campaign": FIXTURES.shared["campaign"],
					"agent": OFFICER,
					"period_start": str(today),
					"period_end": str(add_days(today, 14)),
				}
			},
		)
		self.assertEqual(response.status_code, 200, message_of(response))
		frappe.db.rollback()  # see what the request's own connection committed
		return response.json["message"]["name"]

	def filled_plan(self):
		"""A new plan the officer filled from the chase list, as stored."""
		name = self.new_plan()
		self.as_http(OFFICER).post(FILL, {"plan": name})
		frappe.db.rollback()
		return frappe.get_doc(PLAN, name)

	def test_filled_from_the_chase_list_once(self):
		name = self.new_plan()
		officer = self.as_http(OFFICER)
		response = officer.post(FILL, {"plan": name})
		self.assertEqual((response.status_code, response.json.get("message")), (200, 2), message_of(response))
		frappe.db.rollback()
		plan = frappe.get_doc(PLAN, name)
		self.assertEqual(sorted(row.customer for row in plan.calls), [ALPHA, BRAVO])
		self.assertEqual({str(row.due_date) for row in plan.calls}, {str(plan.period_end)})
		self.assertEqual(officer.post(FILL, {"plan": name}).json["message"], 0, "a customer is planned once")
		self.assertEqual(self.as_http(OUTSIDER).post(FILL, {"plan": name}).status_code, 403)

	def test_results_are_recorded_against_the_plan(self):
		plan = self.filled_plan()
		name, officer = plan.name, self.as_http(OFFICER)
		self.assertEqual(plan.status, "Open")
		calls = {ALPHA: outgoing_call(ALPHA), BRAVO: outgoing_call(BRAVO)}
		rows = [row.as_dict(convert_dates_to_str=True) for row in plan.calls]
		for row in rows:
			row.update({"result": "Call Back", "call_log": calls[row["customer"]].name})
		response = officer.put(PLAN, name, {"calls": rows})
		self.assertEqual(response.status_code, 200, message_of(response))
		frappe.db.rollback()
		plan.reload()
		self.assertEqual(plan.status, "Open", "a call back is not a final result")
		self.assertTrue(all(row.called_on for row in plan.calls))
		for row in rows:
			row["result"] = "Reached" if row["customer"] == ALPHA else "Refused"
		self.assertEqual(officer.put(PLAN, name, {"calls": rows}).status_code, 200)
		frappe.db.rollback()
		plan.reload()
		self.assertEqual(plan.status, "Completed")
		self.assertEqual(
			{row.customer: (row.result, row.call_log) for row in plan.calls},
			{ALPHA: ("Reached", calls[ALPHA].name), BRAVO: ("Refused", calls[BRAVO].name)},
		)

	def test_a_call_with_another_customer_is_refused(self):
		plan = self.filled_plan()
		name, officer = plan.name, self.as_http(OFFICER)
		wrong = outgoing_call(CHARLIE)
		rows = [row.as_dict(convert_dates_to_str=True) for row in plan.calls]
		rows[0].update({"result": "Reached", "call_log": wrong.name})
		self.assertRefused(officer.put(PLAN, name, {"calls": rows}), "another customer")
		self.assertFalse(frappe.db.get_value("CS Call Plan Customer", rows[0]["name"], "call_log"))
		late = [dict(rows[0], call_log=None, due_date=str(add_days(plan.period_end, 1)))]
		self.assertRefused(officer.put(PLAN, name, {"calls": late + rows[1:]}), "outside")
