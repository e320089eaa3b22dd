"""Every report of the app loads in the desk: its script (with the shared filters Frappe includes into
it) renders for a user allowed to open it."""

import frappe
from frappe.desk.query_report import get_script
from frappe.tests.utils import FrappeTestCase

from cs_procedures.testing import Fixtures, HttpUser

OFFICER = "reports.officer@example.com"
AFTER_SALES = ("Return and Exchange Summary", "Repair Statistics", "After-Sales Quality Summary")
FIXTURES = Fixtures(users={OFFICER: ["CS Officer"]})
setUpModule, tearDownModule = FIXTURES.hooks()


class TestReportScripts(FrappeTestCase):
	def test_every_report_script_renders(self):
		frappe.set_user("Administrator")
		reports = frappe.get_all("Report", filters={"module": "CS Procedures"}, pluck="name")
		self.assertIn("Complaint Statistics", reports)
		for report in reports:
			with self.subTest(report=report):
				script = get_script(report)["script"] or ""
				self.assertNotIn("{%", script)

	def test_the_after_sales_reports_bring_their_period_filters(self):
		"""An officer opens each after-sales report in the desk: the shared period filters come included."""
		officer = HttpUser(OFFICER)
		for report in AFTER_SALES:
			with self.subTest(report=report):
				response = officer.post("frappe.desk.query_report.get_script", {"report_name": report})
				self.assertEqual(response.status_code, 200, response.text[-400:])
				script = response.json["message"]["script"]
				self.assertIn("cs_procedures.after_sales_period_filters = () =>", script)
				self.assertNotIn("{%", script)
