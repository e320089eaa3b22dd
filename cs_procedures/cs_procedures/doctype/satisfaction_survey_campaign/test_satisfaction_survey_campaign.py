"""The satisfaction survey in a real site: invitations, the portal over HTTP, scoring from real
complaints and returns, follow-ups, reminders and isolation between customers."""

import re
from datetime import timedelta

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime
from werkzeug.test import Client

from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import scheduled as tasks
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.improvement import approve_actions
from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	hash_token,
	link_token,
)
from cs_procedures.testing import (
	PASSWORD,
	Fixtures,
	SiteState,
	as_user,
	ensure_customer,
	ensure_department,
	ensure_user,
	make_delivery_note,
	make_return,
	new_survey_campaign,
	remove_complaints_and_deliveries,
	survey_settings,
)

test_ignore = ["Call Log", "Quality Action", "Contact", "Department"]

ALPHA, BETA, GAMMA = "_CS Survey Alpha", "_CS Survey Beta", "_CS Survey Gamma"
ALPHA_MAIL, BETA_MAIL = "buyer@alpha.example", "buyer@beta.example"
BETA_PORTAL_USER = "portal@beta.example"
TEMPLATE = "Customer Satisfaction Survey"
QA_HEAD = "survey.qa.head@example.com"
OTHER_VERIFIER = "survey.other.verifier@example.com"
QUALITY = "CS Survey Quality"


def prepare(fixtures):
	from cs_procedures.install import create_default_survey_template, create_survey_email_template

	create_default_survey_template()
	create_survey_email_template()
	ensure_customer(ALPHA, ALPHA_MAIL)  # their contacts, with the e-mail the invitations go to
	ensure_customer(BETA, BETA_MAIL)
	fixtures.state.outgoing_email(True)  # whatever other suites left as the default account
	remove_leftovers()
	frappe.cache.delete_keys("rl:cs_procedures.www.survey.submit")  # the portal's rate limit, per address


FIXTURES = Fixtures(
	users={QA_HEAD: (["CS Department Head", "CS Verifier"], QUALITY)},
	departments=[QUALITY],
	customers=[ALPHA, BETA, GAMMA],
	portal_users={BETA_PORTAL_USER: BETA},
	settings=survey_settings(QUALITY),
	prepare=prepare,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def remove_leftovers():
	"""What an interrupted run left: it would be counted again (complaints, returns, reminders)."""
	customers = (ALPHA, BETA, GAMMA)
	remove_complaints_and_deliveries(customers)
	for campaign in frappe.get_all("Satisfaction Survey Campaign", {"title": "Test campaign"}, pluck="name"):
		for doctype, field in (
			("Satisfaction Survey Response", "campaign"),
			("Quality Action", "cs_survey_campaign"),
		):
			for name in frappe.get_all(doctype, {field: campaign}, pluck="name"):
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.delete_doc("Satisfaction Survey Campaign", campaign, force=True, ignore_permissions=True)
	# the e-mails of deleted responses (their names are given again)
	for mail in frappe.db.sql_list(
		"""select name from `tabEmail Queue` where reference_doctype = 'Satisfaction Survey Response'
		and reference_name not in (select name from `tabSatisfaction Survey Response`)"""
	):
		frappe.db.delete("Email Queue Recipient", {"parent": mail})
		frappe.db.delete("Email Queue", mail)


def new_campaign(**values):
	customers = values.pop("customers", None) or (ALPHA, BETA, GAMMA)
	return new_survey_campaign(customers, title="Test campaign", **values)


def response_of(campaign, customer):
	frappe.db.commit()  # a new snapshot: see what the portal requests committed
	return frappe.get_doc("Satisfaction Survey Response", {"campaign": campaign.name, "customer": customer})


def post(client, method, data, csrf_token=None):
	headers = {"X-Frappe-CSRF-Token": csrf_token} if csrf_token else {}
	return make_request(
		target=client.post, args=(f"/api/method/{method}",), kwargs={"data": data, "headers": headers}
	)


def page_csrf_token(page) -> str:
	"""The CSRF token a logged-in user's page carries (Frappe's website script sends it back)."""
	return re.search(r'frappe.csrf_token = "([^"]+)"', page.text).group(1)


def get(client, path):
	return make_request(target=client.get, args=(path,))


SUBMIT = "cs_procedures.www.survey.submit"


class TestSatisfactionSurvey(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.created = []

	def tearDown(self):
		frappe.set_user("Administrator")
		for doctype, name in reversed(self.created):
			if frappe.db.get_value(doctype, name, "docstatus") == 1:
				frappe.get_doc(doctype, name).cancel()
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
			# a deleted response's name is given again: its e-mails (call-back notices) must not be seen
			for mail in frappe.get_all(
				"Email Queue", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
			):
				frappe.db.delete("Email Queue Recipient", {"parent": mail})
				frappe.db.delete("Email Queue", mail)
		frappe.db.commit()

	def assertInPage(self, needle, text):  # noqa: N802 - unittest's naming
		if needle not in text:
			self.fail(f"{needle!r} is not in the page")

	def sent_campaign(self, **values):
		campaign = new_campaign(**values)
		campaign.send_invitations()
		frappe.db.commit()
		self.created.append(("Satisfaction Survey Campaign", campaign.name))
		for name in frappe.get_all("Satisfaction Survey Response", {"campaign": campaign.name}, pluck="name"):
			self.created.append(("Satisfaction Survey Response", name))
		return campaign.reload()

	def test_invitations_one_per_contact_with_unguessable_links(self):
		campaign = self.sent_campaign()
		self.assertEqual((campaign.status, campaign.invited_customers), ("Sent", 3))
		alpha, gamma = response_of(campaign, ALPHA), response_of(campaign, GAMMA)
		self.assertEqual(alpha.email, ALPHA_MAIL)
		token = link_token(alpha.name)  # derived from the site's key, only its hash is stored
		self.assertGreaterEqual(len(token), 43)
		self.assertEqual(alpha.token_hash, hash_token(token))
		self.assertNotIn(token, frappe.as_json(alpha.as_dict()))
		self.assertEqual(len(alpha.answers), 5)
		self.assertFalse(gamma.email)  # no e-mail: left for a phone survey
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Satisfaction Survey Response", "reference_name": alpha.name},
		)
		self.assertEqual(len(queued), 1)
		mail = frappe.get_doc("Email Queue", queued[0].name)
		self.assertIn("Customer satisfaction survey", mail.message)  # the Email Template's subject
		with self.assertRaises(frappe.ValidationError):
			campaign.send_invitations()

	def test_customer_answers_by_token_link_over_http(self):
		campaign = self.sent_campaign()
		alpha = response_of(campaign, ALPHA)
		token = link_token(alpha.name)
		client = Client(frappe.app.application)

		page = get(client, f"/survey?token={token}")
		self.assertEqual(page.status_code, 200)
		self.assertInPage("cs-survey-form", page.text)
		self.assertInPage("Our products meet your quality requirements", page.text)

		missing = post(client, SUBMIT, {"token": token, "answers": '{"1": 20}'})
		self.assertEqual(missing.status_code, 417)
		self.assertInPage("Please answer question 2", missing.text)
		out_of_range = post(
			client, SUBMIT, {"token": token, "answers": '{"1":20,"2":20,"3":20,"4":20,"5":21}'}
		)
		self.assertInPage("the score must be one of 20, 16, 12, 8, 4", out_of_range.text)

		ok = post(
			client,
			SUBMIT,
			{
				"token": token,
				"answers": '{"1":16,"2":8,"3":20,"4":16,"5":12}',
				"respondent": "Li Wei, buyer",
			},
		)
		self.assertEqual(ok.status_code, 200, ok.text[-500:])
		alpha = response_of(campaign, ALPHA)
		self.assertEqual((alpha.status, alpha.channel, alpha.score), ("Answered", "Portal", 72))

		again = post(client, SUBMIT, {"token": token, "answers": '{"1":20,"2":20,"3":20,"4":20,"5":20}'})
		self.assertInPage("already been answered", again.text)
		self.assertInPage("already been answered", get(client, f"/survey?token={token}").text)
		alpha = response_of(campaign, ALPHA)
		self.assertEqual(alpha.score, 72)

	def test_guessed_token_and_other_customers_survey_are_refused(self):
		campaign = self.sent_campaign()
		alpha = response_of(campaign, ALPHA)
		guest = Client(frappe.app.application)
		self.assertInPage("not valid", get(guest, "/survey?token=" + "A" * 43).text)
		refused = post(guest, SUBMIT, {"token": link_token(alpha.name)[:-2] + "xx", "answers": "{}"})
		self.assertEqual(refused.status_code, 403)
		self.assertEqual(get(guest, "/survey").status_code, 302)  # the list needs a login

		portal = Client(frappe.app.application)
		login = post(portal, "login", {"usr": BETA_PORTAL_USER, "pwd": PASSWORD})
		self.assertEqual(login.status_code, 200, login.text[-500:])
		listing_page = get(portal, "/survey")
		listing, csrf_token = listing_page.text, page_csrf_token(listing_page)
		beta = response_of(campaign, BETA)
		self.assertInPage(beta.name, listing)
		self.assertFalse(alpha.name in listing, "another customer's survey is listed")
		self.assertInPage("not valid", get(portal, f"/survey?name={alpha.name}").text)
		answers = '{"1":4,"2":4,"3":4,"4":4,"5":4}'
		refused = post(portal, SUBMIT, {"name": alpha.name, "answers": answers}, csrf_token)
		self.assertEqual(refused.status_code, 403)
		ok = post(portal, SUBMIT, {"name": beta.name, "answers": answers}, csrf_token)
		self.assertEqual(ok.status_code, 200, ok.text[-500:])
		self.assertEqual(response_of(campaign, ALPHA).status, "Invited")
		self.assertEqual(response_of(campaign, BETA).status, "Answered")

		desk_user = ensure_user("no.cs.role@example.com", ["Accounts User"])  # a desk user without CS roles
		self.assertFalse(
			frappe.has_permission("Satisfaction Survey Response", "read", alpha.name, user=desk_user)
		)
		self.assertFalse(
			frappe.has_permission("Satisfaction Survey Response", "write", alpha.name, user=QA_HEAD)
		)

	def test_close_scores_with_deductions_and_raises_follow_ups(self):
		campaign = self.answered_campaign_with_complaints_and_a_return()
		campaign.close()
		alpha, beta = response_of(campaign, ALPHA), response_of(campaign, BETA)
		self.assertEqual((alpha.score, alpha.complaint_count, alpha.complaint_deduction), (72, 7, 5))
		self.assertEqual((alpha.return_count, alpha.return_deduction, alpha.satisfaction), (1, 2, 65))
		self.assertEqual((beta.score, beta.complaint_deduction, beta.satisfaction), (88, 1, 87))
		self.assertTrue(alpha.callback_todo)  # 65 < 70
		# 87 is above the call-back mark, but Delivery scored 8, under the item mark (001 4.4)
		self.assertTrue(beta.callback_todo)
		self.assertIn("under the item mark", frappe.db.get_value("ToDo", beta.callback_todo, "description"))
		self.assertEqual(frappe.db.get_value("ToDo", alpha.callback_todo, "reference_name"), alpha.name)

		campaign.reload()
		self.assertEqual(
			(campaign.status, campaign.responded_customers, campaign.response_rate), ("Closed", 2, 100)
		)
		self.assertTrue(campaign.is_valid)  # 2 of 2 is above 70 %
		self.assertEqual(campaign.average_satisfaction, 76)
		self.assert_follow_ups_become_one_quality_action(campaign)
		self.assert_statistics_and_prints(campaign, alpha)

		alpha = response_of(campaign, ALPHA)
		alpha.answers[0].score = 20
		self.assertRaises(frappe.ValidationError, alpha.save)  # a closed campaign's answers do not change

	def answered_campaign_with_complaints_and_a_return(self):
		"""Alpha and Beta asked; 7 complaints and a return of Alpha's, 1 complaint of Beta's in the period,
		and both customers' answers taken down by phone."""
		campaign = self.sent_campaign(customers=[{"customer": c} for c in (ALPHA, BETA)])
		period_day = now_datetime() - timedelta(days=10)
		for customer, count in ((ALPHA, 7), (BETA, 1)):
			for _ in range(count):
				complaint = frappe.get_doc(
					{
						"doctype": "Customer Complaint",
						"customer": customer,
						"received_on": period_day,
						"complaint_type": "Delivery",
						"subject": "Late",
						"description": "Late.",
					}
				).insert()
				self.created.append(("Customer Complaint", complaint.name))
		delivery = make_delivery_note(ALPHA, 10)
		returned = make_return(delivery.name, 2)
		self.created += [("Delivery Note", delivery.name), ("Delivery Note", returned.name)]

		# 8 of 20 is "dissatisfied", one of the five answers (10 is not)
		for customer, scores in ((ALPHA, (16, 8, 20, 16, 12)), (BETA, (20, 8, 20, 20, 20))):
			response = response_of(campaign, customer)
			for row, score in zip(response.answers, scores, strict=True):
				row.score = score
			response.channel = "Phone"  # taken down by staff
			response.save()
		return campaign

	def assert_follow_ups_become_one_quality_action(self, campaign):
		# delivery averaged 8 < 12 over the customers, and each scored it 8: proposed, not yet raised
		self.assertEqual(
			[
				(r.customer, r.category, r.average_score, r.status, r.quality_action)
				for r in campaign.follow_ups
			],
			[(None, "Delivery", 8, "Proposed", None), (ALPHA, "Delivery", 8, "Proposed", None)]
			+ [(BETA, "Delivery", 8, "Proposed", None)],
		)
		approve_actions(campaign.name)
		campaign.reload()
		follow_up = campaign.follow_ups[0]
		self.assertEqual({r.quality_action for r in campaign.follow_ups}, {follow_up.quality_action})
		action = frappe.get_doc("Quality Action", follow_up.quality_action)
		self.created.append(("Quality Action", action.name))
		self.assertEqual(action.cs_survey_campaign, campaign.name)
		self.assertEqual(len(action.resolutions), 3)  # the question, then each customer's item
		for resolution in action.resolutions:
			resolution.status = "Completed"  # the action completes with its last resolution
		self.assertRaises(frappe.ValidationError, action.save)
		action = frappe.get_doc("Quality Action", follow_up.quality_action)
		for resolution in action.resolutions:
			resolution.status = "Completed"
		action.update({"cs_effect_verified": 1, "cs_effect_note": "Two on-time months."})
		action.save()
		self.assertEqual(action.status, "Completed")

	def assert_statistics_and_prints(self, campaign, alpha):
		from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import (
			satisfaction_survey_statistics,
		)

		_columns, rows, message, chart, summary = satisfaction_survey_statistics.execute(
			{"campaign": campaign.name}
		)
		self.assertEqual([row.customer for row in rows], [ALPHA, BETA])
		self.assertEqual(chart["data"]["datasets"][0]["values"][1], 8)
		self.assertIn("Delivery", message)
		self.assertEqual(summary[1]["value"], 100)

		sheet = frappe.get_print(campaign.doctype, campaign.name, "Satisfaction Survey Statistics Table")
		self.assertInPage("顾客满意度调查统计表", sheet)
		self.assertInPage("76", sheet)
		questionnaire = frappe.get_print(alpha.doctype, alpha.name, "Satisfaction Survey Questionnaire")
		self.assertInPage("产品质量满足贵公司的要求", questionnaire)

	def test_reminders_once_per_step(self):
		campaign = self.sent_campaign(send_date=add_days(getdate(), -8), reply_by=add_days(getdate(), 20))
		alpha = response_of(campaign, ALPHA)
		today = getdate()

		def reminded(day) -> int:
			"""Reminders the job sends to this campaign (the site may have other campaigns open)."""
			count = "select sum(reminders_sent) from `tabSatisfaction Survey Response` where campaign = %s"
			before = frappe.db.sql(count, campaign.name)[0][0] or 0
			tasks.remind_survey_non_responders(day)
			return (frappe.db.sql(count, campaign.name)[0][0] or 0) - before

		self.assertEqual(reminded(today), 2)  # Alpha and Beta have e-mail
		self.assertEqual(reminded(today), 0)
		self.assertEqual(reminded(add_days(today, 6)), 2)
		self.assertEqual(reminded(add_days(today, 7)), 0)
		self.assertEqual(frappe.db.get_value("Satisfaction Survey Response", alpha.name, "reminders_sent"), 2)

	def test_reminders_and_closing_without_outgoing_email(self):
		campaign = self.sent_campaign(
			send_date=add_days(getdate(), -8),
			reply_by=add_days(getdate(), -1),
			customers=[{"customer": BETA}],
		)
		response = response_of(campaign, BETA)
		for row, score in zip(response.answers, (4, 20, 20, 20, 20), strict=True):
			row.score = score
		response.channel = "Phone"
		response.save()
		site = SiteState()
		site.outgoing_email(False)
		try:
			self.assertEqual(tasks.remind_survey_non_responders(getdate()), 0)  # nothing to send with
			self.assertIn(campaign.name, tasks.close_due_campaigns(getdate()))
			campaign.reload()
			self.assertEqual(campaign.status, "Closed")
			# product quality averaged 4, under the pass mark (for the campaign and for Beta)
			self.assertEqual([r.status for r in campaign.follow_ups], ["Proposed", "Proposed"])
			approve_actions(campaign.name)
			follow_up = campaign.reload().follow_ups[0]
			self.created.append(("Quality Action", follow_up.quality_action))
			self.assertTrue(
				frappe.db.exists(
					"ToDo", {"reference_name": follow_up.quality_action, "allocated_to": QA_HEAD}
				)
			)
			self.assertTrue(
				frappe.db.exists(
					"Notification Log", {"document_name": follow_up.quality_action, "for_user": QA_HEAD}
				)
			)
		finally:
			site.restore(commit=False)

	def test_campaigns_close_by_themselves_after_the_reply_by_date(self):
		campaign = self.sent_campaign(send_date=add_days(getdate(), -20), reply_by=add_days(getdate(), -1))
		still_open = self.sent_campaign()
		closed = tasks.close_due_campaigns(getdate())
		self.assertIn(campaign.name, closed)
		self.assertNotIn(still_open.name, closed)
		self.assertEqual(frappe.db.get_value(campaign.doctype, campaign.name, "status"), "Closed")
		self.assertNotIn(campaign.name, tasks.close_due_campaigns(getdate()))

	def test_scheduled_campaign_is_created_once_per_period(self):
		frappe.db.set_value("Customer", ALPHA, "cs_key_customer", 1)
		settings = frappe.get_single("CS Settings")
		settings.set(
			"survey_schedules",
			[
				{
					"frequency": "Every December",
					"audience": "Key Customers",
					"template": TEMPLATE,
					"reply_within_days": 10,
				}
			],
		)
		settings.save()
		try:
			december = getdate(f"{getdate().year}-12-02")
			(name,) = tasks.create_scheduled_campaigns(december)
			self.created.append(("Satisfaction Survey Campaign", name))
			self.created += [
				("Satisfaction Survey Response", r)
				for r in frappe.get_all("Satisfaction Survey Response", {"campaign": name}, pluck="name")
			]
			campaign = frappe.get_doc("Satisfaction Survey Campaign", name)
			self.assertEqual((campaign.status, campaign.invited_customers), ("Sent", 1))
			self.assertEqual(str(campaign.period_start), f"{december.year}-01-01")
			self.assertEqual(tasks.create_scheduled_campaigns(december), [])
			self.assertEqual(tasks.create_scheduled_campaigns(add_days(december, -30)), [])
		finally:
			settings.set("survey_schedules", [])
			settings.save()
			frappe.db.set_value("Customer", ALPHA, "cs_key_customer", 0)


class TestQualityIssuesVerifiedByQuality(FrappeTestCase):
	"""001 4.9: the quality department confirms the effect of an action on a product quality issue."""

	def test_only_the_quality_departments_verifier(self):
		other = ensure_department("CS Survey Other")
		ensure_user(OTHER_VERIFIER, ["CS Verifier"], other)
		campaign = frappe.get_doc("Satisfaction Survey Campaign", new_campaign(customers=[ALPHA]).name)
		action = frappe.get_doc(
			{
				"doctype": "Quality Action",
				"corrective_preventive": "Corrective",
				"date": getdate(),
				"cs_survey_campaign": campaign.name,
				"resolutions": [{"problem": "Product quality averaged 10 of 20.", "status": "Open"}],
			}
		).insert(ignore_permissions=True)
		campaign.append(
			"follow_ups",
			{"question": "Quality", "category": "Product Quality", "quality_action": action.name},
		)
		campaign.flags.ignore_permissions = True
		campaign.save()
		for user, allowed in ((OTHER_VERIFIER, False), (QA_HEAD, True)):
			with as_user(user):
				doc = frappe.get_doc("Quality Action", action.name)
				doc.update({"cs_effect_verified": 1, "cs_effect_note": "No complaint for two months."})
				if allowed:
					doc.save()
				else:
					self.assertRaisesRegex(frappe.PermissionError, "quality department", doc.save)
		self.assertEqual(frappe.db.get_value("Quality Action", action.name, "cs_effect_verified"), 1)
		frappe.db.rollback()
