"""The survey as the seeds write it (issue 7), each step by the role that takes it, over HTTP:

- one customer, one result (003 §5.3.3): a customer's responses are averaged, its complaints and
  returns deducted once, one call-back; the campaign average and the statistics are per customer;
- an "Every December" campaign counts the complaints up to the day it closes;
- closing proposes the corrective actions, the CS manager approves them, the departments get the
  Quality Actions, the follower tracks them, the customers hear back (000 II-5, 001 4.4/4.8, 003 §5.3.4),
  and a comment carrying a complaint becomes a Customer Complaint;
- validity (003 §5.3.2): an invalid campaign raises nothing and is no baseline; the chase list.
"""

from datetime import timedelta

import frappe
from frappe.utils import add_days, getdate, now_datetime

from cs_procedures.testing import (
	PASSWORD,
	Fixtures,
	HttpUser,
	SiteState,
	SiteTestCase,
	emails,
	ensure_customer,
	ensure_user,
	make_delivery_note,
	make_return,
	new_survey_campaign,
	remove_complaints_and_deliveries,
	survey_settings,
)

TITLE = "_CS survey procedure test"
TEMPLATE = "Customer Satisfaction Survey"
DELTA, EPSILON, ZETA, ETA = "_CS Proc Delta", "_CS Proc Epsilon", "_CS Proc Zeta", "_CS Proc Eta"
CUSTOMERS = (DELTA, EPSILON, ZETA, ETA)
DELTA_BUYER, DELTA_QA, EPSILON_MAIL = (
	"buyer@proc-delta.example",
	"qa@proc-delta.example",
	"buyer@proc-eps.example",
)
MANAGER, OFFICER, QA_HEAD, GM = emails(
	"proc", "manager", "officer", "qa.head", "gm", domain="cs-proc.example"
)
QUALITY_QUESTION = "Our products meet your quality requirements"
DELIVERY_QUESTION = "Deliveries arrive on time and in the right quantity"
RESPONSE, CAMPAIGN, ACTION = "Satisfaction Survey Response", "Satisfaction Survey Campaign", "Quality Action"
MODULE = "cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.satisfaction_survey_campaign."
QUALITY = "CS Proc Quality"


def prepare(fixtures):
	from cs_procedures.install import (
		create_default_survey_template,
		create_improvement_reply_template,
		create_survey_email_template,
	)

	create_default_survey_template()
	create_survey_email_template()
	create_improvement_reply_template()
	ensure_customer(DELTA, DELTA_BUYER)
	ensure_customer(DELTA, DELTA_QA)  # a second contact of the same customer
	ensure_customer(EPSILON, EPSILON_MAIL)
	fixtures.state.outgoing_email(True)
	remove_leftovers()


FIXTURES = Fixtures(
	users={
		QA_HEAD: (["CS Department Head"], QUALITY),
		MANAGER: ["CS Manager"],
		OFFICER: ["CS Officer"],
	},
	departments=[QUALITY],
	customers=CUSTOMERS,
	settings=survey_settings(QUALITY),
	prepare=prepare,
	clean_up=lambda fixtures: remove_leftovers(),
)
setUpModule, tearDownModule = FIXTURES.hooks()


def remove_leftovers():
	remove_complaints_and_deliveries(CUSTOMERS)
	for campaign in frappe.get_all(CAMPAIGN, {"title": ("like", f"{TITLE}%")}, pluck="name"):
		for name in frappe.get_all(ACTION, {"cs_survey_campaign": campaign}, pluck="name"):
			frappe.delete_doc(ACTION, name, force=True, ignore_permissions=True)
		for name in frappe.get_all(RESPONSE, {"campaign": campaign}, pluck="name"):
			frappe.delete_doc(RESPONSE, name, force=True, ignore_permissions=True)
			delete_mails(name)
		frappe.delete_doc(CAMPAIGN, campaign, force=True, ignore_permissions=True)
	frappe.db.commit()


def delete_mails(response: str):
	"""The e-mails of a deleted response (its name is given again), with their recipients."""
	for mail in frappe.get_all(
		"Email Queue", {"reference_doctype": RESPONSE, "reference_name": response}, pluck="name"
	):
		frappe.db.delete("Email Queue Recipient", {"parent": mail})
		frappe.db.delete("Email Queue", mail)


def new_campaign(customers, title=TITLE, **values):
	return new_survey_campaign(customers, title=title, **values)


def fresh():
	frappe.db.commit()  # a new snapshot: see what the requests committed


def answer(campaign, customer, scores, email=None, comments=None):
	filters = {"campaign": campaign.name, "customer": customer}
	if email:
		filters["email"] = email
	response = frappe.get_doc(RESPONSE, filters)
	for row, score in zip(response.answers, scores, strict=True):
		row.score = score
	response.channel, response.comments = "Phone", comments
	response.save()
	return response


def mail_text(raw: str) -> str:
	"""The decoded text of a queued e-mail (its MIME parts are encoded)."""
	import email

	parts = email.message_from_string(raw).walk()
	return "".join(
		part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
		for part in parts
		if part.get_content_maintype() == "text"
	)


def make_complaint(customer, received_on):
	return frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"customer": customer,
			"received_on": received_on,
			"complaint_type": "Delivery",
			"subject": "Late",
			"description": "Late.",
		}
	).insert()


class TestSurveyProcedure(SiteTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		remove_leftovers()

	def sent_campaign(self, customers, **values):
		campaign = new_campaign(customers, **values)
		campaign.send_invitations()
		frappe.db.commit()
		return campaign.reload()

	def assertAccepted(self, response):  # noqa: N802
		self.assertEqual(response.status_code, 200, response.text[-800:])
		return response.json.get("message")

	# 3: one customer, one result

	def test_one_customer_one_result(self):
		campaign = self.sent_campaign([DELTA, EPSILON])
		self.assertEqual(frappe.db.count(RESPONSE, {"campaign": campaign.name, "customer": DELTA}), 2)
		complaint = make_complaint(DELTA, now_datetime() - timedelta(days=5))
		delivery = make_delivery_note(DELTA, 10)
		make_return(delivery.name, 1)
		# Delta's buyer 72, its quality manager 56: Delta scores 64, less 1 complaint and 2 for a return
		buyer = answer(campaign, DELTA, (16, 16, 16, 12, 12), DELTA_BUYER)
		quality = answer(campaign, DELTA, (8, 12, 12, 12, 12), DELTA_QA)
		answer(campaign, EPSILON, (20, 20, 20, 20, 16))
		fresh()

		self.assertAccepted(HttpUser(OFFICER).run_doc_method(campaign, "close"))
		fresh()
		for name, own in ((buyer.name, 72), (quality.name, 56)):
			response = frappe.get_doc(RESPONSE, name)
			self.assertEqual(
				(response.score, response.customer_score, response.customer_responses), (own, 64, 2)
			)
			self.assertEqual((response.complaint_count, response.complaint_deduction), (1, 1), complaint.name)
			self.assertEqual((response.return_count, response.return_deduction), (1, 2))
			self.assertEqual(response.satisfaction, 61)  # 64 - 1 - 2, deducted once for the customer
		callbacks = {
			frappe.db.get_value(RESPONSE, name, "callback_todo") for name in (buyer.name, quality.name)
		}
		self.assertEqual(len(callbacks), 1)  # one call-back for the customer (61 < 70), on each response
		self.assertEqual(
			frappe.db.count(
				"ToDo",
				{"reference_type": RESPONSE, "reference_name": ("in", [buyer.name, quality.name])},
			),
			1,
		)
		campaign.reload()
		self.assertEqual((campaign.responded_customers, campaign.response_rate), (2, 100))
		self.assertEqual(campaign.average_satisfaction, 78.5)  # (61 + 96) / 2, not (69 + 53 + 96) / 3
		self.assertEqual(campaign.item_averages()[QUALITY_QUESTION], 16)  # (avg(16, 8) + 20) / 2
		self.assertEqual(campaign.follow_ups, [])  # no item under 12 for the campaign or a customer

		from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import (
			satisfaction_survey_statistics as statistics,
		)

		frappe.set_user(OFFICER)
		_columns, rows, message, chart, summary = statistics.execute({"campaign": campaign.name})
		frappe.set_user("Administrator")
		self.assertEqual([row.customer for row in rows], [DELTA, EPSILON])
		delta = rows[0]
		self.assertEqual((delta.responses, delta.score, delta.satisfaction, delta.item_1), (2, 64, 61, 12))
		self.assertEqual(delta.below_callback_mark, 1)
		self.assertEqual(chart["data"]["datasets"][0]["values"][0], 16)
		self.assertEqual(summary[3]["value"], 78.5)
		sheet = frappe.get_print(CAMPAIGN, campaign.name, "Satisfaction Survey Statistics Table")
		self.assertEqual(sheet.count(DELTA), 1)  # one row for the customer

	# 5: an "Every December" campaign counts up to the day it closes

	def test_every_december_counts_up_to_the_closing_day(self):
		today = getdate()
		year_end = getdate(f"{add_days(today, 2).year}-12-31")  # what the schedule writes
		campaign = self.sent_campaign(
			[EPSILON],
			period_end=year_end,
			schedule_key=f"Every December|Selected Customers|||{today.year}-01-01",
		)
		make_complaint(EPSILON, now_datetime() - timedelta(days=2))
		later = make_complaint(EPSILON, now_datetime())  # received after the campaign closes:
		frappe.db.set_value(later.doctype, later.name, "received_on", now_datetime() + timedelta(days=1))
		response = answer(campaign, EPSILON, (20, 20, 20, 20, 20))
		fresh()
		self.assertAccepted(HttpUser(OFFICER).run_doc_method(campaign, "close"))
		fresh()
		self.assertEqual(getdate(frappe.db.get_value(CAMPAIGN, campaign.name, "period_end")), today)
		self.assertEqual(frappe.db.get_value(RESPONSE, response.name, "complaint_count"), 1)

	# 9: the improvement loop

	def test_improvement_loop(self):
		manager, officer = HttpUser(MANAGER), HttpUser(OFFICER)
		campaign, complaining = self.closed_with_proposals(officer)
		quality_action = self.approve_the_actions(campaign, manager, officer)
		self.reply_to_the_customers(campaign, officer, quality_action)
		self.complaint_from_the_comment(complaining, officer)

	def closed_with_proposals(self, officer):
		"""A campaign closed by the officer, its low scores proposed as follow-ups; and the response
		whose comment holds a complaint."""
		campaign = self.sent_campaign([DELTA, EPSILON])
		# quality: Delta's contacts 4 and 8 (Delta 6, under 12), Epsilon 20: the average 13 passes;
		# delivery: 8 from everyone, under the pass mark for the campaign and for each customer
		answer(campaign, DELTA, (4, 8, 20, 20, 20), DELTA_BUYER)
		complaining = answer(
			campaign,
			DELTA,
			(8, 8, 20, 20, 20),
			DELTA_QA,
			comments="Two cartons arrived crushed & wet; please call me.",
		)
		answer(campaign, EPSILON, (20, 8, 20, 20, 20))
		fresh()
		self.assertAccepted(officer.run_doc_method(campaign, "close"))
		fresh()
		campaign.reload()
		proposed = [(r.question, r.customer, r.average_score, r.status) for r in campaign.follow_ups]
		self.assertEqual(
			proposed,
			[
				(QUALITY_QUESTION, DELTA, 6, "Proposed"),
				(DELIVERY_QUESTION, None, 8, "Proposed"),
				(DELIVERY_QUESTION, DELTA, 8, "Proposed"),
				(DELIVERY_QUESTION, EPSILON, 8, "Proposed"),
			],
		)
		self.assertEqual(frappe.db.count(ACTION, {"cs_survey_campaign": campaign.name}), 0)  # proposed only
		return campaign, complaining

	def approve_the_actions(self, campaign, manager, officer) -> str:
		"""The CS manager (only) approves the proposals as Quality Actions; returns the first one."""
		approve = (
			"cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.improvement.approve_actions"
		)
		self.assertRefused(
			officer.post(approve, {"campaign": campaign.name}), "Only a CS Manager", status=403
		)
		actions = self.assertAccepted(manager.post(approve, {"campaign": campaign.name, "follower": OFFICER}))
		fresh()
		campaign.reload()
		self.assertEqual(len(actions), 2)  # one Quality Action a question, a resolution a proposal
		self.assertEqual({r.status for r in campaign.follow_ups}, {"Approved"})
		quality_action = campaign.follow_ups[0].quality_action
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": quality_action, "allocated_to": QA_HEAD})
		)  # the routed department head
		self.assertEqual(len(frappe.get_doc(ACTION, actions[1]).resolutions), 3)
		self.assertEqual((campaign.actions_approved_by, campaign.follower), (MANAGER, OFFICER))
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"reference_type": CAMPAIGN, "reference_name": campaign.name, "allocated_to": OFFICER}
			)
		)  # the follower tracks them
		self.assertRefused(manager.post(approve, {"campaign": campaign.name}), "No proposed", status=417)
		return quality_action

	def reply_to_the_customers(self, campaign, officer, quality_action):
		"""The quality department writes its action; the customers hear back, each of its own items."""
		action = frappe.get_doc(ACTION, quality_action)
		action.resolutions[0].resolution = "<p>Incoming inspection of every lot from March.</p>"
		action.save()
		fresh()
		reply = "cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.improvement.send_improvement_reply"
		site = SiteState()
		site.outgoing_email(False)
		frappe.db.commit()
		try:
			self.assertRefused(
				officer.post(reply, {"campaign": campaign.name}),
				"No default outgoing Email Account",
				status=501,
			)
		finally:
			site.restore()
		sent = self.assertAccepted(officer.post(reply, {"campaign": campaign.name}))
		self.assertEqual((sent["mails"], sent["customers"]), (3, 2))  # Delta's two contacts, Epsilon
		fresh()
		mails = {
			recipient: mail_text(message)
			for recipient, message in frappe.db.sql(
				"""select r.recipient, q.message from `tabEmail Queue Recipient` r
				join `tabEmail Queue` q on q.name = r.parent
				where q.reference_doctype = %s and q.reference_name in %s order by q.creation""",
				(RESPONSE, frappe.get_all(RESPONSE, {"campaign": campaign.name}, pluck="name")),
			)
		}
		self.assertIn("Incoming inspection of every lot", mails[DELTA_BUYER])
		self.assertIn(DELIVERY_QUESTION, mails[EPSILON_MAIL])
		self.assertNotIn("Incoming inspection", mails[EPSILON_MAIL])  # Delta's item is Delta's
		campaign.reload()
		self.assertTrue(all(row.replied_on for row in campaign.follow_ups))
		self.assertTrue(campaign.improvement_replied_on)

		from cs_procedures.cs_procedures.report.satisfaction_survey_follow_up_reply import (
			satisfaction_survey_follow_up_reply as reply_table,
		)

		frappe.set_user(MANAGER)
		_columns, rows = reply_table.execute({"campaign": campaign.name})
		frappe.set_user("Administrator")
		self.assertEqual(len(rows), 4)
		self.assertEqual(
			(rows[0].quality_action, rows[0].action, rows[0].verified),
			(quality_action, "Incoming inspection of every lot from March.", 0),
		)
		self.assertTrue(all(row.replied_on and row.department for row in rows[:1]))

	def complaint_from_the_comment(self, complaining, officer):
		"""The complaint in a comment becomes a Customer Complaint, by CS staff only."""
		head = HttpUser(QA_HEAD)
		complaining = frappe.get_doc(RESPONSE, complaining.name)  # as the form holds it now
		self.assertRefused(
			head.run_doc_method(complaining, "make_complaint"), "Only a CS officer", status=403
		)
		made = self.assertAccepted(
			officer.run_doc_method(complaining, "make_complaint", {"complaint_type": "Delivery"})
		)
		fresh()
		complaint = frappe.get_doc("Customer Complaint", made)
		self.assertEqual(
			(complaint.customer, complaint.channel, complaint.contact_email, complaint.complaint_type),
			(DELTA, "Phone", DELTA_QA, "Delivery"),
		)
		self.assertTrue(complaint.contact_person)
		self.assertIn("Two cartons arrived crushed &amp; wet", complaint.description)
		self.assertEqual(frappe.db.get_value(RESPONSE, complaining.name, "complaint"), made)
		complaining = frappe.get_doc(RESPONSE, complaining.name)
		self.assertRefused(
			officer.run_doc_method(complaining, "make_complaint"), "has already been made", status=417
		)

	# 10: validity and the chase list

	def test_invalid_campaign_raises_nothing_and_is_no_baseline(self):
		today = getdate()
		baseline = new_campaign([EPSILON], title=f"{TITLE} baseline", send_date=add_days(today, -2))
		baseline.db_set({"status": "Closed", "is_valid": 1, "average_satisfaction": 80})
		invalid = new_campaign([EPSILON], title=f"{TITLE} invalid", send_date=add_days(today, -1))
		invalid.db_set({"status": "Closed", "is_valid": 0, "average_satisfaction": 50})
		campaign = self.sent_campaign([DELTA, EPSILON, ZETA, ETA])
		response = answer(campaign, EPSILON, (8, 8, 8, 8, 8))  # 40: under every mark
		fresh()
		self.assertAccepted(HttpUser(OFFICER).run_doc_method(campaign, "close"))
		fresh()
		campaign.reload()
		self.assertEqual((campaign.response_rate, campaign.is_valid), (25, 0))
		self.assertEqual(campaign.follow_ups, [])  # no proposed actions
		# the customer who answered 40 is still called back (001 4.4: whatever the validity)
		self.assertTrue(frappe.db.get_value(RESPONSE, response.name, "callback_todo"))
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": CAMPAIGN,
					"reference_name": campaign.name,
					"content": ("like", "%proposes no corrective actions%"),
				},
			)
		)
		from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import (
			satisfaction_survey_statistics as statistics,
		)

		*_rest, summary = statistics.execute({"campaign": campaign.name})
		self.assertEqual(summary[4]["value"], 40 - 80)  # against the valid campaign, not the invalid one

	def test_chase_list_before_the_reply_by_date(self):
		campaign = self.sent_campaign([DELTA, ZETA], send_date=add_days(getdate(), -8))
		zeta = frappe.get_doc(RESPONSE, {"campaign": campaign.name, "customer": ZETA})
		chase = "cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.chase.make_chase_list"
		self.assertRefused(HttpUser(QA_HEAD).post(chase, {"campaign": campaign.name}), "CS staff", status=403)
		officer = HttpUser(OFFICER)
		self.assertEqual(self.assertAccepted(officer.post(chase, {"campaign": campaign.name})), 1)
		fresh()
		todos = frappe.get_all(
			"ToDo",
			filters={
				"reference_type": RESPONSE,
				"reference_name": ("in", frappe.get_all(RESPONSE, {"campaign": campaign.name}, pluck="name")),
				"allocated_to": OFFICER,
			},
			fields=["reference_name", "description"],
		)
		self.assertEqual([t.reference_name for t in todos if "Phone" in t.description], [zeta.name])
		self.assertEqual(self.assertAccepted(officer.post(chase, {"campaign": campaign.name})), 0)  # once

		from cs_procedures.cs_procedures.report.satisfaction_survey_chase_list import (
			satisfaction_survey_chase_list as chase_list,
		)

		frappe.set_user(OFFICER)
		_columns, rows, _message = chase_list.execute({"campaign": campaign.name})
		frappe.set_user("Administrator")
		by_customer = {}
		for row in rows:
			by_customer.setdefault(row.customer, []).append(row)
		self.assertEqual(len(by_customer[DELTA]), 2)  # e-mailed: the reminders' state
		for row in by_customer[DELTA]:
			self.assertEqual((row.chase, row.reminders_sent, row.todo), ("E-mail reminders", 0, None))
			self.assertEqual(row.next_reminder, add_days(getdate(), -1))  # 7 days after sending
		(zeta_row,) = by_customer[ZETA]
		self.assertEqual((zeta_row.chase, zeta_row.todo_allocated_to), ("Phone call", OFFICER))

		late = self.sent_campaign(
			[ZETA], send_date=add_days(getdate(), -20), reply_by=add_days(getdate(), -1)
		)
		self.assertRefused(
			officer.post(chase, {"campaign": late.name}), "reply-by date has passed", status=417
		)

	# HT-QR-MA-02: the statistics are prepared, reviewed and approved, by three people, in order

	def test_statistics_signed_off_as_the_form_has_it(self):
		ensure_user(GM, ["CS General Manager"], password=PASSWORD)
		campaign = self.sent_campaign(
			[EPSILON], survey_method="Phone", survey_staff="Customer service team", budget=1200
		)
		sign = "cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.sign_off.sign_statistics"
		officer, manager, gm = (HttpUser(user) for user in (OFFICER, MANAGER, GM))
		self.assertRefused(
			officer.post(sign, {"campaign": campaign.name}), "once the campaign is closed", status=417
		)
		answer(campaign, EPSILON, (16, 16, 16, 16, 16))
		fresh()
		self.assertAccepted(officer.run_doc_method(campaign, "close"))
		fresh()
		self.assertRefused(gm.post(sign, {"campaign": campaign.name}), "prepared next", status=403)
		self.assertEqual(self.assertAccepted(officer.post(sign, {"campaign": campaign.name})), "prepared")
		self.assertRefused(officer.post(sign, {"campaign": campaign.name}), "reviewed next", status=403)
		self.assertEqual(self.assertAccepted(manager.post(sign, {"campaign": campaign.name})), "reviewed")
		self.assertRefused(manager.post(sign, {"campaign": campaign.name}), "approved next", status=403)
		self.assertEqual(self.assertAccepted(gm.post(sign, {"campaign": campaign.name})), "approved")
		self.assertRefused(gm.post(sign, {"campaign": campaign.name}), "already", status=417)
		fresh()
		campaign.reload()
		self.assertEqual(
			(
				campaign.statistics_prepared_by,
				campaign.statistics_reviewed_by,
				campaign.statistics_approved_by,
			),
			(OFFICER, MANAGER, GM),
		)
		self.assertTrue(campaign.statistics_approved_on)
		self.assertEqual((campaign.survey_method, campaign.budget), ("Phone", 1200))
		# nobody writes a signature by hand
		response = manager.put(CAMPAIGN, campaign.name, {"statistics_approved_by": MANAGER})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		sheet = frappe.get_print(CAMPAIGN, campaign.name, "Satisfaction Survey Statistics Table")
		self.assertIn("HT-QR-MA-02", sheet)
		self.assertIn(frappe.db.get_value("User", GM, "full_name"), sheet)
