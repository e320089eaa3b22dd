"""Survey invitations at scale, in a real site: bulk-written responses and e-mails that are exactly
what a document save and frappe.sendmail would write, the background job of a large audience, and
concurrent clicks and overlapping scheduled runs that invite nobody twice."""

import email
import threading
import traceback
from email.policy import SMTP
from unittest.mock import patch

import frappe
from frappe.email.doctype.email_queue.email_queue import EmailQueue
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import invitations
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import (
	satisfaction_survey_campaign as campaign_module,
)
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import scheduled as tasks
from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	hash_token,
	link_token,
)
from cs_procedures.testing import Fixtures, ensure_customer, new_survey_campaign

CAMPAIGN, RESPONSE = "Satisfaction Survey Campaign", "Satisfaction Survey Response"
ALPHA, BETA, GAMMA, DELTA = (f"_CS Invite {name}" for name in ("Alpha", "Beta", "Gamma", "Delta"))
MAILS = {ALPHA: "alpha@invite.example", BETA: "beta@invite.example", DELTA: "delta@invite.example"}
CUSTOMERS = (ALPHA, BETA, GAMMA, DELTA)  # Gamma has no e-mail: a phone survey
TITLE = "Invitation test campaign"
TEMPLATE = "Customer Satisfaction Survey"
# per-contact values: everything else of a bulk-written response is the first (saved) one's
CONTACT_FIELDS = {"name", "customer", "customer_name", "contact", "email", "token_hash"}
STAMPS = {"creation", "modified", "invitation_sent_on"}
# an Email Queue's sending settings, compared with the ones frappe.sendmail queues
QUEUE_SETTINGS = (
	"sender",
	"email_account",
	"priority",
	"add_unsubscribe_link",
	"unsubscribe_method",
	"attachments",
	"show_as_cc",
)


def prepare(fixtures):
	from cs_procedures.install import create_default_survey_template, create_survey_email_template

	create_default_survey_template()
	create_survey_email_template()
	for customer, mail in MAILS.items():
		ensure_customer(customer, mail)  # a contact with the e-mail the invitation goes to
	fixtures.state.outgoing_email(True)
	remove_leftovers()


def clean_up(fixtures):
	remove_leftovers()
	frappe.db.set_value("Customer", {"name": ("in", CUSTOMERS)}, "cs_key_customer", 0)


FIXTURES = Fixtures(
	customers=CUSTOMERS,
	settings={"survey_schedules": [], "survey_reminder_days": "7,14"},
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def remove_leftovers():
	for campaign in frappe.get_all(CAMPAIGN, {"title": ("like", f"{TITLE}%")}, pluck="name") + frappe.get_all(
		CAMPAIGN, {"schedule_key": ("like", "Every December|Key Customers%")}, pluck="name"
	):
		responses = frappe.get_all(RESPONSE, {"campaign": campaign}, pluck="name")
		if responses:
			queues = frappe.get_all("Email Queue", {"reference_name": ("in", responses)}, pluck="name")
			if queues:
				frappe.db.delete("Email Queue Recipient", {"parent": ("in", queues)})
				frappe.db.delete("Email Queue", {"name": ("in", queues)})
			frappe.db.delete("Satisfaction Survey Answer", {"parent": ("in", responses)})
			frappe.db.delete(RESPONSE, {"name": ("in", responses)})
		frappe.db.delete("Comment", {"reference_doctype": CAMPAIGN, "reference_name": campaign})
		frappe.db.delete(CAMPAIGN, {"name": campaign})
	frappe.db.commit()


def new_campaign(**values):
	campaign = new_survey_campaign(CUSTOMERS, title=TITLE, **values)
	frappe.db.commit()
	return campaign


def responses_of(campaign) -> dict[str, dict]:
	return {
		row.customer: row for row in frappe.get_all(RESPONSE, {"campaign": campaign}, ["*"], order_by="name")
	}


def mails_of(response) -> list:
	return frappe.get_all(
		"Email Queue", {"reference_doctype": RESPONSE, "reference_name": response}, pluck="name"
	)


def comparable(doc) -> dict:
	"""The stored values of a response and of its answer rows, as validation leaves them."""
	row = doc.get_valid_dict()  # as the database has them (numbers 0, not None)
	values = {
		df.fieldname: None if row.get(df.fieldname) == "" else row.get(df.fieldname)  # empty is empty
		for df in doc.meta.fields
		if df.fieldtype not in frappe.model.no_value_fields and df.fieldtype not in frappe.model.table_fields
	}
	values["answers"] = [
		{
			f: row.get(f)
			for f in ("idx", "category", "question", "question_zh", "max_score", "score", "comment")
		}
		for row in doc.answers
	]
	return values


class FakeSMTP:
	"""What EmailQueue.send hands to the SMTP server, kept instead of sent."""

	def __init__(self):
		self.sent = []
		self.session = self

	def sendmail(self, from_addr, to_addrs, msg):
		self.sent.append((from_addr, to_addrs, msg))

	def quit(self):
		pass


def parts(message: str | bytes) -> dict:
	parsed = (
		email.message_from_bytes(message, policy=SMTP)
		if isinstance(message, bytes)
		else email.message_from_string(message, policy=SMTP)
	)
	found = {"subject": str(parsed["Subject"]), "to": str(parsed["To"])}
	for part in parsed.walk():
		if part.get_content_type() in ("text/plain", "text/html"):
			found[part.get_content_type()] = part.get_content()
	return found


def in_threads(*calls):
	"""Run each call at the same moment on a connection of its own; returns their results or errors."""
	site, sites_path = frappe.local.site, frappe.local.sites_path
	barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

	def run(index, call):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		try:
			barrier.wait(timeout=30)
			results[index] = call()
			frappe.db.commit()
		except Exception as error:
			frappe.db.rollback()
			error.trace = "".join(traceback.format_exception(error))  # with its causes, for the failure
			results[index] = error
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=120)
	frappe.db.commit()  # a new snapshot: see what they committed
	return results


class TestSurveyInvitations(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.flags.testing_email = False
		remove_leftovers()

	def test_bulk_written_responses_are_what_validation_writes(self):
		campaign = new_campaign()
		self.assertEqual(campaign.send_invitations(), 4)
		responses = responses_of(campaign.name)
		self.assertEqual(set(responses), set(CUSTOMERS))
		first = min(responses.values(), key=lambda r: r.name)
		for customer, row in responses.items():
			self.assertEqual(row.email, MAILS.get(customer))
			self.assertEqual(row.customer_name, customer)
			self.assertEqual(row.token_hash, hash_token(link_token(row.name)))
			self.assertEqual(bool(row.invitation_sent_on), customer in MAILS)
			self.assertEqual(len(mails_of(row.name)), 1 if customer in MAILS else 0)
			for field, value in row.items():
				if field not in CONTACT_FIELDS | STAMPS:
					self.assertEqual(value, first[field], field)
			# the same response made as a document: validation writes the same values and rows
			stored = frappe.get_doc(RESPONSE, row.name)
			fresh = frappe.get_doc(
				{
					"doctype": RESPONSE,
					"campaign": campaign.name,
					"customer": customer,
					"contact": row.contact,
					"email": row.email,
					"token_expires_on": row.token_expires_on,
				}
			)
			fresh.name, fresh._action, fresh._doc_before_save = row.name, "insert", None
			fresh.naming_series = fresh.meta.get_field("naming_series").default  # named from it on insert
			fresh._set_defaults()
			fresh._validate_links()
			fresh.run_method("validate")
			fresh._validate()  # what insert checks and sets after validate (e.g. selects)
			expected, actual = comparable(fresh), comparable(stored)
			expected.pop("invitation_sent_on"), actual.pop("invitation_sent_on")
			self.assertEqual(actual, expected)
			stored.save()  # and a bulk-written response saves as any other
			self.assertEqual(comparable(stored)["answers"], expected["answers"])

	def test_bulk_queued_invitation_is_sent_by_frappe_with_the_personal_link(self):
		campaign = new_campaign()
		campaign.send_invitations()
		beta = responses_of(campaign.name)[BETA]  # written in bulk (Alpha is the first, saved one)
		(queued,) = mails_of(beta.name)
		queue = EmailQueue.find(queued)
		self.assertEqual(queue.status, "Not Sent")
		self.assertEqual([r.recipient for r in queue.recipients], [MAILS[BETA]])
		frappe.db.commit()

		smtp = FakeSMTP()
		frappe.flags.testing_email = True
		queue.send(smtp_server_instance=smtp)
		(sent,) = smtp.sent
		self.assertEqual(sent[1], MAILS[BETA])
		mail = parts(sent[2])
		self.assertEqual(mail["to"], MAILS[BETA])
		self.assertEqual(mail["subject"], "Customer satisfaction survey")
		link = f"/survey?token={link_token(beta.name)}"
		self.assertIn(link, mail["text/html"])
		self.assertIn(link, mail["text/plain"])
		self.assertIn(f"Dear {BETA},", mail["text/html"])
		self.assertEqual(frappe.db.get_value("Email Queue", queued, "status"), "Sent")

		self.assert_queued_as_frappe_sendmail_queues_it(beta.name, queued)

	def assert_queued_as_frappe_sendmail_queues_it(self, response: str, queued: str):
		"""The same e-mail as frappe.sendmail queues for the response: the same settings and parts."""
		sendmail_reference(frappe.get_doc(RESPONSE, response))
		by_frappe = frappe.get_all(
			"Email Queue",
			{"reference_name": response, "name": ("!=", queued)},
			["name", "message", *QUEUE_SETTINGS, "status"],
		)[0]
		ours = frappe.db.get_value("Email Queue", queued, ["message", *QUEUE_SETTINGS], as_dict=True)
		for field in QUEUE_SETTINGS:
			self.assertEqual(ours[field], by_frappe[field], field)
		expected, actual = parts(by_frappe.message), parts(ours.message)
		self.assertEqual(actual, expected)

	def test_second_and_concurrent_clicks_invite_nobody_twice(self):
		campaign = new_campaign()
		results = in_threads(
			lambda: frappe.get_doc(CAMPAIGN, campaign.name).send_invitations(),
			lambda: frappe.get_doc(CAMPAIGN, campaign.name).send_invitations(),
		)
		invited = [r for r in results if r == 4]
		refused = [r for r in results if isinstance(r, frappe.ValidationError)]
		self.assertEqual((len(invited), len(refused)), (1, 1), results)
		self.assertIn("sent already", str(refused[0]))
		responses = responses_of(campaign.name)
		self.assertEqual(len(frappe.get_all(RESPONSE, {"campaign": campaign.name})), 4)
		for customer in MAILS:
			self.assertEqual(len(mails_of(responses[customer].name)), 1)
		with self.assertRaises(frappe.ValidationError):  # and a later click
			campaign.reload().send_invitations()
		self.assertEqual(len(frappe.get_all(RESPONSE, {"campaign": campaign.name})), 4)

	def test_large_audience_is_invited_by_a_background_job(self):
		campaign = new_campaign()
		with (
			patch.object(campaign_module, "INVITE_IN_REQUEST", 2),
			patch("frappe.enqueue") as enqueue,
		):
			self.assertEqual(campaign.send_invitations(), 0)
			with self.assertRaises(frappe.ValidationError) as again:  # a double click
				campaign.send_invitations()
		self.assertIn("being sent", str(again.exception))
		enqueue.assert_called_once()
		self.assertEqual(enqueue.call_args.args[0], campaign_module.run_invitations)
		self.assertEqual(
			{
				k: enqueue.call_args.kwargs[k]
				for k in ("queue", "job_id", "deduplicate", "enqueue_after_commit", "campaign")
			},
			{
				"queue": "long",
				"job_id": f"cs_survey_invitations::{campaign.name}",
				"deduplicate": True,
				"enqueue_after_commit": True,
				"campaign": campaign.name,
			},
		)
		# while the job is queued or running the campaign shows it is being sent, and to how many
		self.assertEqual((campaign.status, campaign.invited_customers), ("Sending", 4))
		self.assertFalse(frappe.get_all(RESPONSE, {"campaign": campaign.name}))
		with self.assertRaises(frappe.ValidationError):
			campaign.close()
		frappe.db.commit()

		with patch("frappe.publish_progress") as progress, patch("frappe.publish_realtime") as realtime:
			self.assertEqual(campaign_module.run_invitations(campaign.name), 4)
		self.assertEqual(progress.call_args.args[0], 100)
		self.assertEqual(progress.call_args.kwargs["docname"], campaign.name)
		self.assertEqual(realtime.call_args.args[1], {"campaign": campaign.name, "invited": 4})
		campaign.reload()
		self.assertEqual((campaign.status, campaign.invited_customers), ("Sent", 4))
		self.assertEqual(len(frappe.get_all(RESPONSE, {"campaign": campaign.name})), 4)
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": campaign.name, "content": ("like", "Invitations sent: 4%")}
			)
		)
		self.assertEqual(campaign_module.run_invitations(campaign.name), 0)  # a second run: nothing
		self.assertEqual(len(frappe.get_all(RESPONSE, {"campaign": campaign.name})), 4)

	def test_failed_job_leaves_a_trace_and_nothing_half_sent(self):
		campaign = new_campaign()
		with patch.object(campaign_module, "INVITE_IN_REQUEST", 2), patch("frappe.enqueue"):
			campaign.send_invitations()
		frappe.db.commit()
		queue = invitations.SurveyMail.queue
		calls = []

		def fail_on_the_batch(mail, rows):
			calls.append(rows)
			if len(calls) > 1:  # after the first response and its e-mail were written
				raise frappe.ValidationError("SMTP exploded")
			return queue(mail, rows)

		with (
			patch.object(invitations.SurveyMail, "queue", fail_on_the_batch),
			patch("frappe.publish_realtime") as realtime,
		):
			self.assertEqual(campaign_module.run_invitations(campaign.name), 0)
		self.assertEqual(realtime.call_args.args[1], {"campaign": campaign.name, "failed": 1})
		campaign.reload()
		self.assertEqual(campaign.status, "Draft")  # to be sent again
		self.assertFalse(frappe.get_all(RESPONSE, {"campaign": campaign.name}))
		self.assertFalse(
			frappe.get_all(
				"Email Queue",
				{"message": ("like", f"%{MAILS[ALPHA]}%"), "creation": (">=", campaign.creation)},
			)
		)
		error = frappe.get_last_doc("Error Log", {"reference_name": campaign.name})
		self.assertIn("SMTP exploded", error.error)
		comment = frappe.get_last_doc("Comment", {"reference_name": campaign.name})
		self.assertIn("Sending the invitations failed", comment.content)
		self.assertIn(error.name, comment.content)

		# sent again: each contact invited once
		with patch.object(campaign_module, "INVITE_IN_REQUEST", 2), patch("frappe.enqueue"):
			campaign.send_invitations()
		frappe.db.commit()
		self.assertEqual(campaign_module.run_invitations(campaign.name), 4)
		responses = responses_of(campaign.name)
		self.assertEqual(len(frappe.get_all(RESPONSE, {"campaign": campaign.name})), 4)
		for customer in MAILS:
			self.assertEqual(len(mails_of(responses[customer].name)), 1)
		frappe.db.delete("Error Log", {"name": error.name})

	def test_reminders_in_bulk_once_per_step_and_a_bad_record_alone_fails(self):
		campaign = new_campaign(send_date=add_days(getdate(), -8), reply_by=add_days(getdate(), 20))
		campaign.send_invitations()
		frappe.db.commit()
		responses = responses_of(campaign.name)
		build = invitations.SurveyMail.build

		def bad_address(mail, address, name, token):
			if address == MAILS[BETA]:
				raise RuntimeError("bad record")
			return build(mail, address, name, token)

		errors = frappe.db.count("Error Log", {"reference_name": responses[BETA].name})
		with patch.object(invitations.SurveyMail, "build", bad_address):
			self.assertEqual(tasks.remind_survey_non_responders(getdate()), 2)  # Alpha and Delta
		self.assertEqual(frappe.db.count("Error Log", {"reference_name": responses[BETA].name}), errors + 1)
		sent = {c: frappe.db.get_value(RESPONSE, r.name, "reminders_sent") for c, r in responses.items()}
		self.assertEqual(sent, {ALPHA: 1, BETA: 0, GAMMA: 0, DELTA: 1})
		self.assertEqual(len(mails_of(responses[BETA].name)), 1)  # its invitation only
		(reminder,) = [
			parts(message)
			for message in frappe.get_all(
				"Email Queue", {"reference_name": responses[ALPHA].name}, pluck="message"
			)
			if parts(message)["subject"].startswith("Reminder")
		]
		self.assertEqual(reminder["subject"], "Reminder: customer satisfaction survey")
		self.assertIn(f"/survey?token={link_token(responses[ALPHA].name)}", reminder["text/html"])

		# the same day again: Beta now, nobody twice; an overlapping run holding stale rows: nothing
		self.assertEqual(tasks.remind_survey_non_responders(getdate()), 1)
		stale = [
			{**r, "reminders_sent": 0, "reply_by": campaign.reply_by}
			for r in frappe.get_all(
				RESPONSE,
				{"campaign": campaign.name, "email": ("is", "set")},
				["name", "campaign", "email", "customer", "customer_name"],
			)
		]
		self.assertEqual(invitations.remind(stale), 0)
		self.assertEqual(tasks.remind_survey_non_responders(getdate()), 0)
		for customer in MAILS:
			self.assertEqual(len(mails_of(responses[customer].name)), 2)
		frappe.db.delete("Error Log", {"reference_name": responses[BETA].name})

	def test_overlapping_scheduled_runs_create_one_campaign(self):
		frappe.db.set_value("Customer", ALPHA, "cs_key_customer", 1)
		FIXTURES.state.settings(
			survey_schedules=[
				{
					"frequency": "Every December",
					"audience": "Key Customers",
					"template": TEMPLATE,
					"reply_within_days": 10,
				}
			]
		)
		frappe.db.commit()
		december = getdate(f"{getdate().year}-12-02")
		key_customers = frappe.db.count("Customer", {"cs_key_customer": 1, "disabled": 0})
		failed = {"method": "Scheduled satisfaction survey failed"}  # the job's Error Log title
		errors = frappe.db.count("Error Log", failed)
		scheduled = {"schedule_key": ("like", "Every December|Key Customers%")}
		try:
			results = in_threads(
				lambda: tasks.create_scheduled_campaigns(december),
				lambda: tasks.create_scheduled_campaigns(december),
			)
			created = [name for result in results if isinstance(result, list) for name in result]
			self.assertEqual(len(created), 1, [getattr(r, "trace", r) for r in results])
			self.assertEqual(frappe.get_all(CAMPAIGN, scheduled, pluck="name"), created)
			campaign = frappe.get_doc(CAMPAIGN, created[0])
			self.assertEqual((campaign.status, campaign.invited_customers), ("Sent", key_customers))
			invited = frappe.get_all(RESPONSE, {"campaign": campaign.name}, ["customer", "contact"])
			self.assertEqual(len(invited), len({(r.customer, r.contact) for r in invited}))
			self.assertIn(ALPHA, {r.customer for r in invited})
			self.assertEqual(frappe.db.count("Error Log", failed), errors)

			# a run that checked before the other committed meets the unique key: "already created"
			with patch.object(frappe.db, "exists", return_value=False):
				self.assertEqual(tasks.create_scheduled_campaigns(december), [])
			self.assertEqual(frappe.get_all(CAMPAIGN, scheduled, pluck="name"), created)
			self.assertEqual(len(frappe.get_all(RESPONSE, {"campaign": campaign.name})), len(invited))
			self.assertEqual(frappe.db.count("Error Log", failed), errors)
		finally:
			frappe.db.set_value("Customer", ALPHA, "cs_key_customer", 0)
			FIXTURES.state.settings(survey_schedules=[])
			frappe.db.commit()


def sendmail_reference(response):
	"""The invitation as Frappe's own `frappe.sendmail` queues it, worded by the Email Template: the
	reference the bulk invitations are compared with."""
	from cs_procedures.footprint import SURVEY_EMAIL_TEMPLATE

	mail = frappe.get_doc("Email Template", SURVEY_EMAIL_TEMPLATE).get_formatted_email(
		{
			"customer_name": response.customer_name or response.customer,
			"link": campaign_module.survey_link(response),
			"reply_by": frappe.format(
				frappe.db.get_value("Satisfaction Survey Campaign", response.campaign, "reply_by"), "Date"
			),
			"reminder": False,
		}
	)
	frappe.sendmail(
		recipients=[response.email],
		subject=mail["subject"],
		message=mail["message"],
		reference_doctype=response.doctype,
		reference_name=response.name,
	)
