"""The scheduled jobs survive a bad record (issue 8): its error goes to the Error Log, the other records
are handled and keep what was done, and running the job again repeats no message.

A failure is planted on one record by making the job's per-record step raise for that record only.
"""

from datetime import datetime
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from cs_procedures.cs_procedures.doctype.customer_complaint import scheduled as complaint_jobs
from cs_procedures.cs_procedures.doctype.customer_property import scheduled as property_tasks
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import scheduled as survey_jobs
from cs_procedures.procedures import complaint as rules
from cs_procedures.testing import (
	Fixtures,
	delete_rows,
	emails,
	ensure_stock_item,
	leaf_warehouse,
	new_survey_campaign,
	sweep_settings,
)

FOLLOWER, VP, STORE = emails("jobs", "follower", "vp", "store")
CUSTOMER = "_CS Jobs Customer"
QUALITY = "CS Jobs Quality"
FIXTURES = Fixtures(
	users={FOLLOWER: ["CS Officer"], VP: ["CS Vice President"], STORE: ["Stock User"]},
	customers=[CUSTOMER],
	departments=[QUALITY],
	settings=sweep_settings(VP, QUALITY),
)
setUpModule, tearDownModule = FIXTURES.hooks()


class FailsFor:
	"""Wraps a job's per-record step so that it raises for the planted record only."""

	def __init__(self, step, planted: str):
		self.step, self.planted = step, planted

	def __call__(self, record, *args, **kwargs):
		name = record if isinstance(record, str) else getattr(record, "name", None)
		if name == self.planted:
			raise frappe.ValidationError(f"planted failure on {name}")
		return self.step(record, *args, **kwargs)


def error_logs(name: str) -> int:
	return frappe.db.count("Error Log", {"reference_name": name})


class TestJobsSurviveABadRecord(FrappeTestCase):
	def complaint(self, minute: int):
		return frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"customer": CUSTOMER,
				"channel": "Phone",
				"received_on": datetime(2026, 2, 2, 8, minute),  # a Monday; the sheet is due 2 h later
				"complaint_type": "Quality",
				"subject": "Scratches",
				"description": "Scratched.",
				"follower": FOLLOWER,
			}
		).insert()

	def test_sweep_goes_on_past_a_failing_complaint_and_repeats_nothing(self):
		first, bad, last = self.complaint(0), self.complaint(10), self.complaint(20)
		logged = error_logs(bad.name)  # Error Logs outlive a rolled-back test, and names are reused
		step = FailsFor(complaint_jobs._notify_overdue, bad.name)
		with patch.object(complaint_jobs, "_notify_overdue", lambda doc: step(doc)):
			for _run in range(2):  # a second run of the same job
				complaint_jobs.sweep_overdue_complaints(now=datetime(2026, 2, 2, 11, 0))

		for good in (first, last):
			good.reload()
			self.assertEqual(good.breach_level, rules.NOTIFIED)
			self.assertEqual(
				frappe.db.count("Notification Log", {"document_name": good.name, "for_user": FOLLOWER}), 1
			)
			self.assertEqual(
				frappe.db.count("Comment", {"reference_name": good.name, "comment_type": "Info"}), 1
			)
		bad.reload()
		self.assertEqual((bad.breach_level, bad.is_overdue), (rules.ON_TIME, 0))  # rolled back, tried again
		self.assertFalse(frappe.db.exists("Notification Log", {"document_name": bad.name}))
		self.assertEqual(error_logs(bad.name) - logged, 2)

		complaint_jobs.sweep_overdue_complaints(now=datetime(2026, 2, 2, 11, 0))  # the fault is gone
		bad.reload()
		self.assertEqual(bad.breach_level, rules.NOTIFIED)
		self.assertEqual(
			frappe.db.count("Notification Log", {"document_name": first.name, "for_user": FOLLOWER}), 1
		)

	def test_a_complaint_deleted_under_the_sweep_is_skipped(self):
		doc = self.complaint(0)
		delete_rows("Customer Complaint", [doc.name])
		self.assertFalse(complaint_jobs._sweep_one(doc.name, datetime(2026, 2, 2, 11, 0), None, None))
		self.assertEqual(error_logs(doc.name), 0)

	def test_retention_reminder_goes_on_past_a_failing_record(self):
		item = ensure_stock_item("_CS Jobs Resin")
		records = [
			frappe.get_doc(
				{
					"doctype": "Customer Property",
					"customer": CUSTOMER,
					"kind": "Material",
					"received_on": add_days(today(), -400 - offset),
					"received_by": STORE,
					"item_code": item,
					"description": f"Lot {offset}",
					"inspection_result": "Accepted",
					"warehouse": leaf_warehouse(),
				}
			).insert()
			for offset in range(3)
		]
		for record in records:  # into store through the workflow actions
			apply_workflow(record, "Pass Inspection")
			apply_workflow(frappe.get_doc(record.doctype, record.name), "Put in Store")
		bad = records[1]
		logged = error_logs(bad.name)
		step = FailsFor(property_tasks._remind, bad.name)
		with patch.object(property_tasks, "_remind", step):
			made = [property_tasks.remind_lots_stored_a_year(today()) for _run in range(2)]
		self.assertEqual(made[1], 0)  # nothing twice
		for record in records:
			todos = frappe.db.count("ToDo", {"reference_name": record.name, "allocated_to": STORE})
			self.assertEqual(todos, 0 if record is bad else 1, record.name)
		self.assertEqual(error_logs(bad.name) - logged, 2)

	def test_closing_campaigns_goes_on_past_a_failing_campaign(self):
		campaigns = [new_survey_campaign([CUSTOMER], title=f"Jobs {n}") for n in range(3)]
		for campaign in campaigns:
			frappe.db.set_value(
				campaign.doctype,
				campaign.name,
				{"status": "Sent", "send_date": add_days(today(), -20), "reply_by": add_days(today(), -1)},
			)
		bad = campaigns[1]
		logged = error_logs(bad.name)
		step = FailsFor(survey_jobs._close_campaign, bad.name)
		with patch.object(survey_jobs, "_close_campaign", step):
			closed = [survey_jobs.close_due_campaigns(today()) for _run in range(2)]
		good = {campaigns[0].name, campaigns[2].name}
		self.assertTrue(good <= set(closed[0]))
		self.assertFalse(good & set(closed[1]))  # a second run closes nothing twice
		for campaign in campaigns:
			status = frappe.db.get_value(campaign.doctype, campaign.name, "status")
			self.assertEqual(status, "Sent" if campaign is bad else "Closed", campaign.name)
		self.assertEqual(error_logs(bad.name) - logged, 2)

	def test_scheduled_campaigns_go_on_past_a_failing_schedule(self):
		groups = []
		for n in range(2):
			group = f"_CS Jobs Group {n}"
			if not frappe.db.exists("Customer Group", group):
				frappe.get_doc(
					{
						"doctype": "Customer Group",
						"customer_group_name": group,
						"parent_customer_group": "All Customer Groups",
					}
				).insert()
			groups.append(group)
		frappe.db.set_value("Customer", CUSTOMER, "customer_group", groups[0])
		template = frappe.db.get_value("Satisfaction Survey Template", {}, "name")
		FIXTURES.state.settings(
			survey_schedules=[
				{
					"frequency": "Monthly",
					"audience": "Customer Group",
					"customer_group": group,
					"template": template,
					"reply_within_days": 10,
				}
				for group in groups
			]
		)
		try:
			bad = frappe.get_single("CS Settings").survey_schedules[1]
			logged = frappe.db.count("Error Log", {"reference_doctype": "Satisfaction Survey Campaign"})
			step = FailsFor(survey_jobs._create_scheduled_campaign, bad.name)
			with patch.object(survey_jobs, "_create_scheduled_campaign", step):
				made = [survey_jobs.create_scheduled_campaigns(today()) for _run in range(2)]
			self.assertEqual(len(made[0]), 1)  # the good schedule's campaign
			self.assertEqual(made[1], [])  # not twice
			self.assertEqual(
				frappe.db.get_value("Satisfaction Survey Campaign", made[0][0], "customer_group"), groups[0]
			)
			self.assertEqual(
				frappe.db.count("Error Log", {"reference_doctype": "Satisfaction Survey Campaign"}) - logged,
				2,
			)
		finally:
			FIXTURES.state.settings(survey_schedules=[])
