"""Hostile requests against the satisfaction survey's records (issue 6: nobody forges, skips or
rewrites the procedure through the API).

Each request is made over HTTP the way the desk and the portal make it (REST, `frappe.client.*`,
`run_doc_method`, the portal's submit), logged in as the role in question; each must be refused
with a 4xx and a clear message, and the stored records must be unchanged afterwards.
"""

import json
import re
from contextlib import contextmanager
from urllib.parse import quote

import frappe
from frappe.tests.test_api import make_request
from frappe.utils import getdate, now_datetime
from werkzeug.test import Client

from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	hash_token,
	link_token,
)
from cs_procedures.testing import (
	PASSWORD,
	Fixtures,
	SiteTestCase,
	ensure_customer,
	message_of,
	new_survey_campaign,
)

TEMPLATE = "Customer Satisfaction Survey"
TITLE = "_CS survey security test"
TARGET, OTHER, THIRD = "_CS Sec Target", "_CS Sec Other", "_CS Sec Third"
CUSTOMERS = (TARGET, OTHER, THIRD)
TARGET_MAIL = "buyer@cs-sec-target.example"
MANAGER = "sec.manager@cs-sec.example"
OFFICER = "sec.officer@cs-sec.example"
HEAD = "sec.head.sales@cs-sec.example"  # a CS department head who also holds Sales User
VERIFIER = "sec.verifier@cs-sec.example"
DESK = "sec.desk@cs-sec.example"  # a desk user without CS roles
PORTAL_OWN = "sec.portal.target@cs-sec.example"  # a portal user of the target customer
PORTAL_OTHER = "sec.portal.other@cs-sec.example"  # a portal user of another customer
STAFF = {
	MANAGER: ["CS Manager"],
	OFFICER: ["CS Officer"],
	HEAD: ["CS Department Head", "Sales User"],
	VERIFIER: ["CS Verifier"],
	DESK: ["Accounts User"],
}
PORTAL_USERS = {PORTAL_OWN: TARGET, PORTAL_OTHER: OTHER}
CS_ROLES = ("CS Manager", "CS Officer", "CS Department Head", "CS Vice President", "CS Verifier")
SUBMIT = "cs_procedures.www.survey.submit"
RESPONSE, CAMPAIGN, ACTION = "Satisfaction Survey Response", "Satisfaction Survey Campaign", "Quality Action"
FULL = '{"1":20,"2":16,"3":20,"4":16,"5":12}'  # 84 points
ADDED_TOKEN_COLUMN = []


def prepare(fixtures):
	from cs_procedures.install import create_default_survey_template, create_survey_email_template

	create_default_survey_template()
	create_survey_email_template()
	user = frappe.get_doc("User", DESK)
	user.remove_roles(*CS_ROLES)  # whatever an earlier run or another suite gave it
	ensure_customer(TARGET, TARGET_MAIL)  # a contact with the e-mail the invitation goes to
	fixtures.state.outgoing_email(True)
	remove_leftovers()
	frappe.cache.delete_keys("rl:cs_procedures.www.survey.submit")  # the portal's rate limit


def clean_up(fixtures):
	"""Everything this module made, its users and customers too."""
	remove_leftovers()
	for name in frappe.get_all("Contact", filters={"email_id": TARGET_MAIL}, pluck="name"):
		frappe.delete_doc("Contact", name, force=True, ignore_permissions=True)
	for customer in CUSTOMERS:
		frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True, ignore_missing=True)
	for user in (*STAFF, *PORTAL_USERS):
		frappe.delete_doc("User", user, force=True, ignore_permissions=True, ignore_missing=True)
	if ADDED_TOKEN_COLUMN:
		set_token_column(False)


FIXTURES = Fixtures(
	users=STAFF,
	customers=CUSTOMERS,
	portal_users=PORTAL_USERS,
	settings={"survey_schedules": [], "survey_reminder_days": "7,14"},
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def remove_leftovers():
	"""The records of this module (also those an interrupted run left)."""
	for name in frappe.get_all("Customer Complaint", filters={"customer": ("in", CUSTOMERS)}, pluck="name"):
		frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
	for campaign in frappe.get_all(CAMPAIGN, filters={"title": ("like", f"{TITLE}%")}, pluck="name"):
		for name in frappe.get_all(ACTION, filters={"cs_survey_campaign": campaign}, pluck="name"):
			frappe.delete_doc(ACTION, name, force=True, ignore_permissions=True)
		for name in frappe.get_all("ToDo", filters={"reference_type": RESPONSE, "description": ("like", "%_CS Sec%")}, pluck="name"):  # fmt: skip
			frappe.delete_doc("ToDo", name, force=True, ignore_permissions=True)
		for name in frappe.get_all(RESPONSE, filters={"campaign": campaign}, pluck="name"):
			frappe.delete_doc(RESPONSE, name, force=True, ignore_permissions=True)
		frappe.delete_doc(CAMPAIGN, campaign, force=True, ignore_permissions=True)
	frappe.db.commit()


class Session:
	"""A browser: one werkzeug client, logged in as `user` (Guest when None)."""

	_count = 0

	def __init__(self, user=None):
		Session._count += 1
		self.client = Client(frappe.app.application)
		self.address = f"10.66.{Session._count // 250}.{Session._count % 250 + 1}"  # its own rate limit
		self.csrf_token = None
		if user:
			login = self.post_method("login", {"usr": user, "pwd": PASSWORD})
			assert login.status_code == 200, login.text[-500:]

	def request(self, method, path, csrf=True, **kwargs):
		headers = {"X-Forwarded-For": self.address}
		if csrf and self.csrf_token:
			headers["X-Frappe-CSRF-Token"] = self.csrf_token
		kwargs["headers"] = headers
		return make_request(target=getattr(self.client, method), args=(path,), kwargs=kwargs)

	def get(self, path):
		return self.request("get", path)

	def open_survey_page(self, path="/survey"):
		"""The page, and the CSRF token it carries for the answers (as the portal's script sends it)."""
		page = self.get(path)
		found = re.search(r'frappe.csrf_token = "([^"]*)"', page.text)
		self.csrf_token = found.group(1) if found and found.group(1) != "None" else None
		return page

	def post_method(self, method, data=None, csrf=True, **kwargs):
		return self.request("post", f"/api/method/{method}", csrf=csrf, data=data, **kwargs)

	def put(self, doctype, name, values):
		return self.request("put", resource(doctype, name), json=values)

	def insert(self, doctype, values):
		return self.request("post", resource(doctype), json=values)

	def delete(self, doctype, name):
		return self.request("delete", resource(doctype, name))

	def save(self, doc):
		return self.post_method("frappe.client.save", {"doc": as_json(doc)})

	def run_doc_method(self, doc, method):
		return self.post_method("run_doc_method", {"docs": as_json(doc), "method": method})

	def survey(self, csrf=True, **data):
		if any(not isinstance(value, str) for value in data.values()):
			return self.post_method(SUBMIT, csrf=csrf, json=data)  # what only a JSON body can carry
		return self.post_method(SUBMIT, data, csrf=csrf)


def resource(doctype, name=None) -> str:
	return f"/api/resource/{quote(doctype)}" + (f"/{quote(name)}" if name else "")


def as_json(doc) -> str:
	return json.dumps(doc, default=str)


def client_copy(doctype, name, **forged) -> dict:
	"""The document as the desk holds it (what `frappe.client.save` and `run_doc_method` send)."""
	frappe.db.commit()
	return {**frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True), **forged}


def rows(response, score=None) -> list[dict]:
	"""The answer rows as the desk sends them back, with `score` (a value, or idx -> value)."""
	return [
		{
			**row.as_dict(convert_dates_to_str=True),
			**({} if score is None else {"score": score(row.idx) if callable(score) else score}),
		}
		for row in response.answers
	]


def set_token_column(exists: bool):
	"""The plain `token` column of sites installed before the tokens were hashed."""
	if frappe.db.has_column(RESPONSE, "token") != exists:
		frappe.db.sql_ddl(
			f"alter table `tab{RESPONSE}` {'add column token varchar(140)' if exists else 'drop column token'}"
		)
		frappe.cache.hdel("table_columns", f"tab{RESPONSE}")


def snapshot(record):
	if callable(record):
		return record()
	doctype, name = record
	if not frappe.db.exists(doctype, name):
		return None
	return as_json(frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True))


def malformed_survey_input(token: str, name: str) -> list[tuple[dict, str]]:
	"""What a guest may send to the survey page that is not an answer: (the values, what they are told)."""
	invalid_score, not_text = "must be a number", "must be text"
	huge = "9" * 400
	return [
		({"token": token, "answers": "[20, 16, 20, 16, 12]"}, "score for each question"),
		({"token": token}, "score for each question"),
		({"token": token, "answers": "not json"}, "score for each question"),
		({"token": token, "answers": '{"1":NaN,"2":16,"3":20,"4":16,"5":12}'}, invalid_score),
		({"token": token, "answers": '{"1":"Infinity","2":16,"3":20,"4":16,"5":12}'}, invalid_score),
		({"token": token, "answers": '{"1":1e999,"2":16,"3":20,"4":16,"5":12}'}, invalid_score),
		({"token": token, "answers": f'{{"1":{huge},"2":16,"3":20,"4":16,"5":12}}'}, invalid_score),
		({"token": token, "answers": '{"1":[20],"2":16,"3":20,"4":16,"5":12}'}, invalid_score),
		({"token": [token], "answers": FULL}, not_text),
		({"token": token, "answers": FULL, "respondent": {"name": "x"}}, not_text),
		({"name": [name], "answers": FULL}, not_text),
		({"token": token, "answers": FULL, "comments": ["x"]}, not_text),
		(
			{"token": token, "answers": '{"1":20,"2":10,"3":20,"4":16,"5":12}'},
			"must be one of 20, 16, 12, 8, 4",
		),
		({"token": token, "answers": '{"1":20,"2":-4,"3":20,"4":16,"5":12}'}, "must be one of"),
		({"token": token, "answers": '{"1":20,"2":16}'}, "Please answer question 3"),
		({"token": token, "answers": '{"1":20,"2":16,"3":20,"4":16,"5":12,"6":20}'}, "no question 6"),
	]


class TestSurveySecurity(SiteTestCase):
	sessions: dict = {}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sessions = {}

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		remove_leftovers()

	def as_user(self, user=None) -> Session:
		if user not in self.sessions:
			self.sessions[user] = Session(user)
		return self.sessions[user]

	# records

	def campaign(self, sent=True, customers=CUSTOMERS):
		campaign = new_survey_campaign(customers, title=TITLE)
		if sent:
			campaign.send_invitations()
		frappe.db.commit()
		return campaign.reload()

	def response_of(self, campaign, customer=TARGET):
		frappe.db.commit()  # a new snapshot: see what the requests committed
		return frappe.get_doc(RESPONSE, {"campaign": campaign.name, "customer": customer})

	def answer_by_phone(self, response, scores=(20, 16, 20, 16, 12)):
		for row, score in zip(response.answers, scores, strict=True):
			row.score = score
		response.channel = "Phone"
		response.save()
		frappe.db.commit()
		return response

	def survey_action(self, campaign):
		action = frappe.get_doc(
			{
				"doctype": ACTION,
				"corrective_preventive": "Corrective",
				"date": getdate(),
				"status": "Open",
				"cs_survey_campaign": campaign.name,
				"resolutions": [{"problem": "Delivery averaged 8", "status": "Open"}],
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		return action

	# assertions

	@contextmanager
	def unchanged(self, *records):
		"""The records (doctype, name), or values (a callable), are the same after the block."""
		frappe.db.commit()
		before = [snapshot(record) for record in records]
		yield
		frappe.db.commit()
		self.assertEqual(
			before, [snapshot(record) for record in records], "a refused request changed the record"
		)

	def assertAccepted(self, response):  # noqa: N802
		self.assertTrue(
			200 <= response.status_code < 300, f"{response.status_code}: {message_of(response)[-800:]}"
		)

	# A: the procedure's fields

	def test_a_response_fields_written_by_the_procedure(self):
		campaign = self.campaign()
		response = self.response_of(campaign)
		officer = self.as_user(OFFICER)
		written = "written by the procedure"
		with self.unchanged((RESPONSE, response.name)):
			self.assertRefused(
				officer.put(RESPONSE, response.name, {"status": "Answered", "score": 100}), written
			)
			self.assertRefused(
				officer.put(RESPONSE, response.name, {"satisfaction": 99, "complaint_count": 0}), written
			)
			self.assertRefused(officer.put(RESPONSE, response.name, {"recorded_by": MANAGER}), written)
			self.assertRefused(
				officer.save(client_copy(RESPONSE, response.name, token_expires_on="2099-12-31 23:59:59")),
				written,
			)
			self.assertRefused(officer.put(RESPONSE, response.name, {"token_hash": "0" * 64}), written)
			forged_rows = [{**row, "max_score": 100, "score": 100} for row in rows(response)]
			self.assertRefused(officer.put(RESPONSE, response.name, {"answers": forged_rows}), written)
			answered = rows(response, 20)
			extra = {"question": "Extra", "category": "Other", "max_score": 20, "score": 20}
			self.assertRefused(
				officer.put(RESPONSE, response.name, {"channel": "Phone", "answers": [*answered, extra]}),
				"rows cannot be added",
			)
			self.assertRefused(
				officer.put(RESPONSE, response.name, {"channel": "Phone", "answers": answered[1:]}),
				"rows cannot be added",
			)
			self.assertRefused(officer.put(RESPONSE, response.name, {"customer": OTHER}), "cannot change")
			other = self.campaign()
			self.assertRefused(
				officer.put(RESPONSE, response.name, {"campaign": other.name}), "cannot change"
			)

	def test_a_forged_new_responses_are_refused(self):
		campaign = self.campaign(customers=(TARGET, OTHER))
		officer = self.as_user(OFFICER)
		count = lambda: frappe.db.count(RESPONSE, {"campaign": campaign.name})  # noqa: E731
		forged_questions = [{"question": f"Forged {i}", "max_score": 100, "score": 100} for i in range(5)]
		with self.unchanged(count):
			self.assertRefused(
				officer.insert(
					RESPONSE,
					{"campaign": campaign.name, "customer": THIRD, "status": "Answered", "score": 100},
				),
				"written by the procedure",
			)
			self.assertRefused(
				officer.insert(
					RESPONSE,
					{
						"campaign": campaign.name,
						"customer": THIRD,
						"channel": "Phone",
						"answers": forged_questions,
					},
				),
				"rows cannot be added",
			)
		# a phone survey of a customer not invited by e-mail: the template's questions, staff's name on it
		self.assertAccepted(officer.insert(RESPONSE, {"campaign": campaign.name, "customer": THIRD}))
		phone = self.response_of(campaign, THIRD)
		template = frappe.get_doc("Satisfaction Survey Template", TEMPLATE)
		self.assertEqual([row.question for row in phone.answers], [item.question for item in template.items])
		self.assertEqual((phone.status, phone.recorded_by), ("Invited", None))

	def test_a_campaign_fields_written_by_the_procedure(self):
		campaign = self.campaign()
		manager, officer = self.as_user(MANAGER), self.as_user(OFFICER)
		written = "written by the procedure"
		with self.unchanged((CAMPAIGN, campaign.name)):
			self.assertRefused(
				manager.put(CAMPAIGN, campaign.name, {"is_valid": 1, "response_rate": 100}), written
			)
			self.assertRefused(manager.save(client_copy(CAMPAIGN, campaign.name, status="Closed")), written)
			self.assertRefused(officer.put(CAMPAIGN, campaign.name, {"invited_customers": 1}), written)
			self.assertRefused(
				officer.put(
					CAMPAIGN, campaign.name, {"follow_ups": [{"question": "Forged", "average_score": 20}]}
				),
				"follow-ups are raised by the procedure",
			)
			self.assertRefused(
				officer.put(CAMPAIGN, campaign.name, {"customers": [{"customer": THIRD}]}),
				"can no longer change",
			)
		count = lambda: frappe.db.count(CAMPAIGN, {"title": f"{TITLE} forged"})  # noqa: E731
		with self.unchanged(count):
			values = {
				"title": f"{TITLE} forged",
				"template": TEMPLATE,
				"status": "Closed",
				"schedule_key": "x",
			}
			values.update(period_start=str(getdate()), period_end=str(getdate()), reply_by=str(getdate()))
			self.assertRefused(officer.insert(CAMPAIGN, values), written)

	# B: staff answer in the desk, under their own name; the portal is the customer's

	def test_b_staff_cannot_answer_as_the_customer_on_the_portal(self):
		campaign = self.campaign()
		response = self.response_of(campaign)
		head = self.as_user(HEAD)
		listing = head.open_survey_page()
		self.assertEqual(listing.status_code, 200)
		self.assertNotIn(response.name, listing.text)  # ERPNext would give a Sales User every customer
		self.assertIn("not valid", head.open_survey_page(f"/survey?name={response.name}").text)
		portal_other = self.as_user(PORTAL_OTHER)
		portal_other.open_survey_page()
		with self.unchanged((RESPONSE, response.name)):
			self.assertRefused(head.survey(name=response.name, answers=FULL), "not valid", status=403)
			self.assertRefused(portal_other.survey(name=response.name, answers=FULL), "not valid", status=403)
			self.assertRefused(
				self.as_user(OFFICER).put(
					RESPONSE,
					response.name,
					{"channel": "Portal", "answers": rows(response, 20)},
				),
				"recorded as Portal",
			)
		phone = {"channel": "Phone", "answers": rows(response, 12)}
		self.assertAccepted(self.as_user(OFFICER).put(RESPONSE, response.name, phone))
		response = self.response_of(campaign)
		self.assertEqual(
			(response.status, response.channel, response.recorded_by), ("Answered", "Phone", OFFICER)
		)

	# C: link tokens

	def test_c_tokens_are_not_readable_and_old_links_keep_working(self):
		campaign = self.campaign()
		response = self.response_of(campaign)
		token = link_token(response.name)
		self.assertEqual(response.token_hash, hash_token(token))
		listing = self.as_user(MANAGER).get(
			resource(RESPONSE)
			+ "?fields="
			+ quote('["*"]')
			+ "&filters="
			+ quote(json.dumps({"campaign": campaign.name}))
		)
		self.assertAccepted(listing)
		self.assertNotIn(token, listing.text)
		self.assertIn(response.token_hash, listing.text)  # only the hash, which opens nothing
		guest = self.as_user(None)
		with self.unchanged((RESPONSE, response.name)):
			self.assertRefused(guest.survey(token=response.token_hash, answers=FULL), "not valid", status=403)
			self.assertRefused(guest.survey(token=token.upper(), answers=FULL), "not valid", status=403)

		# a link e-mailed before the tokens were hashed: the patch keeps its hash, clears the token
		if not frappe.db.has_column(RESPONSE, "token"):
			ADDED_TOKEN_COLUMN.append(True)
			set_token_column(True)
		old = self.response_of(campaign, OTHER)
		plain = frappe.generate_hash(length=43)
		frappe.db.sql(
			f"update `tab{RESPONSE}` set token = %s, token_hash = null, legacy_token_hash = null where name = %s",
			(plain, old.name),
		)
		from cs_procedures.patches.v0_1 import hash_survey_tokens

		hash_survey_tokens.execute()
		frappe.db.commit()
		stored = frappe.db.sql(
			f"select token, token_hash, legacy_token_hash from `tab{RESPONSE}` where name = %s",
			old.name,
			as_dict=True,
		)[0]
		self.assertEqual(
			(stored.token, stored.token_hash, stored.legacy_token_hash),
			(None, hash_token(link_token(old.name)), hash_token(plain)),
		)
		self.assertAccepted(guest.survey(token=plain, answers=FULL))
		self.assertEqual(self.response_of(campaign, OTHER).status, "Answered")

	# D: what a guest may send

	def test_d_malformed_portal_input_is_a_clear_4xx(self):
		campaign = self.campaign()
		response = self.response_of(campaign)
		token = link_token(response.name)
		guest = self.as_user(None)
		with self.unchanged((RESPONSE, response.name)):
			for values, fragment in malformed_survey_input(token, response.name):
				with self.subTest(values=values):
					self.assertRefused(guest.survey(**values), fragment, status=417)
			self.assertRefused(
				self.as_user(OFFICER).put(
					RESPONSE, response.name, {"channel": "Phone", "answers": rows(response, 10)}
				),
				"must be one of 20, 16, 12, 8, 4",
				status=417,
			)
		# a phone survey saved half done stays Invited; answered when every question is
		officer = self.as_user(OFFICER)
		half = rows(response, lambda idx: 16 if idx < 3 else 0)
		self.assertAccepted(officer.put(RESPONSE, response.name, {"channel": "Phone", "answers": half}))
		self.assertEqual(
			(self.response_of(campaign).status, self.response_of(campaign).score), ("Invited", 0)
		)
		self.assertAccepted(guest.survey(token=token, answers=FULL))
		self.assertEqual(self.response_of(campaign).score, 84)

	def test_d_portal_answers_need_the_pages_csrf_token(self):
		campaign = self.campaign()
		response = self.response_of(campaign)
		portal = Session(PORTAL_OWN)  # a fresh session: no page opened yet
		with self.unchanged((RESPONSE, response.name)):
			self.assertRefused(portal.survey(name=response.name, answers=FULL), status=400)
			listing = portal.open_survey_page()
			self.assertIn(response.name, listing.text)
			self.assertTrue(portal.csrf_token)
			self.assertRefused(portal.survey(csrf=False, name=response.name, answers=FULL), status=400)
			forged = portal.csrf_token
			portal.csrf_token = "x" * len(forged)
			self.assertRefused(portal.survey(name=response.name, answers=FULL), status=400)
			portal.csrf_token = forged
		self.assertAccepted(portal.survey(name=response.name, answers=FULL))
		response = self.response_of(campaign)
		self.assertEqual(
			(response.status, response.channel, response.recorded_by), ("Answered", "Portal", PORTAL_OWN)
		)
		with self.unchanged((RESPONSE, response.name)):  # the customer's answer stays the customer's
			self.assertRefused(
				self.as_user(MANAGER).put(RESPONSE, response.name, {"answers": rows(response, 4)}),
				"answered this survey on the portal",
			)

	# E: methods act on the stored record

	def test_e_methods_act_on_the_stored_campaign(self):
		sent, draft = self.campaign(), self.campaign(sent=False)
		count = lambda: frappe.db.count(RESPONSE, {"campaign": sent.name})  # noqa: E731
		with self.unchanged((CAMPAIGN, sent.name), (CAMPAIGN, draft.name), count):
			self.assertRefused(
				self.as_user(OFFICER).run_doc_method(
					client_copy(CAMPAIGN, sent.name, status="Draft"), "send_invitations"
				),
				"sent already",
			)
			self.assertRefused(
				self.as_user(MANAGER).run_doc_method(
					client_copy(CAMPAIGN, draft.name, status="Sent"), "close"
				),
				"Only a campaign whose invitations are sent",
			)
			self.assertRefused(
				self.as_user(HEAD).run_doc_method(client_copy(CAMPAIGN, sent.name), "close"), status=403
			)
		self.answer_by_phone(self.response_of(sent))
		forged = client_copy(CAMPAIGN, sent.name, invited_customers=1)
		self.assertAccepted(self.as_user(MANAGER).run_doc_method(forged, "close"))
		frappe.db.commit()  # a new snapshot: see what the request committed
		sent.reload()
		self.assertEqual(
			(sent.status, sent.invited_customers, sent.response_rate, sent.is_valid), ("Closed", 3, 33.3, 0)
		)
		comment = frappe.get_all(
			"Comment", filters={"reference_doctype": CAMPAIGN, "reference_name": sent.name}, pluck="content"
		)
		self.assertTrue(any("Closed and scored 1 answered responses" in c for c in comment), comment)

		# a closed campaign takes no new response, no answer
		response = self.response_of(sent, OTHER)
		count = lambda: frappe.db.count(RESPONSE, {"campaign": sent.name})  # noqa: E731
		with self.unchanged((RESPONSE, response.name), count):
			officer = self.as_user(OFFICER)
			phone = {"channel": "Phone", "answers": rows(response, 20)}
			self.assertRefused(officer.put(RESPONSE, response.name, phone), "closed")
			self.assertRefused(officer.insert(RESPONSE, {"campaign": sent.name, "customer": THIRD}), "closed")
			self.assertRefused(
				self.as_user(None).survey(token=link_token(response.name), answers=FULL), "closed"
			)

	# F: corrective actions raised by a survey

	def test_f_survey_actions_keep_their_trace(self):
		campaign, other = self.campaign(), self.campaign(sent=False)
		action = self.survey_action(campaign)
		desk, manager = self.as_user(DESK), self.as_user(MANAGER)
		with self.unchanged((ACTION, action.name)):
			verifier_only = "Only a CS Verifier"
			self.assertRefused(
				desk.put(ACTION, action.name, {"cs_effect_verified": 1, "cs_effect_note": "ok"}),
				verifier_only,
			)
			self.assertRefused(
				manager.put(ACTION, action.name, {"cs_effect_verified": 1, "cs_effect_note": "ok"}),
				verifier_only,
			)
			self.assertRefused(
				desk.put(ACTION, action.name, {"cs_survey_campaign": ""}), "cannot be changed or cleared"
			)
			self.assertRefused(
				desk.put(ACTION, action.name, {"cs_survey_campaign": other.name}),
				"cannot be changed or cleared",
			)
			self.assertRefused(desk.delete(ACTION, action.name), "cannot be deleted")
			self.assertRefused(
				manager.post_method("frappe.client.delete", {"doctype": ACTION, "name": action.name}),
				"cannot be deleted",
			)
		self.assertAccepted(
			self.as_user(VERIFIER).put(
				ACTION, action.name, {"cs_effect_verified": 1, "cs_effect_note": "Two on-time months."}
			)
		)
		with self.unchanged((ACTION, action.name)):
			self.assertRefused(
				desk.save(client_copy(ACTION, action.name, cs_effect_verified=0)), "Only a CS Verifier"
			)

	# G: evidence is not deleted

	def test_g_evidence_is_not_deleted(self):
		campaign = self.campaign()
		response = self.answer_by_phone(self.response_of(campaign))
		manager = self.as_user(MANAGER)
		with self.unchanged((RESPONSE, response.name), (CAMPAIGN, campaign.name)):
			self.assertRefused(manager.delete(RESPONSE, response.name), "cannot be deleted")
			self.assertRefused(
				manager.post_method("frappe.client.delete", {"doctype": RESPONSE, "name": response.name}),
				"cannot be deleted",
			)
			self.assertRefused(manager.delete(CAMPAIGN, campaign.name), "cannot be deleted")
			self.assertRefused(
				self.as_user(OFFICER).post_method(
					"frappe.client.submit", {"doc": as_json(client_copy(RESPONSE, response.name))}
				)
			)
		draft = self.campaign(sent=False)
		self.assertAccepted(manager.delete(CAMPAIGN, draft.name))  # a draft is no evidence yet

	# H: deductions count accepted complaints only

	def test_h_unaccepted_complaints_do_not_lower_satisfaction(self):
		campaign = self.campaign()
		self.answer_by_phone(self.response_of(campaign))
		received = now_datetime()
		for channel, state, follower in (
			("Phone", "Received", "Administrator"),  # accepted for handling
			("E-mail", "Received", None),  # a stranger's e-mail nobody has triaged
			("Phone", "Not Accepted", "Administrator"),  # dismissed
		):
			complaint = frappe.get_doc(
				{
					"doctype": "Customer Complaint",
					"customer": TARGET,
					"received_on": received,
					"complaint_type": "Delivery",
					"subject": "Late",
					"description": "Late.",
				}
			).insert()
			frappe.db.set_value(
				"Customer Complaint",
				complaint.name,
				{"channel": channel, "workflow_state": state, "follower": follower},
				update_modified=False,
			)
		self.assertAccepted(
			self.as_user(MANAGER).run_doc_method(client_copy(CAMPAIGN, campaign.name), "close")
		)
		response = self.response_of(campaign)
		self.assertEqual((response.score, response.complaint_count, response.satisfaction), (84, 1, 83))
