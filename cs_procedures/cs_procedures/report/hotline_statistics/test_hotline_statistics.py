"""Hotline figures (issue 23): each figure of the report equals a recount of the calls the test made."""

from collections import defaultdict
from datetime import datetime

import frappe
from frappe.utils import flt

from cs_procedures.cs_procedures.report.hotline_statistics import hotline_statistics as report
from cs_procedures.erpnext_doctypes import calls
from cs_procedures.erpnext_doctypes.test_calls import make_call, remove_test_calls
from cs_procedures.testing import Fixtures, SiteTestCase, assert_inert, purge, run_report

MANAGER, AGENT_A, AGENT_B = (
	"hotline.manager@example.com",
	"hotline.a@example.com",
	"hotline.b@example.com",
)
CUSTOMER = "_CS Hotline Customer"
DAYS = ("2021-03-01", "2021-03-02")
# (day, time, type, status, agent, wait, talk, made a complaint)
CALLS = [
	(0, "09:05:00", "Incoming", "Completed", AGENT_A, 12, 300, True),
	(0, "09:40:00", "Incoming", "No Answer", None, 65, 0, False),
	(0, "14:10:00", "Incoming", "Completed", AGENT_B, 5, 120, False),
	(0, "14:30:00", "Outgoing", "Completed", AGENT_A, None, 60, False),
	(1, "09:15:00", "Incoming", "Busy", None, 30, 0, False),
	(1, "10:00:00", "Incoming", "Completed", AGENT_B, 20, 200, True),
	(1, "16:45:00", "Outgoing", "No Answer", AGENT_B, None, 0, False),
]


def clean_up(fixtures):
	remove_test_calls()
	for name in frappe.get_all("Customer Complaint", filters={"customer": CUSTOMER}, pluck="name"):
		purge("Customer Complaint", name)
	frappe.db.commit()


def prepare(fixtures):
	clean_up(fixtures)
	made = []
	for day, time, kind, status, agent, wait, talk, complaint in CALLS:
		call = make_call(
			type=kind,
			status=status,
			start_time=f"{DAYS[day]} {time}",
			customer=CUSTOMER,
			duration=talk,
			cs_answered_by=agent,
			cs_wait_seconds=wait,
			cs_call_purpose="Complaint" if complaint else "Enquiry",
		)
		if complaint:
			calls.make_complaint(call.name, "Quality")
		made.append(call.name)
	# a subject written past the Select's validation (an import, SQL) leaves the report escaped
	frappe.db.set_value("Call Log", made[2], "cs_call_purpose", "<i>Other</i>")
	fixtures.shared["calls"] = made


FIXTURES = Fixtures(
	users={MANAGER: ["CS Manager"], AGENT_A: ["CS Officer"], AGENT_B: ["CS Officer"]},
	customers=(CUSTOMER,),
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def recount(key):
	"""The figures of the test's calls grouped by key(call)."""
	groups = defaultdict(list)
	for call in CALLS:
		groups[key(call)].append(call)
	figures = {}
	for group, members in groups.items():
		incoming = [c for c in members if c[2] == "Incoming"]
		answered = [c for c in incoming if c[3] == "Completed"]
		waits = [c[5] for c in incoming if c[5] is not None]
		talks = [c[6] for c in members if c[3] == "Completed"]
		complaints = sum(1 for c in members if c[7])
		figures[group] = {
			"calls": len(members),
			"incoming": len(incoming),
			"outgoing": len(members) - len(incoming),
			"answered": len(answered),
			"answered_pct": flt(100 * len(answered) / len(incoming), 1) if incoming else None,
			"mean_wait": flt(sum(waits) / len(waits), 1) if waits else None,
			"mean_talk": flt(sum(talks) / len(talks), 1) if talks else None,
			"complaints": complaints,
			"complaints_per_call": flt(complaints / len(members), 3),
		}
	return figures


FIELDS = (
	"calls",
	"incoming",
	"outgoing",
	"answered",
	"answered_pct",
	"mean_wait",
	"mean_talk",
	"complaints",
	"complaints_per_call",
)


class TestHotlineStatistics(SiteTestCase):
	def figures(self, group_by):
		_columns, rows, _message, chart = run_report(
			report,
			MANAGER,
			{"group_by": group_by, "from_date": DAYS[0], "to_date": DAYS[1], "customer": CUSTOMER},
		)
		assert_inert(self, rows, chart)
		self.assertEqual(len(chart["data"]["labels"]), len(rows))
		return {row["grp"]: {field: row[field] for field in FIELDS} for row in rows}

	def test_per_day(self):
		expected = recount(lambda call: datetime.strptime(DAYS[call[0]], "%Y-%m-%d").date())
		self.assertEqual(self.figures("Day"), expected)

	def test_per_hour_of_the_day(self):
		expected = recount(lambda call: f"{call[1][:2]}:00")
		self.assertEqual(self.figures("Hour of Day"), expected)
		self.assertEqual(expected["09:00"]["calls"], 3)

	def test_per_agent(self):
		self.assertEqual(self.figures("Agent"), recount(lambda call: call[4]))

	def test_per_subject_escaped(self):
		subjects = {0: "Complaint", 1: "Enquiry", 2: "&lt;i&gt;Other&lt;/i&gt;"}

		def subject(call):
			index = CALLS.index(call)
			return subjects[2] if index == 2 else subjects[0] if call[7] else subjects[1]

		self.assertEqual(self.figures("Call About"), recount(subject))

	def test_unknown_grouping_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			report.execute({"group_by": "Weather"})
