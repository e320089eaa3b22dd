"""The overdue sweep writes its messages in bulk (issue 24 item 2): each complaint's notifications,
to-dos, comments and e-mails are written exactly once, a complaint that fails leaves nothing of its
own and stops none of the others, a batch whose writing fails is done again one complaint at a time,
and a second sweep writes nothing new."""

import json
from datetime import datetime
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from cs_procedures import bulk
from cs_procedures.cs_procedures.doctype.customer_complaint import scheduled
from cs_procedures.procedures import complaint as rules
from cs_procedures.testing import Fixtures, SiteState, emails, sweep_settings

FOLLOWER, HEAD, VP = emails("bulksweep", "follower", "head", "vp")
CUSTOMER = "_CS Bulk Sweep Customer"
QUALITY = "CS Bulk Sweep Quality"
NOTIFIED_AT = datetime(2026, 2, 2, 11, 0)  # the sheets, due at 10:00-10:40, are late
ESCALATED_AT = datetime(2026, 2, 2, 13, 5)  # and still late two working hours later
FIXTURES = Fixtures(
	users={FOLLOWER: ["CS Officer"], HEAD: (["CS Department Head"], QUALITY), VP: ["CS Vice President"]},
	customers=[CUSTOMER],
	departments=[QUALITY],
	settings=sweep_settings(VP, QUALITY),
)
setUpModule, tearDownModule = FIXTURES.hooks()
BROKEN = 2**31 - 1  # reminders_sent at the top of its column: the sweep's update of the row fails


def count(doctype: str, name: str, **filters) -> int:
	field = "document_name" if doctype == "Notification Log" else "reference_name"
	return frappe.db.count(doctype, {field: name, **filters})


def written(name: str) -> dict:
	"""What the sweep wrote about one complaint (less what was there before it ran)."""
	counts = {
		"follower": count("Notification Log", name, for_user=FOLLOWER),
		"head": count("Notification Log", name, for_user=HEAD),
		"vp": count("Notification Log", name, for_user=VP),
		"info": count("Comment", name, comment_type="Info"),
		"assigned": count("Comment", name, comment_type="Assigned"),
		"todo": count("ToDo", name, allocated_to=VP, status="Open"),
		"mails": count("Email Queue", name),
	}
	return {key: value - BEFORE.get(name, {}).get(key, 0) for key, value in counts.items()}


BEFORE = {}  # complaint -> its counts before the first sweep


class TestSweepInBulk(FrappeTestCase):
	def setUp(self):
		"""Each test alone: what it wrote goes at its end, and so do its Error Logs (a MyISAM table,
		which no rollback empties: the complaint names come again in the next tests)."""
		self.names, self.started = [], frappe.utils.now()
		frappe.db.savepoint("cs_bulk_sweep_test")

	def tearDown(self):
		frappe.db.rollback(save_point="cs_bulk_sweep_test")
		if self.names:
			frappe.db.delete(
				"Error Log", {"reference_name": ("in", self.names), "creation": (">=", self.started)}
			)

	def complaints(self, count: int) -> list[str]:
		names = [
			frappe.get_doc(
				{
					"doctype": "Customer Complaint",
					"customer": CUSTOMER,
					"channel": "Phone",
					"received_on": datetime(2026, 2, 2, 8, minute),  # a Monday
					"complaint_type": "Quality",
					"subject": f"Scratches {minute}",
					"description": "Scratched.",
					"follower": FOLLOWER,
				}
			)
			.insert()
			.name
			for minute in range(count)
		]
		self.names += names
		BEFORE.clear()
		BEFORE.update({name: written(name) for name in names})
		return names

	def error_logs(self, name: str) -> int:
		return frappe.db.count("Error Log", {"reference_name": name})

	def test_messages_once_each_and_a_broken_complaint_stops_nobody(self):
		site = SiteState()
		site.outgoing_email(True)
		try:
			names = self.complaints(6)
			bad = names[2]
			frappe.db.set_value("Customer Complaint", bad, "reminders_sent", BROKEN, update_modified=False)
			logged = self.error_logs(bad)  # Error Logs outlive a rolled-back test, and names are reused
			good = [name for name in names if name != bad]

			self.assertEqual(scheduled.sweep_overdue_complaints(now=NOTIFIED_AT), len(good))
			notified = {"follower": 1, "head": 1, "vp": 0, "info": 1, "assigned": 0, "todo": 0, "mails": 1}
			for name in good:
				self.assertEqual(written(name), notified, name)
				stored = frappe.db.get_value(
					"Customer Complaint", name, ["breach_level", "is_overdue", "reminders_sent"]
				)
				self.assertEqual(stored, (rules.NOTIFIED, 1, 1))
			# one e-mail a complaint, to the follower and the department head
			mail = frappe.db.get_value("Email Queue", {"reference_name": good[0]})
			self.assertEqual(
				sorted(frappe.get_all("Email Queue Recipient", {"parent": mail}, pluck="recipient")),
				sorted([FOLLOWER, HEAD]),
			)
			self.assertEqual(frappe.db.get_value("Email Queue", mail, "status"), "Not Sent")
			message = frappe.db.get_value("Email Queue", mail, "message")
			self.assertIn(f"Subject: Complaint {good[0]} (", message)
			self.assertIn(f"/app/customer-complaint/{good[0]}", message.replace("=\r\n", ""))
			self.assertNotIn("Mark", message)  # every mark of the layout rendered once was replaced
			nothing = dict.fromkeys(notified, 0)
			self.assertEqual(written(bad), nothing)  # no orphan messages of its own
			self.assertEqual(frappe.db.get_value("Customer Complaint", bad, "breach_level"), rules.ON_TIME)
			self.assertEqual(self.error_logs(bad) - logged, 1)

			self.assertEqual(scheduled.sweep_overdue_complaints(now=NOTIFIED_AT), 0)  # again: nothing new
			for name in good:
				self.assertEqual(written(name), notified, name)
			self.assertEqual(written(bad), nothing)
			self.assertEqual(self.error_logs(bad) - logged, 2)

			self.assertEqual(scheduled.sweep_overdue_complaints(now=ESCALATED_AT), len(good))
			escalated = {"follower": 2, "head": 1, "vp": 1, "info": 2, "assigned": 1, "todo": 1, "mails": 3}
			for name in good:
				self.assertEqual(written(name), escalated, name)
				stored = frappe.db.get_value(
					"Customer Complaint",
					name,
					["breach_level", "escalated_to_vp", "next_sweep_at", "_assign"],
				)
				self.assertEqual(stored[:3], (rules.ESCALATED_TO_VP, 1, None))
				self.assertEqual(json.loads(stored[3]), [VP])
			self.assertEqual(scheduled.sweep_overdue_complaints(now=datetime(2026, 2, 3, 9, 0)), 0)
			for name in good:
				self.assertEqual(written(name), escalated, name)
		finally:
			site.restore(commit=False)

	def test_a_batch_whose_messages_fail_is_done_again_one_by_one(self):
		names = self.complaints(4)
		logged = {name: self.error_logs(name) for name in names}
		calls = []
		insert_docs = bulk.insert_docs

		def fails_once_for_the_batch(doctype, values, *args, **kwargs):
			calls.append(len(values))
			if len(values) > 1 and len(calls) == 1:
				raise frappe.ValidationError("planted failure of the batch's notifications")
			return insert_docs(doctype, values, *args, **kwargs)

		with patch.object(bulk, "insert_docs", fails_once_for_the_batch):
			self.assertEqual(scheduled.sweep_overdue_complaints(now=NOTIFIED_AT), len(names))
		self.assertGreater(len(calls), 3)  # the batch, then each complaint alone
		for name in names:
			self.assertEqual(
				written(name),
				{"follower": 1, "head": 1, "vp": 0, "info": 1, "assigned": 0, "todo": 0, "mails": 0},
			)
			self.assertEqual(frappe.db.get_value("Customer Complaint", name, "reminders_sent"), 1)
			self.assertEqual(self.error_logs(name), logged[name])

	def test_a_complaint_failing_alone_is_rolled_back_with_its_messages(self):
		"""When the batch is done one by one, a complaint whose messages fail keeps nothing: not its
		breach level either, so the next sweep tries it again."""
		first, second = self.complaints(2)
		logged = self.error_logs(second)
		insert_docs = bulk.insert_docs

		def fails_for_second(doctype, values, *args, **kwargs):
			if any(second in (row.get("document_name"), row.get("reference_name")) for row in values):
				raise frappe.ValidationError("planted failure")
			return insert_docs(doctype, values, *args, **kwargs)

		with patch.object(bulk, "insert_docs", fails_for_second):
			self.assertEqual(scheduled.sweep_overdue_complaints(now=NOTIFIED_AT), 1)
		self.assertEqual(written(first)["follower"], 1)
		self.assertEqual(written(second), dict.fromkeys(written(second), 0))
		self.assertEqual(frappe.db.get_value("Customer Complaint", second, "breach_level"), rules.ON_TIME)
		self.assertEqual(self.error_logs(second) - logged, 1)
		self.assertEqual(scheduled.sweep_overdue_complaints(now=NOTIFIED_AT), 1)  # the fault is gone
		self.assertEqual(written(first)["follower"], 1)
		self.assertEqual(written(second)["follower"], 1)


class TestNoticeMail(FrappeTestCase):
	"""The notice made from the MIME message rendered once says what Frappe's own `get_email` says."""

	def test_the_templated_notice_is_frappes_message(self):
		from email import message_from_string, policy

		from cs_procedures.notifications import NoticeMail

		site = SiteState()
		site.outgoing_email(True)
		try:
			mail = NoticeMail("Customer Complaint")
			self.assertTrue(mail.layout, "the rendering is cut around its marks")
			for subject in (
				"Complaint CC-1 is overdue",
				"投诉 CC-1 已超期：请于今天处理 <b>&</b> " + "长" * 40,
				"x" * 200,
			):
				templated = mail.build(["a@example.com"], subject, "CC-1")
				title = frappe.utils.strip_html(subject)[:140]
				layout, mail.layout = mail.layout, None
				try:
					frappes = mail.build(["a@example.com"], subject, "CC-1")
				finally:
					mail.layout = layout
				ours, theirs = (
					message_from_string(m["message"], policy=policy.default) for m in (templated, frappes)
				)
				self.assertEqual(str(ours["Subject"]), title)
				self.assertEqual(str(ours["Subject"]), str(theirs["Subject"]))
				self.assertEqual(ours["To"], theirs["To"])
				self.assertIn(templated["message_id"], ours["Message-Id"])
				for part in ("plain", "html"):
					self.assertEqual(
						ours.get_body((part,)).get_content(), theirs.get_body((part,)).get_content()
					)
		finally:
			site.restore()
