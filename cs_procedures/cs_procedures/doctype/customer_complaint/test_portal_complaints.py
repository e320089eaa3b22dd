"""The customer's own complaint portal (issue 11, items 4-8), over HTTP as two portal customers.

Each customer files, lists, reads, accepts and reopens their own complaints through the portal
pages and portal_api.py; the other customer, a guest and a desk user get nothing of them.
Hostile input (markup in the texts, forged state/customer fields, foreign orders and items, a
missing CSRF token, too many posts) is escaped, ignored or refused.
"""

import base64
import json
import re

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.test_api import make_request
from frappe.utils import add_days, now_datetime, nowdate
from werkzeug.test import Client

from cs_procedures.procedures import complaint as rules
from cs_procedures.testing import (
	PASSWORD,
	Fixtures,
	SiteTestCase,
	company,
	ensure_stock_item,
	leaf_warehouse,
	purge,
	traceback_of,
)

ALPHA, BETA = "_CS Portal Alpha", "_CS Portal Beta"
PORTAL_A, PORTAL_B = "portal.a@cs-portal.example", "portal.b@cs-portal.example"
MANAGER = "portal.manager@cs-portal.example"
ITEM_A, ITEM_B = "_CS Portal Widget", "_CS Portal Gadget"  # each bought by one customer only
FILE, ANSWER, ATTACH = (
	f"cs_procedures.cs_procedures.doctype.customer_complaint.portal_api.{m}"
	for m in ("file_complaint", "answer_reply", "add_attachment")
)
COMPLAINT = "Customer Complaint"
PNG = base64.b64encode(
	base64.b64decode(
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	)
).decode()
QUALITY = "CS Portal Quality"
DOCS = {}  # the orders and deliveries made by `prepare`


def prepare(fixtures):
	remove_complaints()
	DOCS["dn_a"] = delivery(ALPHA, ITEM_A)
	DOCS["dn_b"] = delivery(BETA, ITEM_B)
	DOCS["so_a"] = sales_order(ALPHA, ITEM_A)
	DOCS["so_b"] = sales_order(BETA, ITEM_B)
	clear_rate_limits()


def clean_up(fixtures):
	"""The recorded documents are cancelled and deleted here, last recorded first (the orders, put at
	the front, after the deliveries), rather than purged; then the customers and users go."""
	remove_complaints()
	for doctype, name in reversed(fixtures.created):
		doc = frappe.get_doc(doctype, name)
		if doc.docstatus == 1:
			doc.cancel()
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	fixtures.created.clear()
	for customer in (ALPHA, BETA):
		frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True, ignore_missing=True)
	for user in (PORTAL_A, PORTAL_B, MANAGER):
		frappe.delete_doc("User", user, force=True, ignore_permissions=True, ignore_missing=True)
	clear_rate_limits()
	frappe.db.commit()  # the tear-down rolls back before it removes the (now none) recorded records


FIXTURES = Fixtures(
	departments=[QUALITY],
	users={MANAGER: ["CS Manager", "CS Officer"]},
	portal_users={PORTAL_A: ALPHA, PORTAL_B: BETA},
	customers=[ALPHA, BETA],
	settings=lambda f: {
		"allow_sales_only_handling": 1,
		"require_order_review": 0,
		"share_survey_results_on_portal": 0,
		"complaint_departments": [{"complaint_type": "Quality", "department": f.departments[QUALITY]}],
	},
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def clear_rate_limits():
	for method in (FILE, ANSWER, ATTACH):
		frappe.cache.delete_keys(f"rl:{method}")


def remove_complaints():
	for name in frappe.get_all(COMPLAINT, filters={"customer": ("in", (ALPHA, BETA))}, pluck="name"):
		for file in frappe.get_all("File", filters={"attached_to_doctype": COMPLAINT, "attached_to_name": name}, pluck="name"):  # fmt: skip
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)
		purge(COMPLAINT, name)
	frappe.db.commit()


def delivery(customer, item):
	ensure_stock_item(item)
	warehouse = leaf_warehouse()
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company(),
			"items": [{"item_code": item, "qty": 5, "t_warehouse": warehouse, "basic_rate": 80}],
		}
	).submit()
	record("Stock Entry", entry.name)
	note = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": company(),
			"customer": customer,
			"items": [{"item_code": item, "qty": 5, "rate": 100, "warehouse": warehouse}],
		}
	).submit()
	record("Delivery Note", note.name)
	return note.name


def sales_order(customer, item):
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": company(),
			"customer": customer,
			"transaction_date": nowdate(),
			"delivery_date": add_days(nowdate(), 7),
			"items": [
				{
					"item_code": item,
					"qty": 2,
					"rate": 100,
					"warehouse": leaf_warehouse(),
					"delivery_date": add_days(nowdate(), 7),
				}
			],
		}
	).submit()
	FIXTURES.created.insert(0, ("Sales Order", order.name))  # cancelled after the deliveries
	return order.name


class Browser:
	"""One browser of a portal user (Guest when None): its own cookies, address (rate limit) and
	the CSRF token the last page carried."""

	_count = 0

	def __init__(self, user=None):
		Browser._count += 1
		self.client = Client(frappe.app.application)
		self.address = f"10.77.{Browser._count // 250}.{Browser._count % 250 + 1}"
		self.csrf_token = None
		if user:
			response = self.request("post", "/api/method/login", data={"usr": user, "pwd": PASSWORD})
			assert response.status_code == 200, response.text[-300:]

	def request(self, method, path, csrf=True, **kwargs):
		headers = {"X-Forwarded-For": self.address}
		if csrf and self.csrf_token:
			headers["X-Frappe-CSRF-Token"] = self.csrf_token
		return make_request(
			target=getattr(self.client, method), args=(path,), kwargs={"headers": headers, **kwargs}
		)

	def page(self, path):
		response = self.request("get", path)
		found = re.search(r'frappe.csrf_token = "([^"]*)"', response.text)
		if found and found.group(1) != "None":
			self.csrf_token = found.group(1)
		return response

	def post(self, path, /, csrf=True, **data):
		form = {key: value if isinstance(value, str) else json.dumps(value) for key, value in data.items()}
		return self.request("post", f"/api/method/{path}", csrf=csrf, data=form)

	def file(self, **values):
		values = {"subject": "Bent housings", "description": "Ten housings arrived bent.", **values}
		return self.post(FILE, **values)


def stored(name):
	"""The complaint as committed by the requests (a fresh read, not this connection's snapshot)."""
	frappe.db.rollback()
	return frappe.get_doc(COMPLAINT, name)


def reply(name, summary="We replace the ten housings next week."):
	"""The complaint answered by sales alone (Received -> Replied), as CS staff would."""
	frappe.db.rollback()
	doc = stored(name)
	doc.handled_by_sales_alone, doc.reply_summary = 1, summary
	doc.save(ignore_permissions=True)
	frappe.set_user(MANAGER)
	try:
		apply_workflow(frappe.get_doc(COMPLAINT, name), "Reply to Customer")
	finally:
		frappe.set_user("Administrator")
	frappe.db.commit()
	return frappe.get_doc(COMPLAINT, name)


class TestPortalComplaints(SiteTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.alpha, cls.beta = Browser(PORTAL_A), Browser(PORTAL_B)
		cls.alpha.page("/complaints/new")
		cls.beta.page("/complaints/new")

	def setUp(self):
		clear_rate_limits()

	def assertIn(self, member, container, msg=None):
		if isinstance(container, str) and member not in container:
			self.fail(msg or f"{member!r} is not in the page ({len(container)} characters)")
		super().assertIn(member, container, msg)

	def assertNotIn(self, member, container, msg=None):
		if isinstance(container, str) and member in container:
			at = container.index(member)
			self.fail(msg or f"{member!r} is in the page: …{container[max(0, at - 200) : at + 200]}…")
		super().assertNotIn(member, container, msg)

	def assertAccepted(self, response):
		self.assertEqual(response.status_code, 200, traceback_of(response))
		return response.json.get("message")

	def filed(self, browser=None, **values) -> str:
		return self.assertAccepted((browser or self.alpha).file(**values))["name"]

	# -- filing --------------------------------------------------------------------------------

	def test_a_customer_files_a_complaint_that_enters_the_procedure_at_received(self):
		page = self.alpha.page("/complaints/new")
		self.assertEqual(page.status_code, 200)
		for own in (DOCS["dn_a"], DOCS["so_a"], ITEM_A):
			self.assertIn(own, page.text)
		for foreign in (DOCS["dn_b"], DOCS["so_b"], ITEM_B):
			self.assertNotIn(foreign, page.text)  # the pickers offer the customer's own documents only
		name = self.filed(
			complaint_type="Quality",
			delivery_note=DOCS["dn_a"],
			sales_order=DOCS["so_a"],
			item_code=ITEM_A,
			qty="5",
			defect_qty="2",
			customer_request="Replacement",
			required_by=add_days(nowdate(), 10),
			attachments=[{"filename": "bent.png", "data": PNG}],
			# forged: the server sets these
			workflow_state="Closed",
			channel="Phone",
			received_on="2020-01-01 00:00:00",
			follower=MANAGER,
			reopen_count="7",
			customer_satisfied="Yes",
			docstatus="1",
		)
		self.assert_filed_as_received(name)
		self.assert_shown_to_the_customer(name)

	def assert_filed_as_received(self, name):
		"""What the portal filed: at Received, the forged fields ignored, the upload private, the CS
		managers told."""
		doc = stored(name)
		self.assertEqual(
			(doc.customer, doc.channel, doc.workflow_state, doc.docstatus, doc.follower, doc.reopen_count),
			(ALPHA, "Portal", rules.RECEIVED, 0, None, 0),
		)
		self.assertFalse(doc.customer_satisfied)
		self.assertLess(abs((doc.received_on - now_datetime()).total_seconds()), 300)
		self.assertEqual(
			(doc.delivery_note, doc.sales_order, doc.item_code), (DOCS["dn_a"], DOCS["so_a"], ITEM_A)
		)
		self.assertEqual((doc.qty, doc.defect_qty, doc.defect_rate), (5, 2, 40))
		self.assertEqual(
			doc.responsible_department,
			frappe.db.get_value("Department", {"department_name": "CS Portal Quality"}),
		)
		files = frappe.get_all("File", filters={"attached_to_doctype": COMPLAINT, "attached_to_name": name}, fields=["owner", "is_private", "file_name"])  # fmt: skip
		self.assertEqual([(f.owner, f.is_private) for f in files], [(PORTAL_A, 1)])
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{
					"reference_type": COMPLAINT,
					"reference_name": name,
					"allocated_to": MANAGER,
					"status": "Open",
				},
			),
			"the CS managers are told of the new portal complaint",
		)

	def assert_shown_to_the_customer(self, name):
		"""The customer finds the complaint in the list, its page, and downloads their own upload."""
		listing = self.alpha.page("/complaints")
		self.assertIn(name, listing.text)
		self.assertIn("Bent housings", listing.text)
		view = self.alpha.page(f"/complaints/view?name={name}")
		self.assertIn("Ten housings arrived bent.", view.text)
		self.assertIn("bent.png", view.text)
		self.assertIn('id="cs-complaint-state">Received<', view.text)
		self.assertIn('id="cs-complaint-expected"', view.text)
		download = self.alpha.request(
			"get", frappe.db.get_value("File", {"attached_to_name": name}, "file_url")
		)
		self.assertEqual(download.status_code, 200)  # the customer's own upload

	def test_b_markup_in_the_texts_is_shown_as_text(self):
		name = self.filed(
			subject="<b>bold</b> <script>alert('s')</script>",
			description='<img src=x onerror="alert(1)">\nline two',
		)
		for path in ("/complaints", f"/complaints/view?name={name}"):
			text = self.alpha.page(path).text
			self.assertNotIn("<script>alert('s')", text)
			self.assertNotIn("<img src=x", text)
			self.assertNotIn("<b>bold", text)
			self.assertIn(
				"&lt;b&gt;bold&lt;/b&gt;", text
			)  # Frappe dropped the script; the page escapes the rest
		self.assertIn("&lt;img src=x", self.alpha.page(f"/complaints/view?name={name}").text)
		self.assertNotIn("<img", stored(name).description)

	def test_c_invalid_and_foreign_input_is_refused(self):
		self.assertRefused(self.alpha.file(subject=""), "Subject")
		self.assertRefused(self.alpha.file(description="  "), "Description")
		self.assertRefused(self.alpha.file(subject="x" * 200), "too long")
		self.assertRefused(self.alpha.file(complaint_type="Bribery"), "not a valid choice")
		self.assertRefused(self.alpha.file(qty="-3"), "positive number")
		self.assertRefused(self.alpha.file(required_by="2001-01-01"), "in the past")
		self.assertRefused(self.alpha.file(attachments=[{"filename": "run.exe", "data": PNG}]), "PDF")
		self.assertRefused(
			self.alpha.file(attachments=[{"filename": "a.png", "data": "not base64!"}]), "could not be read"
		)
		clear_rate_limits()  # ten posts an hour from one address
		self.assertRefused(self.alpha.file(customer=BETA), "your own company", status=403)
		self.assertRefused(
			self.alpha.file(delivery_note=DOCS["dn_b"]), "not one of your documents", status=403
		)
		self.assertRefused(self.alpha.file(sales_order=DOCS["so_b"]), "not one of your documents", status=403)
		self.assertRefused(self.alpha.file(item_code=ITEM_B), "not among the items", status=403)
		self.assertEqual(frappe.db.count(COMPLAINT, {"customer": BETA}), 0)

	def test_d_guests_and_desk_users_are_refused(self):
		guest = Browser()
		self.assertEqual(guest.request("get", "/complaints").status_code, 302)
		self.assertRefused(guest.file(), status=403)
		staff = Browser(MANAGER)
		staff.page("/complaints/new")
		self.assertIn("Only a portal user", staff.page("/complaints").text)
		self.assertRefused(staff.file(), "Only a portal user", status=403)

	def test_e_posts_need_the_pages_csrf_token(self):
		fresh = Browser(PORTAL_A)
		self.assertRefused(fresh.file(), status=400)  # no page opened: no token in the session
		fresh.page("/complaints")
		self.assertRefused(fresh.post(FILE, csrf=False, subject="x", description="y"), status=400)
		self.assertAccepted(fresh.file())

	def test_f_posts_are_rate_limited(self):
		browser = Browser(PORTAL_A)
		browser.page("/complaints")
		for _ in range(10):
			self.assertRefused(browser.file(subject=""), "Subject")  # counted even when refused
		self.assertRefused(browser.file(), status=429)

	# -- isolation -----------------------------------------------------------------------------

	def test_g_another_customer_sees_and_touches_nothing_of_it(self):
		name = self.filed(
			subject="Alpha's secret subject", attachments=[{"filename": "alpha.png", "data": PNG}]
		)
		reply(name)
		url = frappe.db.get_value("File", {"attached_to_name": name}, "file_url")
		self.assertNotIn(name, self.beta.page("/complaints").text)
		self.assertNotIn("secret", self.beta.page("/service").text)
		view = self.beta.page(f"/complaints/view?name={name}")
		self.assertNotIn("secret", view.text)
		self.assertIn("not one of yours", view.text)
		self.assertRefused(self.beta.post(ANSWER, name=name, satisfied="Yes"), "not one of yours", status=403)
		self.assertRefused(self.beta.post(ANSWER, name=name, satisfied="No", feedback="x"), status=403)
		self.assertRefused(self.beta.post(ATTACH, name=name, filename="b.png", data=PNG), status=403)
		self.assertGreaterEqual(self.beta.request("get", url).status_code, 403)  # the file stays private
		self.assertRefused(self.beta.request("get", f"/api/resource/{COMPLAINT}/{name}"))
		self.assertRefused(
			self.beta.request("get", f'/api/resource/{COMPLAINT}?filters=[]&fields=["subject"]')
		)
		self.assertRefused(
			self.alpha.request("get", f"/api/resource/{COMPLAINT}/{name}")
		)  # no desk access at all
		doc = stored(name)
		self.assertRefused(
			self.alpha.post(
				"frappe.model.workflow.apply_workflow",
				doc=doc.as_dict(convert_dates_to_str=True),
				action="Reopen",
			)
		)
		frappe.db.rollback()
		doc = stored(name)
		self.assertEqual(
			(doc.workflow_state, doc.customer_satisfied or None, doc.reopen_count), (rules.REPLIED, None, 0)
		)
		self.assertEqual(frappe.db.count("File", {"attached_to_name": name}), 1)

	# -- following, accepting, reopening -------------------------------------------------------

	def test_h_the_customer_accepts_the_reply_once(self):
		name = self.filed()
		self.assertRefused(
			self.alpha.post(ANSWER, name=name, satisfied="Yes"), "not waiting"
		)  # not replied yet
		reply(name)
		view = self.alpha.page(f"/complaints/view?name={name}")
		self.assertIn("We replace the ten housings next week.", view.text)
		self.assertIn('id="cs-answer-form"', view.text)
		self.assertIn('id="cs-complaint-state">Answered<', view.text)
		self.assertRefused(
			self.alpha.post(ANSWER, name=name, satisfied="Perhaps"), "whether the reply satisfies"
		)
		self.assertAccepted(self.alpha.post(ANSWER, name=name, satisfied="Yes", feedback="Fine, thanks."))
		doc = stored(name)
		self.assertEqual(
			(
				doc.workflow_state,
				doc.customer_satisfied,
				doc.customer_feedback,
				doc.customer_feedback_by,
				doc.reopen_count,
			),
			(rules.REPLIED, "Yes", "Fine, thanks.", PORTAL_A, 0),
		)
		self.assertRefused(
			self.alpha.post(ANSWER, name=name, satisfied="No", feedback="changed my mind"), "not waiting"
		)
		view = self.alpha.page(f"/complaints/view?name={name}")
		self.assertNotIn('id="cs-answer-form"', view.text)
		self.assertIn('id="cs-answer-given"', view.text)

	def test_i_a_no_with_its_reason_reopens_the_complaint_and_is_counted(self):
		name = self.filed(complaint_type="Quality")
		reply(name)
		self.assertRefused(self.alpha.post(ANSWER, name=name, satisfied="No", feedback=" "), "why the reply")
		self.assertAccepted(
			self.alpha.post(
				ANSWER, name=name, satisfied="No", feedback="<b>Still bent</b>", workflow_state="Closed"
			)
		)
		doc = stored(name)
		self.assertEqual(
			(doc.workflow_state, doc.customer_satisfied, doc.reopen_count), (rules.SHEET_ISSUED, "No", 1)
		)
		self.assertTrue(doc.countermeasure_due_by)
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": name, "content": ("like", "%does not accept the reply%")}
			)
		)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": name, "for_user": MANAGER}),
			"CS hears of the reopening",
		)
		view = self.alpha.page(f"/complaints/view?name={name}")
		self.assertIn('id="cs-complaint-state">Being Handled<', view.text)
		self.assertIn("&lt;b&gt;Still bent&lt;/b&gt;", view.text)
		self.assertRefused(
			self.alpha.post(ANSWER, name=name, satisfied="No", feedback="again"), "not waiting"
		)

		from cs_procedures.cs_procedures.report.complaint_statistics.complaint_statistics import execute

		columns, rows, *_ = execute({"group_by": "Customer", "customer": ALPHA})
		self.assertIn("reopened", [column["fieldname"] for column in columns])
		self.assertEqual(sum(row.reopened or 0 for row in rows if row.grp == ALPHA), 1)

	def test_j_without_a_responsible_department_the_reopened_complaint_goes_back_to_routing(self):
		name = self.filed(complaint_type="Service")
		reply(name)
		self.assertAccepted(self.alpha.post(ANSWER, name=name, satisfied="No", feedback="Too late."))
		self.assertEqual(stored(name).workflow_state, rules.RECEIVED)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_name": name, "allocated_to": MANAGER, "status": "Open"})
		)

	def test_k_staff_cannot_reopen_without_the_customers_answer_and_record_a_phone_answer(self):
		name = self.filed(complaint_type="Quality")
		reply(name)
		staff = Browser(MANAGER)
		doc = stored(name)
		self.assertRefused(
			staff.post(
				"frappe.model.workflow.apply_workflow",
				doc=doc.as_dict(convert_dates_to_str=True),
				action="Reopen",
			)
		)
		self.assertRefused(
			staff.request(
				"put", f"/api/resource/{COMPLAINT}/{name}", json={"workflow_state": rules.SHEET_ISSUED}
			)
		)
		self.assertRefused(staff.request("put", f"/api/resource/{COMPLAINT}/{name}", json={"customer_satisfied": "No", "reopen_count": 3}))  # fmt: skip
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value(COMPLAINT, name, ["workflow_state", "reopen_count"]), (rules.REPLIED, 0)
		)
		doc = stored(name)
		response = staff.post(
			"run_doc_method",
			docs=doc.as_dict(convert_dates_to_str=True),
			method="record_customer_answer",
			args={"satisfied": "No", "feedback": "Said on the phone: the price is too high."},
		)
		self.assertAccepted(response)
		doc = stored(name)
		self.assertEqual(
			(doc.workflow_state, doc.customer_satisfied, doc.customer_feedback_by, doc.reopen_count),
			(rules.SHEET_ISSUED, "No", MANAGER, 1),
		)

	# -- the service home and the menu ---------------------------------------------------------

	def test_l_service_home_shows_surveys_only_when_shared_and_own_property(self):
		frappe.db.rollback()
		prop = frappe.get_doc(
			{
				"doctype": "Customer Property",
				"customer": ALPHA,
				"kind": "Material",
				"received_on": nowdate(),
				"description": "Alpha's <resin> drums",
				"qty": 4,
				"inspection_result": "Pending",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		try:
			home = self.alpha.page("/service")
			self.assertIn("resin", home.text)
			self.assertNotIn("<resin>", home.text)
			self.assertNotIn('id="cs-past-surveys"', home.text)
			self.assertNotIn("resin", self.beta.page("/service").text)
			FIXTURES.state.settings(share_survey_results_on_portal=1)
			frappe.db.commit()
			self.assertIn("Your Past Surveys", self.alpha.page("/service").text)
		finally:
			FIXTURES.state.settings(share_survey_results_on_portal=0)
			purge("Customer Property", prop.name)

	def test_m_the_portal_menu_offers_the_pages_to_customers(self):
		sidebar = self.alpha.page("/complaints").text.split('class="web-sidebar"', 1)[-1]
		for route in ("/service", "/complaints", "/survey"):
			self.assertIn(f'href="{route}"', sidebar)

	def test_n_the_pages_speak_chinese(self):
		frappe.db.set_value("User", PORTAL_A, "language", "zh")
		frappe.db.commit()
		try:
			browser = Browser(PORTAL_A)
			self.assertIn("我的抱怨", browser.page("/complaints").text)
			self.assertIn("提出抱怨", browser.page("/complaints/new").text)
		finally:
			frappe.db.set_value("User", PORTAL_A, "language", None)
			frappe.db.commit()
