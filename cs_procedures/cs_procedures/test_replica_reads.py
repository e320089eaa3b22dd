"""Issue 24: the app's read paths run on a read replica, where any write fails.

No second server is needed: for the test the site's "replica" is its own database reached through a
MariaDB user that holds only SELECT on it (`read_from_replica`, `replica_host`, `replica_db_port`,
`different_credentials_for_replica` in frappe.local.conf, put back afterwards). Every function of the
app wrapped in `frappe.read_only()` is found by scanning the app's modules (the decorator's wrapper is
recognised by its code object; the count is checked against the decorators in the source), called as
the user who calls it in production, and every Script Report of the app runs through
`frappe.desk.query_report.run` (which Frappe marks read only itself): a write on any of these paths
fails with MariaDB's permission error."""

import importlib
import inspect
import os
import pkgutil
import re
from pathlib import Path

import frappe
from frappe.desk.query_report import run as run_report
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, getdate, nowdate
from pymysql.constants import ER

import cs_procedures
from cs_procedures.testing import (
	DEMO_ITEM,
	Fixtures,
	as_user,
	company,
	complaint_doc,
	end_of_request,
	make_delivery_note,
	new_survey_campaign,
)

CUSTOMER = "_CS Replica Customer"
OFFICER = "replica.officer@example.com"
MANAGER = "replica.manager@example.com"
PORTAL_USER = "replica.portal@example.com"
QUALITY = "CS Replica Quality"
READER = "_cs_replica_reader"  # the MariaDB user of the "replica": SELECT only
READER_HOSTS = ("%", "localhost", "127.0.0.1")
REPLICA_KEYS = (
	"read_from_replica",
	"replica_host",
	"replica_db_port",
	"different_credentials_for_replica",
	"replica_db_name",
	"replica_db_password",
)
READ_ONLY_CODE = frappe.read_only()(lambda: None).__code__  # every read_only wrapper shares it
DECORATOR = re.compile(r"^\s*@frappe\.read_only\(\)", re.MULTILINE)
RECORDS = {}


def prepare(fixtures):
	delivery = fixtures.record(make_delivery_note(CUSTOMER, 3))
	complaint = complaint_doc(
		CUSTOMER, "Read on the replica", "Scratched.", delivery_note=delivery.name, item_code=DEMO_ITEM
	).insert()
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": "Customer Complaint",
			"import_type": "Insert New Records",
		}
	).insert()
	campaign = new_survey_campaign([CUSTOMER], title="Replica reads")
	RECORDS.update(
		delivery=delivery.name, complaint=complaint.name, data_import=data_import.name, campaign=campaign.name
	)
	for doc in (complaint, data_import, campaign):
		fixtures.record(doc)


FIXTURES = Fixtures(
	departments=[QUALITY],
	users={OFFICER: ["CS Officer"], MANAGER: ["CS Manager"]},
	portal_users={PORTAL_USER: CUSTOMER},
	customers=[CUSTOMER],
	settings=lambda f: {
		"complaint_departments": [{"complaint_type": "Quality", "department": f.departments[QUALITY]}]
	},
	prepare=prepare,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def _context(**form):
	frappe.form_dict.clear()
	frappe.form_dict.update(form)
	return frappe._dict()


# how each read-only function is called in production: (user, arguments); a new one fails the test
# until it is added here
CALLS = {
	"cs_procedures.erpnext_doctypes.customer_360.customer_360": (OFFICER, lambda: {"customer": CUSTOMER}),
	"cs_procedures.erpnext_doctypes.customer_360.summary": (OFFICER, lambda: {"customer": CUSTOMER}),
	"cs_procedures.cs_procedures.doctype.return_request.return_request.returnable_lines": (
		OFFICER,
		lambda: {"delivery_note": RECORDS["delivery"]},
	),
	"cs_procedures.figures.print_month": (MANAGER, lambda: {"month": add_months(nowdate(), -1)}),
	"cs_procedures.history.dry_run_report": (
		"Administrator",
		lambda: {"data_import": RECORDS["data_import"]},
	),
	"cs_procedures.www.complaints.index.complaints_context": (PORTAL_USER, lambda: {"context": _context()}),
	"cs_procedures.www.complaints.new.new_complaint_context": (PORTAL_USER, lambda: {"context": _context()}),
	"cs_procedures.www.complaints.view.complaint_context": (
		PORTAL_USER,
		lambda: {"context": _context(name=RECORDS["complaint"])},
	),
	"cs_procedures.www.service.service_context": (PORTAL_USER, lambda: {"context": _context()}),
	"cs_procedures.www.survey.survey_context": (
		PORTAL_USER,
		lambda: {"context": _context(), "token": None, "name": None},
	),
}


def is_read_only(function) -> bool:
	while function is not None:
		if getattr(function, "__code__", None) is READ_ONLY_CODE:
			return True
		function = getattr(function, "__wrapped__", None)
	return False


def _skipped(name: str) -> bool:
	leaf = name.rsplit(".", 1)[-1]
	return leaf.startswith("test_") or ".benchmarks" in name or ".patches" in name


def read_only_functions() -> dict:
	"""{dotted path: function} of every module-level function of the app wrapped in frappe.read_only."""
	found = {}
	for info in pkgutil.walk_packages(cs_procedures.__path__, "cs_procedures."):
		if _skipped(info.name):
			continue
		module = importlib.import_module(info.name)
		for name, value in vars(module).items():
			if (
				callable(value)
				and is_read_only(value)
				and inspect.unwrap(value).__module__ == module.__name__
			):
				found[f"{module.__name__}.{name}"] = value
	return found


def decorators_in_source() -> int:
	root = Path(cs_procedures.__file__).parent
	files = [path for path in root.rglob("*.py") if not _skipped(".".join(path.with_suffix("").parts))]
	return sum(len(DECORATOR.findall(path.read_text())) for path in files)


def root_connection():
	from frappe.database import get_db

	password = frappe.conf.root_password or os.environ.get("CS_DB_ROOT_PASSWORD") or "root"
	return get_db(
		host=frappe.conf.db_host,
		port=frappe.conf.db_port,
		user=frappe.conf.root_login or "root",
		password=password,
	)


class TestReadsOnAReplica(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.password = frappe.generate_hash(length=24)
		root = root_connection()
		for host in READER_HOSTS:
			escaped = host.replace("%", "%%")  # the statement has a parameter
			root.sql(f"CREATE OR REPLACE USER '{READER}'@'{escaped}' IDENTIFIED BY %s", cls.password)
			root.sql(f"GRANT SELECT ON `{frappe.conf.db_name}`.* TO '{READER}'@'{host}'")
		root.close()
		cls.conf_before = {key: frappe.local.conf.get(key) for key in REPLICA_KEYS}
		frappe.local.conf.update(
			read_from_replica=1,
			replica_host=frappe.conf.db_host,
			replica_db_port=frappe.conf.db_port,
			different_credentials_for_replica=1,
			replica_db_name=READER,
			replica_db_password=cls.password,
		)

	@classmethod
	def tearDownClass(cls):
		end_of_request()
		for key, value in cls.conf_before.items():
			if value is None:
				frappe.local.conf.pop(key, None)
			else:
				frappe.local.conf[key] = value
		root = root_connection()
		for host in READER_HOSTS:
			root.sql(f"DROP USER IF EXISTS '{READER}'@'{host}'")
		root.close()
		frappe.form_dict.clear()
		super().tearDownClass()

	def setUp(self):
		end_of_request()

	def test_the_replica_is_the_reader_and_refuses_writes(self):
		"""The set-up itself: inside read_only the connection is the reader's, and a write fails."""
		whoami = frappe.read_only()(lambda: frappe.db.sql("select current_user()")[0][0])
		self.assertTrue(whoami().startswith(READER + "@"))
		end_of_request()
		write = frappe.read_only()(lambda: frappe.db.sql("update `tabToDo` set description = description"))
		with self.assertRaises(Exception) as refused:
			write()
		self.assertEqual(refused.exception.args[0], ER.TABLEACCESS_DENIED_ERROR, refused.exception)
		self.assertNotEqual(frappe.db.sql("select current_user()")[0][0].split("@")[0], READER)

	def test_every_read_only_function_reads_only(self):
		functions = read_only_functions()
		self.assertEqual(len(functions), decorators_in_source(), "a frappe.read_only() the scan missed")
		self.assertFalse(set(functions) - set(CALLS), "a read-only function without its call in CALLS")
		self.assertFalse(set(CALLS) - set(functions), "CALLS names a function that is not read only")
		for path, function in sorted(functions.items()):
			user, arguments = CALLS[path]
			with self.subTest(function=path), as_user(user):
				end_of_request()
				result = function(**arguments())
				self.assertIsNotNone(result)
				self.assertTrue(hasattr(frappe.local, "replica_db"), "the call did not read on the replica")
		frappe.form_dict.clear()

	def test_the_pages_show_the_customers_records_from_the_replica(self):
		from cs_procedures.www.complaints.index import complaints_context

		with as_user(PORTAL_USER):
			rows = complaints_context(_context()).complaints
		self.assertIn(RECORDS["complaint"], [row.name for row in rows])

	def test_every_script_report_of_the_app_reads_only(self):
		reports = frappe.get_all(
			"Report", filters={"module": "CS Procedures", "report_type": "Script Report"}, pluck="name"
		)
		self.assertIn("Complaint Statistics", reports)
		year = getdate().year
		filters = {
			"company": company(),
			"from_date": add_months(nowdate(), -12),
			"to_date": nowdate(),
			"date": nowdate(),
			"year": year,
			"salesperson": "Administrator",
			"campaign": RECORDS["campaign"],
			"month": add_months(nowdate(), -1),
		}
		for report in sorted(reports):
			with self.subTest(report=report):
				end_of_request()
				result = run_report(report, filters=dict(filters), ignore_prepared_report=True)
				self.assertIn("result", result)
				self.assertTrue(hasattr(frappe.local, "replica_db"), "the report did not read on the replica")
				if frappe.db.get_value("Report", report, "prepared_report"):
					end_of_request()  # what the desk asks first of a prepared report: its last prepared result
					self.assertTrue(run_report(report, filters=dict(filters))["prepared_report"])
