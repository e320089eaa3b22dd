"""Records shared by the site test suites (FrappeTestCase modules beside the doctypes).

Each test module sets up the state it needs whatever the site holds (another app's tests may have
run before) and puts back what it changed: `SiteState` records what a module changes.
"""

import json
from contextlib import contextmanager

import frappe
from frappe.tests.utils import FrappeTestCase


@contextmanager
def as_user(user: str):
	"""Act as `user` inside the block, and as Administrator again after it."""
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user("Administrator")


def end_of_request() -> None:
	"""What the end of a request does to the replica connection of `frappe.read_only()`: Frappe keeps the
	closed replica connection on frappe.local until the request ends, and a later read-only call of the
	same request stays on the primary. Tests and benchmarks call many read paths in one process: each
	starts as a request of its own."""
	for attribute in ("replica_db", "primary_db"):
		if hasattr(frappe.local, attribute):
			delattr(frappe.local, attribute)


TEST_OUTGOING_ACCOUNT = "_CS Test Outgoing"


class SiteState:
	"""What a test module changes in the site's settings, to put back in tearDownModule."""

	def __init__(self):
		self._undo = []

	def settings(self, **values) -> None:
		"""Set CS Settings values (tables as lists of dicts); the first call keeps the original."""
		if not any(kind == "settings" for kind, _ in self._undo):
			self._undo.append(("settings", _settings_snapshot()))
		doc = frappe.get_single("CS Settings")
		doc.update(values)
		doc.save()
		frappe.clear_document_cache("CS Settings", "CS Settings")

	def outgoing_email(self, enabled: bool) -> None:
		"""Make the site able to send e-mail (a test account, never contacted), or not at all."""
		self._undo.append(("email", _email_snapshot()))
		if enabled and not frappe.db.exists("Email Account", TEST_OUTGOING_ACCOUNT):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": TEST_OUTGOING_ACCOUNT,
					"email_id": "cs-outgoing@cs-test.example",
					"enable_outgoing": 0,
					"smtp_server": "localhost",
					"no_smtp_authentication": 1,
				}
			).insert()
		frappe.db.set_value("Email Account", {"default_outgoing": 1}, "default_outgoing", 0)
		if enabled:
			frappe.db.set_value(
				"Email Account", TEST_OUTGOING_ACCOUNT, {"enable_outgoing": 1, "default_outgoing": 1}
			)
		_forget_email_accounts()

	def restore(self, commit: bool = True) -> None:
		frappe.set_user("Administrator")
		for kind, saved in reversed(self._undo):
			if kind == "settings":
				doc = frappe.get_single("CS Settings")
				doc.update(saved)
				doc.save()
				frappe.clear_document_cache("CS Settings", "CS Settings")
			elif kind == "email":
				for name in frappe.get_all("Email Account", pluck="name"):
					# an account the test made is left switched off, as the site had none such
					values = saved.get(name, {"enable_outgoing": 0, "default_outgoing": 0})
					frappe.db.set_value("Email Account", name, values)
				_forget_email_accounts()
		self._undo = []
		if commit:
			frappe.db.commit()


# the users `ensure_user` made in this process, removed by the tear-down of the module that made them
USERS_MADE: list[str] = []


def remove_users(users: list[str]) -> None:
	"""Delete test users (Frappe refuses a 61st new user within an hour: a suite that left ~100 users
	behind would make the next suite on the site, ERPNext's own, fail to create its users)."""
	for user in users:
		frappe.delete_doc("User", user, force=True, ignore_permissions=True, ignore_missing=True)
	frappe.db.commit()


def emails(prefix: str, *names: str, domain: str = "example.com") -> tuple[str, ...]:
	"""The test users' e-mail addresses `<prefix>.<name>@<domain>` (`<name>@<domain>` without a prefix),
	in the order of `names`: `MANAGER, OFFICER = emails("rr", "manager", "officer")`."""
	return tuple(f"{prefix}.{name}@{domain}" if prefix else f"{name}@{domain}" for name in names)


# one password for every test user: they exist on test sites only, and an HTTP test logs in with it
PASSWORD = "CS-Site-Test-2026!"


def sweep_settings(vice_president: str, quality: str):
	"""The CS Settings of a test of the overdue sweep, for `Fixtures(settings=...)`: working hours 08:00 to
	17:30 without holidays, the sheet due two working hours after a complaint comes in, escalation to
	`vice_president` two working hours after a breach, Quality complaints to the department `quality`."""
	return lambda f: {
		"work_start_time": "08:00:00",
		"work_end_time": "17:30:00",
		"holiday_list": None,
		"sheet_issue_hours": 2,
		"escalate_after_hours": 2,
		"vice_president": vice_president,
		"complaint_departments": [{"complaint_type": "Quality", "department": f.departments[quality]}],
	}


class Fixtures:
	"""What a test module needs in the site, declared once.

	`setUpModule, tearDownModule = FIXTURES.hooks()`: the set-up makes the departments, users (with
	`PASSWORD`), customers and stock items that are missing, sets the CS Settings and runs `prepare`;
	it commits, as HTTP tests run on their own connections. The tear-down removes what the module
	recorded in `created` ((doctype, name), newest first) after running `clean_up`, and puts the
	settings back.

	users: {email: roles} or {email: (roles, department name)} or {email: dict of `ensure_user` args}.
	settings: CS Settings values, or a function of the fixtures returning them (to name departments).
	"""

	def __init__(
		self,
		users: dict | None = None,
		customers=(),
		departments=(),
		items=(),
		settings=None,
		prepare=None,
		clean_up=None,
		portal_users: dict | None = None,
	):
		self.users = users or {}
		self.portal_users = portal_users or {}  # {email: customer}: a Website User of the customer
		self.customers = customers
		self.department_names = departments
		self.items = items
		self.settings = settings
		self.prepare = prepare
		self.clean_up = clean_up
		self.state = SiteState()
		self.users_before = len(USERS_MADE)
		self.created: list[tuple[str, str]] = []
		self.departments: dict[str, str] = {}  # department name -> Department record
		self.shared: dict = {}  # what `prepare` made for the module's tests

	def hooks(self):
		return self.set_up, self.tear_down

	def set_up(self) -> None:
		frappe.set_user("Administrator")
		self.users_before = len(USERS_MADE)
		for name in self.department_names:
			self.departments[name] = ensure_department(name)
		for email, spec in self.users.items():
			ensure_user(email, **self._user_args(spec))
		for email in self.portal_users:
			ensure_user(email, ["Customer"], user_type="Website User", password=PASSWORD)
		for customer in self.customers:
			users = [email for email, of in self.portal_users.items() if of == customer]
			ensure_customer(customer, user=users[0] if users else None)
		for item in self.items:
			ensure_stock_item(item)
		if self.settings:
			values = self.settings(self) if callable(self.settings) else self.settings
			self.state.settings(**values)
		if self.prepare:
			try:
				self.prepare(self)
			except Exception:
				frappe.db.commit()  # what was made before the failure is recorded: take it away
				self.tear_down()
				raise
		frappe.db.commit()

	def _user_args(self, spec) -> dict:
		if isinstance(spec, dict):
			args = dict(spec)
		elif isinstance(spec, tuple):
			roles, department = spec
			args = {"roles": roles, "department": department}
		else:
			args = {"roles": spec}
		if args.get("department") in self.departments:
			args["department"] = self.departments[args["department"]]
		args.setdefault("password", PASSWORD)
		return args

	def record(self, doc_or_doctype, name: str | None = None):
		"""Remember a committed record for the tear-down; returns the document (or the name)."""
		if name is None:
			self.created.append((doc_or_doctype.doctype, doc_or_doctype.name))
		else:
			self.created.append((doc_or_doctype, name))
		return doc_or_doctype if name is None else name

	def tear_down(self) -> None:
		frappe.set_user("Administrator")
		frappe.db.rollback()  # what a failed test left uncommitted
		if self.clean_up:
			self.clean_up(self)  # before the records go: it may read them
			frappe.db.commit()
		remove_committed(self.created)
		self.state.restore()
		remove_users(USERS_MADE[self.users_before :])
		del USERS_MADE[self.users_before :]


def routing_to(complaint_type: str, department: str) -> list[dict]:
	"""The site's complaint routing (CS Settings) with `complaint_type` sent to `department`."""
	routing = [
		row.as_dict()
		for row in frappe.get_single("CS Settings").complaint_departments
		if row.complaint_type != complaint_type
	]
	return [*routing, {"complaint_type": complaint_type, "department": department}]


def survey_settings(quality: str):
	"""Fixtures settings of the survey modules: quality complaints to the module's `quality` department,
	reminders on days 7 and 14, no automatic campaigns, and returns made without a return request (the
	survey counts them)."""
	return lambda fixtures: {
		"complaint_departments": routing_to("Quality", fixtures.departments[quality]),
		"survey_reminder_days": "7,14",
		"survey_schedules": [],
		"returns_need_approval": 0,
	}


def _settings_snapshot() -> dict:
	doc = frappe.get_single("CS Settings")
	snapshot = {}
	for df in doc.meta.fields:
		if df.fieldtype in frappe.model.table_fields:
			snapshot[df.fieldname] = [
				{field.fieldname: row.get(field.fieldname) for field in row.meta.fields}
				for row in doc.get(df.fieldname)
			]
		elif df.fieldtype not in frappe.model.no_value_fields:
			snapshot[df.fieldname] = doc.get(df.fieldname)
	return snapshot


def _email_snapshot() -> dict:
	return {
		row.name: {"enable_outgoing": row.enable_outgoing, "default_outgoing": row.default_outgoing}
		for row in frappe.get_all("Email Account", fields=["name", "enable_outgoing", "default_outgoing"])
	}


def _forget_email_accounts() -> None:
	for cache in ("outgoing_email_account", "incoming_email_account"):
		if hasattr(frappe.local, cache):
			delattr(frappe.local, cache)


def purge(doctype: str, name: str) -> None:
	"""Remove a test record whatever its state (the app refuses to delete evidence, rightly)."""
	for linked in ("ToDo", "Comment", "Notification Log", "Version", "DocShare"):
		field = {"Notification Log": "document_name", "Version": "docname", "DocShare": "share_name"}.get(
			linked, "reference_name"
		)
		frappe.db.delete(linked, {field: name})
	delete_rows(doctype, [name])
	frappe.db.commit()


def delete_rows(doctype: str, names: list[str]) -> None:
	"""Delete records and their rows straight from the tables (a complaint leaves the statistics summed per
	month first, as stored with its rows)."""
	from cs_procedures import complaint_summary

	def delete():
		for table in frappe.get_meta(doctype).get_table_fields():
			frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names or [""])})
		frappe.db.delete(doctype, {"name": ("in", names or [""])})

	if doctype == "Customer Complaint":
		complaint_summary.delete_in_sql(names, delete)
	else:
		delete()


def company() -> str:
	return frappe.defaults.get_defaults().get("company") or frappe.get_all("Company", pluck="name")[0]


def ensure_department(name: str) -> str:
	existing = frappe.db.get_value("Department", {"department_name": name, "company": company()})
	if existing:
		return existing
	return (
		frappe.get_doc({"doctype": "Department", "department_name": name, "company": company()}).insert().name
	)


def ensure_user(
	email: str,
	roles,
	department: str | None = None,
	user_type: str = "System User",
	password: str | None = None,
) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": user_type,
			}
		)
		# Frappe refuses more than 60 new users an hour on a site (a guard against sign-up floods);
		# a site where other suites just ran (ERPNext's make dozens) would refuse these test users
		limit = frappe.local.conf.get("throttle_user_limit")
		frappe.local.conf["throttle_user_limit"] = 10**6
		try:
			user.insert()
			USERS_MADE.append(email)
		finally:
			if limit is None:
				frappe.local.conf.pop("throttle_user_limit", None)
			else:
				frappe.local.conf["throttle_user_limit"] = limit
	frappe.get_doc("User", email).add_roles(*roles)  # adds only the missing ones
	if password:
		from frappe.utils.password import update_password

		update_password(email, password)
	if department:
		_place_employee(email, department)
	return email


def _place_employee(email: str, department: str) -> None:
	"""The user's employee record, active in `department` (what department heads are found by)."""
	employee = frappe.db.get_value("Employee", {"user_id": email}, ["name", "department"], as_dict=True)
	if employee and (employee.department != department):
		frappe.db.set_value(  # another company may have become the default since it was made
			"Employee",
			employee.name,
			{
				"department": department,
				"company": frappe.db.get_value("Department", department, "company"),
				"status": "Active",
			},
		)
	elif not employee:
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": email.split("@")[0],
				"gender": "Male",
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"company": company(),
				"department": department,
				"user_id": email,
				"status": "Active",
			}
		).insert()


def ensure_customer(name: str, email: str | None = None, user: str | None = None) -> str:
	"""A customer, with a contact (e-mail, portal user) when asked for."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Company"}).insert()
	if user and not frappe.db.exists("Portal User", {"parent": name, "user": user}):
		customer = frappe.get_doc("Customer", name)
		customer.append("portal_users", {"user": user})
		customer.save()
	if email and not frappe.db.exists("Contact Email", {"email_id": email}):
		contact = frappe.get_doc({"doctype": "Contact", "first_name": name})
		contact.add_email(email, is_primary=True)
		contact.append("links", {"link_doctype": "Customer", "link_name": name})
		contact.insert()
	return name


DEMO_ITEM = "_CS Test Dryer"


def make_delivery_note(customer: str, qty: float):
	"""A submitted Delivery Note, the goods first received into stock (no site setting is changed)."""
	return _submitted_sale("Delivery Note", customer, qty)


def receive_stock(qty: float) -> str:
	"""`qty` of the demo item received into a leaf warehouse (returned), to sell from."""
	ensure_stock_item(DEMO_ITEM)
	frappe.db.set_value("Item", DEMO_ITEM, "valuation_rate", 80)
	warehouse = leaf_warehouse()
	frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company(),
			"items": [{"item_code": DEMO_ITEM, "qty": qty, "t_warehouse": warehouse, "basic_rate": 80}],
		}
	).submit()
	return warehouse


def make_stock_invoice(customer: str, qty: float):
	"""A submitted Sales Invoice that delivers the goods itself (update stock), the goods first received."""
	return _submitted_sale("Sales Invoice", customer, qty, update_stock=1)


def _submitted_sale(doctype: str, customer: str, qty: float, **values):
	"""A submitted sales document of `doctype` selling `qty` of the demo item at 100, received first."""
	warehouse = receive_stock(qty)
	return frappe.get_doc(
		{
			"doctype": doctype,
			"company": company(),
			"customer": customer,
			**values,
			"items": [{"item_code": DEMO_ITEM, "qty": qty, "rate": 100, "warehouse": warehouse}],
		}
	).submit()


def remove_committed(records: list) -> None:
	"""Take away what a module committed, (doctype, name) in `records`, newest first: sales and delivery
	documents are cancelled (their ledger entries reversed), the rest purged. Commits."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	for doctype, name in reversed(records):
		if doctype in ("Delivery Note", "Sales Invoice"):
			doc = frappe.get_doc(doctype, name)
			if doc.docstatus == 1:
				doc.cancel()
			continue
		purge(doctype, name)
	records.clear()
	frappe.db.commit()


def remove_complaints_and_deliveries(customers) -> None:
	"""The complaints and delivery notes (returns first, cancelled) an interrupted run left for `customers`:
	a survey would count them again."""
	for name in frappe.get_all("Customer Complaint", filters={"customer": ("in", customers)}, pluck="name"):
		frappe.delete_doc("Customer Complaint", name, force=True, ignore_permissions=True)
	for name in frappe.get_all(
		"Delivery Note", filters={"customer": ("in", customers)}, pluck="name", order_by="is_return desc"
	):
		note = frappe.get_doc("Delivery Note", name)
		if note.docstatus == 1:
			note.cancel()
		frappe.delete_doc("Delivery Note", name, force=True, ignore_permissions=True)


def ensure_sales_person(name: str) -> str:
	"""A sales person (ERPNext's service person on a Maintenance Visit)."""
	if not frappe.db.exists("Sales Person", name):
		root = frappe.db.get_value("Sales Person", {"is_group": 1}, "name", order_by="lft")
		frappe.get_doc(
			{"doctype": "Sales Person", "sales_person_name": name, "parent_sales_person": root}
		).insert()
	return name


def sales_order_doc(customer: str, qty: float, rate: float, item_code: str = DEMO_ITEM, **values):
	"""A new (unsaved) Sales Order of the default company: `qty` of `item_code` at `rate`, due in 30 days."""
	from frappe.utils import add_days, getdate

	due = add_days(getdate(), 30)
	return frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": company(),
			"customer": customer,
			"delivery_date": due,
			**values,
			"items": [{"item_code": item_code, "qty": qty, "rate": rate, "delivery_date": due}],
		}
	)


def complaint_doc(customer: str, subject: str, description: str, complaint_type: str = "Quality", **values):
	"""A new (unsaved) Customer Complaint of `customer` received by phone now; `values` add or override
	fields (`received_on`, `follower`, ...)."""
	from frappe.utils import now_datetime

	return frappe.get_doc(
		{
			"doctype": "Customer Complaint",
			"customer": customer,
			"channel": "Phone",
			"received_on": now_datetime().replace(microsecond=0),
			"complaint_type": complaint_type,
			"subject": subject,
			"description": description,
			**values,
		}
	)


def make_return(delivery_note: str, qty: float):
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	returned = make_sales_return(delivery_note)
	returned.items[0].qty = -qty
	return returned.submit()


class HttpUser:
	"""A user acting over HTTP, as the desk and the portal do: logged in with a cookie, each request
	served by Frappe's WSGI application on its own connection (commit what it must see)."""

	def __init__(self, user: str | None = None, password: str | None = None):
		import frappe.app
		from werkzeug.test import Client

		self.user = user or "Guest"
		self.client = Client(frappe.app.application)
		if user:
			response = self.post("login", {"usr": user, "pwd": password or PASSWORD})
			assert response.status_code == 200, response.text[-300:]

	def _call(self, verb, path, **kwargs):
		from frappe.tests.test_api import make_request

		return make_request(target=getattr(self.client, verb), args=(path,), kwargs=kwargs)

	def post(self, method: str, data: dict):
		"""POST /api/method/<method> with form data (JSON-encoded where not a string)."""
		form = {
			key: value if isinstance(value, str) else frappe.as_json(value) for key, value in data.items()
		}
		return self._call("post", f"/api/method/{method}", data=form)

	def post_json(self, method: str, data: dict):
		"""POST /api/method/<method> with a JSON body: arguments keep their JSON types (lists, numbers)."""
		return self._call("post", f"/api/method/{method}", json=data)

	def put(self, doctype: str, name: str, values: dict):
		return self._call("put", f"/api/resource/{quote(doctype)}/{quote(name)}", json=values)

	def delete(self, doctype: str, name: str):
		return self._call("delete", f"/api/resource/{quote(doctype)}/{quote(name)}")

	def get(self, path: str):
		return self._call("get", path)

	def run_doc_method(self, doc, method: str, args: dict | None = None, **changes):
		"""The desk's `frm.call(method)`: the document as the client holds it (with `changes`) is sent."""
		client_copy = doc.as_dict(convert_dates_to_str=True)
		client_copy.update(changes)
		return self.post("run_doc_method", {"docs": client_copy, "method": method, "args": args or {}})

	def apply_workflow(self, doc, action: str):
		return self.post(
			"frappe.model.workflow.apply_workflow",
			{"doc": doc.as_dict(convert_dates_to_str=True), "action": action},
		)


def message_of(response) -> str:
	"""What the user is told: the exception and the messages of an error response, or the page."""
	try:
		body = response.json
	except Exception:
		return response.text
	if not isinstance(body, dict):
		return response.text
	parts = [str(body.get("exception") or "")]
	for message in json.loads(body.get("_server_messages") or "[]"):
		try:
			parts.append(str(json.loads(message).get("message")))
		except (ValueError, AttributeError):
			parts.append(str(message))
	return "\n".join(parts)


def traceback_of(response) -> str:
	"""The server's traceback of an error response, to show when a test fails."""
	try:
		return json.loads(response.json.get("exc") or "[]")[0][-1500:]
	except Exception:
		return response.text[-1500:]


class SiteTestCase(FrappeTestCase):
	"""A site test: each user's HTTP session made once for the class (`as_http`)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.http = {}

	def as_http(self, user: str) -> HttpUser:
		if user not in self.http:
			self.http[user] = HttpUser(user)
		return self.http[user]

	# after a refused request, roll back to see what the requests' own connections committed
	refused_rolls_back = False

	def assertRefused(self, response, *fragments: str, status=None):  # noqa: N802 - unittest's naming
		"""The request was refused: a 4xx status, or `status` (the one expected, or a tuple of the allowed
		ones), and a message holding each of `fragments`."""
		message = message_of(response)
		if status:
			allowed = (status,) if isinstance(status, int) else tuple(status)
			self.assertIn(response.status_code, allowed, traceback_of(response))
		else:
			self.assertTrue(
				400 <= response.status_code < 500, f"{response.status_code}: {traceback_of(response)}"
			)
		for fragment in fragments:
			self.assertIn(fragment, message)
		if self.refused_rolls_back:
			frappe.db.rollback()


def run_report(report, user: str, filters: dict):
	"""A script report's whole result (columns, rows, message, chart ...) as `user` sees it."""
	with as_user(user):
		return report.execute(filters)


def assert_inert(test, rows, chart) -> None:
	"""No report cell and no chart label can open a tag: customer text leaves the report escaped (a
	Link cell holds a document name, which cannot hold "<")."""
	for row in rows:
		for field, value in row.items() if isinstance(row, dict) else enumerate(row):
			if isinstance(value, str):
				test.assertNotIn("<", value, field)
	for label in (chart or {}).get("data", {}).get("labels", []):
		test.assertNotIn("<", label)


def quote(text: str) -> str:
	from urllib.parse import quote as url_quote

	return url_quote(text, safe="")


def new_survey_campaign(customers, title: str = "Test campaign", **values):
	"""A draft campaign asking `customers` about the last half year, answers due in two weeks."""
	from frappe.utils import add_days, getdate

	from cs_procedures.install import DEFAULT_SURVEY

	today = getdate()
	return frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Campaign",
			"title": title,
			"template": DEFAULT_SURVEY["template_name"],
			"period_start": add_days(today, -180),
			"period_end": today,
			"send_date": today,
			"reply_by": add_days(today, 14),
			"audience": "Selected Customers",
			"customers": [row if isinstance(row, dict) else {"customer": row} for row in customers],
			**values,
		}
	).insert()


def browser_survey() -> dict:
	"""A fresh survey link for the browser test (`bench --site S execute cs_procedures.testing.browser_survey`)."""
	from frappe.utils import add_days, get_datetime, getdate

	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.invitations import first_response
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.satisfaction_survey_campaign import (
		survey_link,
	)
	from cs_procedures.install import DEFAULT_SURVEY, create_default_survey_template

	frappe.only_for("System Manager")
	create_default_survey_template()
	customer = ensure_customer("_CS Browser Test Customer")
	campaign = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Campaign",
			"title": "Browser test",
			"template": DEFAULT_SURVEY["template_name"],
			"period_start": add_days(getdate(), -30),
			"period_end": getdate(),
			"reply_by": add_days(getdate(), 7),
			"audience": "Selected Customers",
			"customers": [{"customer": customer}],
		}
	).insert()
	campaign.db_set({"status": "Sent", "invited_customers": 1})
	response = first_response(campaign, (customer, None, None), get_datetime(f"{campaign.reply_by} 23:59:59"))
	frappe.db.commit()
	return {"response": response.name, "url": survey_link(response)}


def ensure_stock_item(item_code: str, uom: str = "Nos") -> str:
	"""A stock item without ERPNext's test records."""
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_group": "All Item Groups",
				"stock_uom": uom,
				"is_stock_item": 1,
			}
		).insert()
	return item_code


def leaf_warehouse() -> str:
	"""A warehouse (not a group) of the default company."""
	return frappe.db.get_value("Warehouse", {"company": company(), "is_group": 0}, "name")


BROWSER_COMPLAINT_CUSTOMER = "_CS Browser Complaint Customer"
BROWSER_COMPLAINT_USER = "browser.complaints@cs-portal.example"
BROWSER_OTHER_CUSTOMER = "_CS Browser Other Customer"
BROWSER_OTHER_USER = "browser.other@cs-portal.example"


def browser_complaint() -> dict:
	"""A portal user with a fresh password and one complaint already replied to, and the portal user
	of another customer (who must see none of it), for the browser test of the complaint portal
	(`bench --site S execute cs_procedures.testing.browser_complaint`). The complaints an earlier
	run left for the test customer are removed first."""
	from frappe.model.workflow import apply_workflow

	frappe.only_for("System Manager")
	password = frappe.generate_hash(length=16) + "-Aa1"
	ensure_user(BROWSER_COMPLAINT_USER, ["Customer"], user_type="Website User", password=password)
	customer = ensure_customer(BROWSER_COMPLAINT_CUSTOMER, user=BROWSER_COMPLAINT_USER)
	other_password = frappe.generate_hash(length=16) + "-Aa1"
	ensure_user(BROWSER_OTHER_USER, ["Customer"], user_type="Website User", password=other_password)
	ensure_customer(BROWSER_OTHER_CUSTOMER, user=BROWSER_OTHER_USER)
	for name in frappe.get_all("Customer Complaint", filters={"customer": customer}, pluck="name"):
		for file in frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Customer Complaint", "attached_to_name": name},
			pluck="name",
		):
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)
		purge("Customer Complaint", name)
	settings = frappe.get_single("CS Settings")
	allowed = settings.allow_sales_only_handling
	settings.db_set("allow_sales_only_handling", 1)  # the reply below needs no complaint sheet
	try:
		complaint = complaint_doc(
			customer,
			"Late delivery of the last order",
			"The goods arrived three days late.",
			"Service",
			handled_by_sales_alone=1,
			reply_summary="The carrier was late; we changed carriers for your route.",
		).insert()
		frappe.clear_document_cache("CS Settings", "CS Settings")
		apply_workflow(complaint, "Reply to Customer")
	finally:
		settings.db_set("allow_sales_only_handling", allowed)
		frappe.clear_document_cache("CS Settings", "CS Settings")
	frappe.db.commit()
	return {
		"user": BROWSER_COMPLAINT_USER,
		"password": password,
		"replied": complaint.name,
		"other_user": BROWSER_OTHER_USER,
		"other_password": other_password,
	}


# --- records made from the metadata alone (the hostile-request matrix) -------------------------


def sample_record(doctype: str, customer: str | None = None, owner: str = "Administrator", created=None):
	"""A stored record of `doctype` built from its metadata alone: every mandatory field and a text
	field, and one row in each table, with values of their types (links to existing records; a link
	to another of the app's doctypes gets a sample record of its own). Inserted as it stands, without
	the procedure's checks: a test that needs it in a state puts it there (`set_stored_state`).
	Appends (doctype, name) to `created`."""
	meta = frappe.get_meta(doctype)
	doc = frappe.new_doc(doctype)
	if (
		meta.autoname or ""
	) == "field:customer":  # one record per customer (Customer File): a customer of its own
		customer = ensure_customer(f"{customer or '_CS Sample'} {frappe.generate_hash(length=6)}")
		if created is not None:
			created.append(("Customer", customer))
	_fill(doc, meta, customer, owner, created)
	for table in meta.get_table_fields():
		_fill(doc.append(table.fieldname, {}), frappe.get_meta(table.options), customer, owner, created)
	doc.flags.update(ignore_permissions=True, ignore_mandatory=True, ignore_links=True, ignore_validate=True)
	doc.insert()
	frappe.db.set_value(doctype, doc.name, "owner", owner, update_modified=False)
	if created is not None:
		created.append((doctype, doc.name))
	return frappe.get_doc(doctype, doc.name)


def _fill(doc, meta, customer, owner, created) -> None:
	text_done = False
	for df in meta.fields:
		if df.fieldtype in frappe.model.no_value_fields or df.fieldtype in frappe.model.table_fields:
			continue
		if df.fieldname == "naming_series" or df.read_only or doc.get(df.fieldname):
			continue
		plain_text = df.fieldtype in ("Small Text", "Text", "Data") and not df.options
		if df.reqd or (plain_text and not text_done):
			value = _sample_value(df, customer, owner, created)
			if value is not None:
				doc.set(df.fieldname, value)
				text_done = text_done or plain_text


def _sample_value(df, customer, owner, created):
	from frappe.utils import now_datetime, today

	fieldtype = df.fieldtype
	if fieldtype == "Link":
		if df.options == "Customer" and customer:
			return customer
		if df.options == "User":
			return owner
		target = frappe.get_meta(df.options)
		if target.module == "CS Procedures" and not target.issingle and not target.istable:
			return sample_record(df.options, customer, owner, created).name
		filters = {"docstatus": ("<", 2)} if target.is_submittable else {}
		if target.has_field("is_group"):
			filters["is_group"] = 0
		return frappe.db.get_value(df.options, filters, "name", order_by="creation desc")
	if fieldtype == "Select":
		return next((o for o in (df.options or "").split("\n") if o), None)
	if fieldtype == "Date":
		return today()
	if fieldtype == "Datetime":
		return now_datetime().replace(microsecond=0)
	if fieldtype == "Time":
		return "09:00:00"
	if fieldtype in ("Int", "Float", "Currency", "Percent"):
		return 1
	if fieldtype in ("Data", "Small Text", "Text", "Text Editor", "Long Text"):
		return f"sample {df.fieldname} {frappe.generate_hash(length=6)}"  # unique: some name the record
	return None


def set_stored_state(doc, state: str | None, docstatus: int | None = None) -> None:
	"""Put a stored record (and its rows) in a workflow state, and the document status of that state,
	directly in the database."""
	from frappe.utils import cint

	from cs_procedures import guards

	values = {}
	workflow = guards.workflow_of(doc.doctype)
	if state and workflow:
		row = next(s for s in workflow.states if s.state == state)
		values[workflow.workflow_state_field] = state
		docstatus = cint(row.doc_status) if docstatus is None else docstatus
		status = doc.meta.get_field("status")
		if status and status.fieldtype == "Select" and state in (status.options or "").split("\n"):
			values["status"] = state
	if docstatus is not None:
		values["docstatus"] = docstatus
		for table in doc.meta.get_table_fields():
			frappe.db.set_value(
				table.options,
				{"parent": doc.name, "parenttype": doc.doctype},
				"docstatus",
				docstatus,
				update_modified=False,
			)
	if values:
		frappe.db.set_value(doc.doctype, doc.name, values, update_modified=False)
	if doc.doctype == "Customer Complaint":  # planted past its controller: its month is summed again
		from cs_procedures import complaint_summary

		complaint_summary.resum([frappe.db.get_value(doc.doctype, doc.name, "received_on")])
