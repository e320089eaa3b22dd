"""Customer text never runs as script in staff screens: the print formats, the survey portal and the
script reports escape every value that is not HTML by design.

The hostile values are written straight into the database after the records are saved: Frappe's
sanitizer, which runs on save, would otherwise defang them before the templates are put to the test
(and values set on submit, by `db_set` or by SQL never meet it). The Text Editor fields, HTML by
design, are checked the other way round: what `doc.save()` and the e-mail intake store is sanitized.
"""

import json
import re
from urllib.parse import urlsplit

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, getdate, now_datetime, today
from werkzeug.test import Client

from cs_procedures.testing import (
	company,
	complaint_doc,
	ensure_customer,
	ensure_stock_item,
	ensure_user,
	new_survey_campaign,
	sales_order_doc,
	sample_record,
)

CUSTOMER = "_CS Esc Customer"
ITEM = "_CS Esc Item"
DEPARTMENT = '_CS Esc "R&D" Dept'  # a document name may hold quotes and "&", never "<" or ">"
STAFF = "esc.staff@example.com"
TEMPLATE = "_CS Esc Template"
PORTAL_USER = "esc.portal@example.com"
PASSWORD = "Escape-Test-2026!"

RAW = ("<img src=x", "<script>alert")  # what must never reach a page unescaped
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def hostile(marker: str) -> str:
	"""Markup that runs script if output as is; `marker` tells which field leaked."""
	return f'<img src=x onerror=alert(1) title={marker}>"><script>alert(1)</script>'


def hostiles(prefix: str, *fields: str) -> dict:
	"""`hostile` markup for each field, marked `<prefix>_<field>`."""
	return {field: hostile(f"{prefix}_{field}") for field in fields}


def escaped(marker: str) -> str:
	return f"&lt;img src=x onerror=alert(1) title={marker}&gt;"


def poison(doctype: str, name: str, **values) -> None:
	"""Store raw values, past the sanitizer that runs on save."""
	frappe.db.set_value(doctype, name, values, update_modified=False)
	frappe.clear_document_cache(doctype, name)


def department() -> str:
	name = frappe.db.get_value("Department", {"department_name": DEPARTMENT, "company": company()})
	return name or (
		frappe.get_doc({"doctype": "Department", "department_name": DEPARTMENT, "company": company()})
		.insert()
		.name
	)


def ensure_template():
	categories = ("Product Quality", "Delivery", "Service", "Staff", "Price")
	template = (
		frappe.db.exists("Satisfaction Survey Template", TEMPLATE)
		or frappe.get_doc(
			{
				"doctype": "Satisfaction Survey Template",
				"template_name": TEMPLATE,
				"pass_mark": 16,
				"callback_mark": 70,
				"introduction": "Please rate each item.",
				"introduction_zh": "请对下列各项评分。",
				"items": [
					{"category": c, "question": f"Question {i}", "question_zh": f"问题 {i}", "max_score": 20}
					for i, c in enumerate(categories, 1)
				],
			}
		)
		.insert()
		.name
	)
	poison(
		"Satisfaction Survey Template",
		template,
		introduction=hostile("tpl_introduction"),
		introduction_zh=hostile("tpl_introduction_zh"),
	)
	return template


def new_campaign(**values):
	campaign = new_survey_campaign(
		[CUSTOMER],
		"Escaping test",
		**{
			"template": TEMPLATE,
			"period_start": add_days(getdate(), -30),
			"reply_by": add_days(getdate(), 7),
			**values,
		},
	)
	campaign.db_set({"status": "Sent", "invited_customers": 1})
	return campaign


def new_response(campaign):
	"""An invited customer's response, its link as the invitation gives it (path and query)."""
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.invitations import first_response
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.satisfaction_survey_campaign import (
		survey_link,
	)

	response = first_response(campaign, (CUSTOMER, None, None), get_datetime(f"{campaign.reply_by} 23:59:59"))
	link = urlsplit(survey_link(response))
	for row in response.answers:
		poison(
			"Satisfaction Survey Answer",
			row.name,
			question=hostile(f"question_{row.idx}"),
			question_zh=hostile(f"question_zh_{row.idx}"),
		)
	poison("Satisfaction Survey Response", response.name, customer_name=hostile("response_customer_name"))
	return response, f"{link.path}?{link.query}"


def poison_texts(doctype: str, name: str, prefix: str) -> None:
	"""Markup in every plain-text field of a stored record or row."""
	fields = [
		df.fieldname
		for df in frappe.get_meta(doctype).fields
		if df.fieldtype in ("Data", "Small Text", "Text", "Long Text") and not df.options
	]
	if fields:
		poison(doctype, name, **hostiles(prefix, *fields))


class EscapingAssertions:
	def assertEscaped(self, text: str, *markers: str, script: bool = True):  # noqa: N802 - unittest's naming
		"""No raw payload, each field's payload escaped (and once only)."""
		for raw in RAW:
			found = text.find(raw)
			if found >= 0:
				self.fail(f"unescaped {raw!r}: …{text[max(0, found - 200) : found + 120]}…")
		self.assertNotIn("&amp;lt;", text, "escaped twice")
		missing = [marker for marker in markers if escaped(marker) not in text]
		if missing:
			self.fail(f"not shown escaped: {', '.join(missing)}")
		if script:
			self.assertIn(SCRIPT_ESCAPED, text)


class TestPrintFormatsAndReports(EscapingAssertions, FrappeTestCase):
	"""Every record here is rolled back when the class ends (nothing is committed)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()  # commits what came before: from here on, everything is rolled back
		frappe.set_user("Administrator")
		cls.department = department()
		ensure_user(STAFF, ["CS Officer"])
		poison("User", STAFF, first_name=hostile("full_name"), full_name=hostile("full_name"))
		ensure_customer(CUSTOMER)
		poison("Customer", CUSTOMER, customer_name=hostile("customer_name"))
		ensure_stock_item(ITEM)
		poison("Item", ITEM, item_name=hostile("item_name"))
		ensure_template()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for doctype, name in (
			("User", STAFF),
			("Customer", CUSTOMER),
			("Item", ITEM),
			("Satisfaction Survey Template", TEMPLATE),
		):
			frappe.clear_document_cache(doctype, name)
		frappe.clear_cache(user=STAFF)
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")

	# --- every print format, from the metadata ------------------------------------------------------

	def test_every_print_format_escapes_every_text_field(self):
		"""Generated: each print format of the app, for a record of its doctype whose every plain-text
		field, and every such field of its rows, holds markup; a new print format is covered as it is."""
		formats = frappe.get_all(
			"Print Format",
			filters={"module": "CS Procedures", "standard": "Yes"},
			fields=["name", "doc_type"],
		)
		self.assertGreaterEqual(len(formats), 9)
		for print_format in formats:
			with self.subTest(print_format=print_format.name):
				record = sample_record(print_format.doc_type, customer=CUSTOMER)
				poison_texts(record.doctype, record.name, "doc")
				for table in record.meta.get_table_fields():
					for row in record.get(table.fieldname):
						poison_texts(table.options, row.name, table.fieldname)
				html = frappe.get_print(print_format.doc_type, record.name, print_format.name)
				self.assertEscaped(html, script=False)

	# --- Customer Complaint -------------------------------------------------------------------------

	def new_complaint(self, **values):
		complaint = complaint_doc(
			CUSTOMER,
			"Scratched housings",
			hostile("cc_description"),  # HTML by design: sanitized on save
			item_code=ITEM,
			qty=10,
			responsible_department=self.department,
			received_by=STAFF,
			countermeasures=[
				{
					"what": "Add foam separators",
					"why": "Parts rub in transit",
					"who": "Packing team",
					"where": "Line 2",
					"how": "One per layer",
					"containment_action": "Re-inspect stock",
					"due_date": add_days(today(), 5),
				}
			],
			**values,
		).insert()
		row = complaint.countermeasures[0].name
		poison(
			"Complaint Countermeasure",
			row,
			**hostiles("cm", "what", "why", "containment_action", "who", "where", "how"),
		)
		poison(
			"Customer Complaint",
			complaint.name,
			# customer_request: a Select written past its options
			**hostiles("cc", "customer_name", "item_name", "subject", "vp_decision", "reply_summary"),
			**hostiles("cc", "verification_result", "customer_request"),
			countermeasure_approved_by=STAFF,
			verified_by=STAFF,
		)
		return frappe.get_doc("Customer Complaint", complaint.name)

	def test_complaint_sheet(self):
		complaint = self.new_complaint()
		self.assertNotIn("onerror", complaint.description)  # sanitized by doc.save()
		self.assertNotIn("<script", complaint.description)
		html = frappe.get_print("Customer Complaint", complaint.name, "Customer Complaint Sheet")
		self.assertEscaped(
			html,
			"cc_customer_name",
			"cc_item_name",
			"cc_subject",
			"cc_vp_decision",
			"cc_reply_summary",
			"cc_verification_result",
			"cc_customer_request",
			"full_name",
			*(f"cm_{f}" for f in ("what", "why", "containment_action", "who", "where", "how")),
		)
		self.assertIn("&#34;R&amp;D&#34;", html)  # the department's name, escaped
		self.assertIn('title="cc_description"', html)  # the sanitized description is still HTML

	def test_emailed_complaint_body_is_sanitized(self):
		from cs_procedures.erpnext_doctypes.events import describe_complaint_from_email

		complaint = self.new_complaint()
		poison("Customer Complaint", complaint.name, description="")
		describe_complaint_from_email(
			frappe._dict(
				reference_doctype="Customer Complaint",
				reference_name=complaint.name,
				sent_or_received="Received",
				content=f"<p>Dear CS,</p>{hostile('mail_body')}",
			)
		)
		description = frappe.db.get_value("Customer Complaint", complaint.name, "description")
		self.assertIn("Dear CS", description)
		self.assertNotIn("onerror", description)
		self.assertNotIn("<script", description)
		html = frappe.get_print("Customer Complaint", complaint.name, "Customer Complaint Sheet")
		self.assertEscaped(html, "cc_subject")

	def test_complaint_reports(self):
		from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
		from cs_procedures.cs_procedures.report.complaint_tracking_ledger import complaint_tracking_ledger

		complaint = self.new_complaint()
		poison("Customer Complaint", complaint.name, complaint_type=hostile("cc_complaint_type"))

		_columns, rows = complaint_tracking_ledger.execute({"customer": CUSTOMER})
		(row,) = [row for row in rows if row.name == complaint.name]
		self.assertEscaped(
			json.dumps(rows, default=str), "cc_customer_name", "cc_subject", "cc_complaint_type"
		)
		self.assertEqual((row.customer, row.responsible_department), (CUSTOMER, self.department))  # links

		result = complaint_statistics.execute({"customer": CUSTOMER, "group_by": "Complaint Type"})
		self.assertEscaped(json.dumps(result, default=str), "cc_complaint_type")  # cells and chart labels
		columns, rows, _message, chart = complaint_statistics.execute(
			{"customer": CUSTOMER, "group_by": "Responsible Department"}
		)
		self.assertEqual([row.grp for row in rows], [self.department])  # a Link keeps its value
		self.assertEqual(chart["data"]["labels"], [self.department])

	# --- Order Review ---------------------------------------------------------------------------------

	def test_order_review_record(self):
		from cs_procedures.cs_procedures.doctype.order_review.order_review import make_order_review

		order = sales_order_doc(CUSTOMER, 5, 12, item_code=ITEM, po_no="PO-ESC").insert()
		poison("Sales Order Item", order.items[0].name, item_name=hostile("so_item_name"))
		review = make_order_review(order.name)
		review.insert()
		review.customer_requirements = f"<p>Colour RAL 7035</p>{hostile('requirements')}"
		review.save()  # HTML by design: sanitized on save
		self.assertNotIn("onerror", review.customer_requirements)
		self.assertNotIn("<script", review.customer_requirements)
		for row in review.opinions:
			poison(
				"Order Review Opinion", row.name, comments=hostile(f"opinion_{row.idx}"), reviewed_by=STAFF
			)
		poison(
			"Order Review",
			review.name,
			**hostiles("or", "customer_name", "customer_po", "gm_remarks", "change_reason"),
			version=2,
			approved_by=STAFF,
			approved_on=now_datetime(),
			owner=STAFF,
		)
		html = frappe.get_print("Order Review", review.name, "Order Review Record")
		self.assertEscaped(
			html,
			"so_item_name",
			"or_customer_name",
			"or_customer_po",
			"or_gm_remarks",
			"or_change_reason",
			"full_name",
			*(f"opinion_{row.idx}" for row in review.opinions),
		)
		self.assertIn("Colour RAL 7035", html)

	# --- Satisfaction survey --------------------------------------------------------------------------

	def answered_campaign(self):
		campaign = new_campaign(
			follow_ups=[{"question": "Question 1", "category": "Service", "department": self.department}]
		)
		poison("Satisfaction Survey Campaign", campaign.name, title=hostile("campaign_title"))
		poison(
			"Satisfaction Survey Follow Up",
			campaign.follow_ups[0].name,
			question=hostile("follow_up_question"),
			quality_action=hostile("follow_up_action"),
		)
		response, _link = new_response(campaign)
		for row in response.answers:  # answered: scored as the controller would
			poison("Satisfaction Survey Answer", row.name, score=row.max_score)
		poison(
			"Satisfaction Survey Response",
			response.name,
			status="Answered",
			channel="Phone",
			answered_on=now_datetime(),
			score=100,
			satisfaction=100,
			customer_name=hostile("response_customer_name"),
			respondent=hostile("respondent"),
			comments=hostile("comments"),
		)
		return frappe.get_doc("Satisfaction Survey Campaign", campaign.name), response

	def test_survey_print_formats(self):
		campaign, response = self.answered_campaign()
		questions = [f"question_{i}" for i in range(1, 6)]

		html = frappe.get_print(
			"Satisfaction Survey Response", response.name, "Satisfaction Survey Questionnaire"
		)
		self.assertEscaped(
			html,
			"response_customer_name",
			"respondent",
			"comments",
			"tpl_introduction",
			"tpl_introduction_zh",
			*questions,
			*(f"question_zh_{i}" for i in range(1, 6)),
		)

		html = frappe.get_print(
			"Satisfaction Survey Campaign", campaign.name, "Satisfaction Survey Statistics Table"
		)
		self.assertEscaped(
			html,
			"campaign_title",
			"response_customer_name",
			"follow_up_question",
			"follow_up_action",
			*questions,
		)
		self.assertIn("&#34;R&amp;D&#34;", html)

	def test_survey_statistics_report(self):
		from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import (
			satisfaction_survey_statistics,
		)

		campaign, response = self.answered_campaign()
		columns, rows, message, chart, _summary = satisfaction_survey_statistics.execute(
			{"campaign": campaign.name}
		)
		questions = [f"question_{i}" for i in range(1, 6)]
		self.assertEscaped(json.dumps(rows, default=str), "response_customer_name", "respondent")
		self.assertEqual((rows[0].name, rows[0].customer), (response.name, CUSTOMER))  # links
		self.assertEscaped(message, *questions)
		self.assertEscaped("\n".join(chart["data"]["labels"]), *questions)

	# --- Customer Property ----------------------------------------------------------------------------

	def test_customer_property_register(self):
		from cs_procedures.cs_procedures.report.customer_property_register import (
			customer_property_register,
		)

		record = frappe.get_doc(
			{
				"doctype": "Customer Property",
				"customer": CUSTOMER,
				"kind": "Material",
				"received_on": today(),
				"received_by": STAFF,
				"delivery_reference": "DN-ESC",
				"item_code": ITEM,
				"description": "Customer resin",
				"qty": 2,
				"uom": "Nos",
			}
		).insert()
		fields = ("customer_name", "delivery_reference", "description", "nonconformity", "storage_location")
		poison("Customer Property", record.name, **{f: hostile(f"cp_{f}") for f in fields})
		_columns, rows = customer_property_register.execute({"customer": CUSTOMER})
		(row,) = [row for row in rows if row.name == record.name]
		self.assertEscaped(json.dumps(row, default=str), *(f"cp_{f}" for f in fields))
		self.assertEqual((row.customer, row.item_code), (CUSTOMER, ITEM))  # links


class TestSurveyPortal(EscapingAssertions, FrappeTestCase):
	"""The portal is requested over HTTP, on its own connection: these records are committed, and
	deleted again when the class ends (and when it starts, should a run have been interrupted)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		purge_portal_records()
		ensure_user(PORTAL_USER, ["Customer"], user_type="Website User")
		user = frappe.get_doc("User", PORTAL_USER)
		user.new_password = PASSWORD
		user.save()
		ensure_customer(CUSTOMER, user=PORTAL_USER)
		poison("Customer", CUSTOMER, customer_name=hostile("customer_name"))
		ensure_template()
		cls.campaign = new_campaign()
		cls.response, cls.link = new_response(cls.campaign)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		purge_portal_records()
		super().tearDownClass()

	def get(self, client, path):
		response = make_request(target=client.get, args=(path,))
		self.assertEqual(response.status_code, 200, response.text[-500:])
		return response.text

	def test_survey_by_token_link(self):
		page = self.get(Client(frappe.app.application), self.link)
		self.assertIn("cs-survey-form", page)
		self.assertEscaped(
			page, "response_customer_name", "tpl_introduction", *(f"question_{i}" for i in range(1, 6))
		)

	def test_list_of_open_surveys(self):
		client = Client(frappe.app.application)
		login = make_request(
			target=client.post,
			args=("/api/method/login",),
			kwargs={"data": {"usr": PORTAL_USER, "pwd": PASSWORD}},
		)
		self.assertEqual(login.status_code, 200, login.text[-500:])
		page = self.get(client, "/survey")
		self.assertIn(self.response.name, page)
		self.assertEscaped(page, "response_customer_name")
		self.assertTrue(re.search(r'href="/survey\?name=[^"<>]+"', page))


def purge_portal_records():
	frappe.set_user("Administrator")
	frappe.db.rollback()
	for campaign in frappe.get_all("Satisfaction Survey Campaign", {"template": TEMPLATE}, pluck="name"):
		for response in frappe.get_all("Satisfaction Survey Response", {"campaign": campaign}, pluck="name"):
			frappe.delete_doc("Satisfaction Survey Response", response, force=True, ignore_permissions=True)
		frappe.delete_doc("Satisfaction Survey Campaign", campaign, force=True, ignore_permissions=True)
	if frappe.db.exists("Satisfaction Survey Template", TEMPLATE):
		frappe.delete_doc("Satisfaction Survey Template", TEMPLATE, force=True, ignore_permissions=True)
	if frappe.db.exists("Customer", CUSTOMER):
		frappe.delete_doc("Customer", CUSTOMER, force=True, ignore_permissions=True)
	contacts = {
		*frappe.get_all("Contact", {"user": PORTAL_USER}, pluck="name"),
		*frappe.get_all("Contact Email", {"email_id": PORTAL_USER}, pluck="parent"),
	}
	for contact in contacts:
		frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
	if frappe.db.exists("User", PORTAL_USER):
		frappe.delete_doc("User", PORTAL_USER, force=True, ignore_permissions=True)
	for doctype, name in (("Customer", CUSTOMER), ("Satisfaction Survey Template", TEMPLATE)):
		frappe.clear_document_cache(doctype, name)
	frappe.db.commit()
