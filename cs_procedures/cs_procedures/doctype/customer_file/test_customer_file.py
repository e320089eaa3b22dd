"""The customer file (issue 22): its confidentiality level decides who reads it, over REST and in lists;
only the keeper lends the paper file; destruction records are approved by the general manager and kept."""

import frappe
from frappe.utils import add_days, getdate

from cs_procedures.testing import Fixtures, SiteTestCase, as_user, message_of

test_ignore = ["Customer"]

CUSTOMERS = ("_CS File Internal", "_CS File Confidential", "_CS File Secret")
MANAGER, OFFICER = "file.manager@example.com", "file.officer@example.com"
VP, GM = "file.vp@example.com", "file.gm@example.com"
FILE = "Customer File"


def clean_up(fixtures):
	frappe.db.delete("Customer File Loan", {"parent": ("in", CUSTOMERS)})
	frappe.db.delete("Customer File Destruction", {"parent": ("in", CUSTOMERS)})
	frappe.db.delete(FILE, {"name": ("in", CUSTOMERS)})
	frappe.db.commit()


def prepare(fixtures):
	clean_up(fixtures)
	for customer, level in zip(CUSTOMERS, ("Internal", "Confidential", "Secret"), strict=True):
		frappe.get_doc(
			{"doctype": FILE, "customer": customer, "party_kind": "Company", "confidentiality": level,
			 "legal_representative": "<b>Li</b>", "people": [{"person_name": "Wang", "position": "Buyer"}]}
		).insert(ignore_permissions=True)  # fmt: skip
	frappe.db.commit()


USERS = {
	MANAGER: ["CS Manager"],
	OFFICER: ["CS Officer"],
	VP: ["CS Vice President"],
	GM: ["CS General Manager"],
}
FIXTURES = Fixtures(users=USERS, customers=CUSTOMERS, prepare=prepare, clean_up=clean_up)
setUpModule, tearDownModule = FIXTURES.hooks()


class TestCustomerFile(SiteTestCase):
	def test_the_confidentiality_level_decides_who_reads_the_file(self):
		readers = {
			OFFICER: {"_CS File Internal"},
			VP: {"_CS File Internal", "_CS File Confidential"},
			GM: set(CUSTOMERS),
			MANAGER: set(CUSTOMERS),
		}
		for user, readable in readers.items():
			http = self.as_http(user)
			for customer in CUSTOMERS:
				response = http.get(f"/api/resource/{FILE}/{customer}")
				expected = 200 if customer in readable else 403
				self.assertEqual(response.status_code, expected, f"{user} {customer}: {message_of(response)}")
			listed = http.get(f'/api/resource/{FILE}?filters=[["customer","like","_CS File%"]]').json["data"]
			self.assertEqual({row["name"] for row in listed}, readable, user)

	def test_only_the_cs_manager_sets_the_level(self):
		response = self.as_http(OFFICER).put(FILE, CUSTOMERS[0], {"confidentiality": "Public"})
		self.assertIn(response.status_code, (403, 417), message_of(response))
		response = self.as_http(OFFICER).put(FILE, CUSTOMERS[0], {"confidentiality": "Secret"})
		self.assertIn(response.status_code, (403, 417), message_of(response))
		self.assertEqual(frappe.db.get_value(FILE, CUSTOMERS[0], "confidentiality"), "Internal")

	def test_only_the_keeper_lends_the_paper_file_and_a_returned_loan_stays(self):
		loan = {
			"borrower": OFFICER,
			"purpose": "Audit",
			"borrowed_on": getdate(),
			"due_on": add_days(getdate(), 7),
		}
		with as_user(OFFICER):
			doc = frappe.get_doc(FILE, CUSTOMERS[0])
			doc.append("loans", loan)
			self.assertRaises(frappe.PermissionError, doc.save)
		with as_user(MANAGER):
			doc = frappe.get_doc(FILE, CUSTOMERS[0])
			doc.append("loans", loan)
			doc.save()
			self.assertEqual(doc.loans[-1].lent_by, MANAGER)
		with as_user(OFFICER):  # a stored loan's lender is not rewritten, not even on a row left unchanged
			doc = frappe.get_doc(FILE, CUSTOMERS[0])
			doc.loans[-1].lent_by = OFFICER
			self.assertRaises(frappe.PermissionError, doc.save)
		with as_user(MANAGER):
			doc = frappe.get_doc(FILE, CUSTOMERS[0])
			doc.loans[-1].returned_on = add_days(getdate(), 2)
			doc.save()
			doc.loans[-1].returned_on = add_days(getdate(), 3)
			self.assertRaises(frappe.PermissionError, doc.save)
			doc.reload()
			doc.loans = []
			self.assertRaises(frappe.PermissionError, doc.save)
		frappe.db.rollback()

	def test_a_destruction_is_approved_by_the_general_manager_and_kept(self):
		row = {
			"documents": "2019 contracts",
			"reason": "Retention ended",
			"method": "Shredded",
			"destroyed_on": getdate(),
		}
		with as_user(MANAGER):
			doc = frappe.get_doc(FILE, CUSTOMERS[0])
			doc.append("destructions", {**row, "approved_by": OFFICER})
			self.assertRaises(frappe.ValidationError, doc.save)
			doc.reload()
			doc.append("destructions", {**row, "approved_by": GM})
			doc.save()
			doc.destructions[-1].reason = "Rewritten"
			self.assertRaises(frappe.PermissionError, doc.save)
			self.assertRaises(frappe.PermissionError, frappe.delete_doc, FILE, CUSTOMERS[0])
		frappe.db.rollback()
