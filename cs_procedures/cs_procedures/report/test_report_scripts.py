"""Every report of the app loads in the desk: its script (with the shared filters Frappe includes into
it) renders for a user allowed to open it."""

import frappe
from frappe.desk.query_report import get_script
from frappe.tests.utils import FrappeTestCase


class TestReportScripts(FrappeTestCase):
	def test_every_report_script_renders(self):
		frappe.set_user("Administrator")
		reports = frappe.get_all("Report", filters={"module": "CS Procedures"}, pluck="name")
		self.assertIn("Complaint Statistics", reports)
		for report in reports:
			with self.subTest(report=report):
				script = get_script(report)["script"] or ""
				self.assertNotIn("{%", script)
