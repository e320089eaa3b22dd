"""ERPNext Issues made Customer Complaints in the background (issue 21): 200 Issues with their e-mails,
comments and attachments; open ones live, resolved ones closed history; links both ways."""

import frappe
from frappe.utils import add_days

from cs_procedures.erpnext_doctypes import issues
from cs_procedures.testing import Fixtures, SiteTestCase, as_user, delete_rows, message_of

CONVERTER, OFFICER = "issues.converter@example.com", "issues.officer@example.com"
CUSTOMER = "_CS Issue Customer"
COMPLAINT = "Customer Complaint"
SUBJECT = "Issue to convert"


def clean_up(fixtures):
	issues_made = frappe.get_all("Issue", filters={"customer": CUSTOMER}, pluck="name")
	complaints = frappe.get_all(COMPLAINT, filters={"customer": CUSTOMER}, pluck="name")
	for doctype, names in (("Issue", issues_made), (COMPLAINT, complaints)):
		if not names:
			continue
		for linked in ("Comment", "File"):
			field = "reference" if linked == "Comment" else "attached_to"
			frappe.db.delete(linked, {f"{field}_doctype": doctype, f"{field}_name": ("in", names)})
		frappe.db.delete("Communication", {"reference_doctype": doctype, "reference_name": ("in", names)})
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
		delete_rows(doctype, names)
	frappe.db.commit()


FIXTURES = Fixtures(
	users={CONVERTER: ["System Manager", "Support Team"], OFFICER: ["CS Officer", "Support Team"]},
	customers=(CUSTOMER,),
	prepare=clean_up,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def make_issues(count: int) -> list[str]:
	names = []
	for number in range(count):
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"{SUBJECT} {number}",
				"customer": CUSTOMER,
				"raised_by": "buyer@cs-issue.example",
				"description": f"<p>The dryer {number} stopped</p>",
				"opening_date": add_days("2025-01-01", number),
				"opening_time": "10:30:00",
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"subject": issue.subject,
				"content": f"Mail {number}",
				"sender": "buyer@cs-issue.example",
				"reference_doctype": "Issue",
				"reference_name": issue.name,
			}
		).insert(ignore_permissions=True)
		issue.add_comment("Comment", f"Called back {number}")
		if number % 2:  # resolved
			issue.db_set(
				{"status": "Closed", "resolution_date": f"{add_days('2025-01-01', number + 3)} 16:00:00"}
			)
		names.append(issue.name)
	frappe.db.commit()
	return names


class TestIssueConversion(SiteTestCase):
	def test_two_hundred_issues_become_complaints_with_their_timeline(self):
		names = make_issues(200)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "photo.txt",
				"content": "a photo",
				"attached_to_doctype": "Issue",
				"attached_to_name": names[0],
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		with as_user(CONVERTER):
			result = issues.convert_issues(customer=CUSTOMER, complaint_type="Quality")
		self.assertEqual(result, {"count": 200})
		linked = dict(
			frappe.get_all(
				"Issue",
				filters={"name": ("in", names)},
				fields=["name", "cs_customer_complaint"],
				as_list=True,
			)
		)
		self.assertTrue(all(linked.values()), "every Issue links its complaint")
		complaints = frappe.get_all(
			COMPLAINT,
			filters={"issue": ("in", names)},
			fields=[
				"name",
				"issue",
				"workflow_state",
				"docstatus",
				"imported_from",
				"received_on",
				"closed_on",
				"complaint_type",
			],
		)
		self.assertEqual(len(complaints), 200)
		for complaint in complaints:
			self.assertEqual(linked[complaint.issue], complaint.name)
			self.assert_converted(complaint)
		first = linked[names[0]]
		self.assertTrue(
			frappe.db.exists(
				"File", {"attached_to_doctype": COMPLAINT, "attached_to_name": first, "is_private": 1}
			)
		)
		self.assertTrue(frappe.db.exists("File", file.name), "the Issue keeps its attachment")
		statuses = [frappe.db.get_value("Issue", name, "status") for name in names[:4]]
		self.assertEqual(statuses, ["Open", "Closed", "Open", "Closed"], "the Issues are left as they were")

	def assert_converted(self, complaint):
		"""An open Issue is a live complaint, a closed one closed history; its e-mail and comment come."""
		number = int(frappe.db.get_value("Issue", complaint.issue, "subject").rsplit(" ", 1)[1])
		self.assertEqual(str(complaint.received_on), f"{add_days('2025-01-01', number)} 10:30:00")
		self.assertEqual(complaint.complaint_type, "Quality")
		if number % 2:
			self.assertEqual((complaint.workflow_state, complaint.docstatus), ("Closed", 1))
			self.assertEqual(complaint.imported_from, f"Issue {complaint.issue}")
			self.assertEqual(str(complaint.closed_on), f"{add_days('2025-01-01', number + 3)} 16:00:00")
		else:
			self.assertEqual(
				(complaint.workflow_state, complaint.docstatus, complaint.imported_from),
				("Received", 0, None),
			)
		self.assertTrue(
			frappe.db.exists("Communication Link", {"link_doctype": COMPLAINT, "link_name": complaint.name}),
			"the Issue's e-mail shows on the complaint",
		)
		comment = {
			"reference_doctype": COMPLAINT,
			"reference_name": complaint.name,
			"content": f"Called back {number}",
		}
		self.assertTrue(frappe.db.exists("Comment", comment))

	def test_converting_again_makes_nothing_and_closes_on_request(self):
		names = make_issues(2)
		with as_user(CONVERTER):
			issues.convert_issues(customer=CUSTOMER, close_issues=1)
			with self.assertRaises(frappe.ValidationError):  # all converted already
				issues.convert_issues(customer=CUSTOMER)
		self.assertEqual(frappe.db.count(COMPLAINT, {"issue": ("in", names)}), 2)
		self.assertEqual({frappe.db.get_value("Issue", n, "status") for n in names}, {"Closed"})

	def test_only_the_importers_role_converts(self):
		response = self.as_http(OFFICER).post(
			"cs_procedures.erpnext_doctypes.issues.convert_issues", {"customer": CUSTOMER}
		)
		self.assertEqual(response.status_code, 403, message_of(response))
