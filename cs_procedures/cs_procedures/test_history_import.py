"""A department's complaint history brought in with Frappe's own Data Import (issue 21): two years of
closed complaints through the dry run and the import, counted by Complaint Statistics; bad rows
refused with their row numbers; nobody but the importer's role brings history in."""

import csv
import io
import random
from datetime import datetime, timedelta

import frappe
from frappe.core.doctype.data_import.data_import import start_import

from cs_procedures import history
from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
from cs_procedures.cs_procedures.report.complaint_tracking_ledger import complaint_tracking_ledger
from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import satisfaction_survey_statistics
from cs_procedures.install import DEFAULT_SURVEY
from cs_procedures.testing import Fixtures, SiteTestCase, as_user, delete_rows, message_of

IMPORTER, MANAGER = "hist.importer@example.com", "hist.manager@example.com"
CUSTOMERS = ("_CS History Alpha", "_CS History Beta", "_CS History Gamma")
COMPLAINT, PROPERTY = "Customer Complaint", "Customer Property"
CAMPAIGN, RESPONSE = "Satisfaction Survey Campaign", "Satisfaction Survey Response"
IMPORTED = (COMPLAINT, PROPERTY, CAMPAIGN, RESPONSE)
CAMPAIGN_TITLE = "_CS History Survey"
TYPES = ("Quality", "Delivery", "Service")
FIELDS = (
	"customer channel received_on complaint_type subject description workflow_state closed_on"
	" loss_amount cause_class sheet_due_by sheet_issued_on"
).split()


def clean_up(fixtures):
	remove_history()


def remove_history():
	"""Decided records are kept as evidence: the test's own go straight from the tables."""
	for doctype, field, values in (
		(RESPONSE, "customer", CUSTOMERS),
		(CAMPAIGN, "title", (CAMPAIGN_TITLE,)),
		(COMPLAINT, "customer", CUSTOMERS),
		(PROPERTY, "customer", CUSTOMERS),
	):
		names = frappe.get_all(doctype, filters={field: ("in", values)}, pluck="name")
		if not names:
			continue
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
		delete_rows(doctype, names)
	for name in frappe.get_all("Data Import", filters={"reference_doctype": ("in", IMPORTED)}, pluck="name"):
		frappe.delete_doc("Data Import", name, force=True, ignore_permissions=True)
	frappe.db.commit()


FIXTURES = Fixtures(
	users={IMPORTER: ["System Manager"], MANAGER: ["CS Manager"]},
	customers=CUSTOMERS,
	prepare=lambda fixtures: (clean_up(fixtures), frappe.db.set_value("User", IMPORTER, "language", None)),
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def history_rows(count: int, seed: int = 21) -> list[dict]:
	"""`count` complaints of 2024 and 2025, decided; a third with the sheet's stamps, some late."""
	rng = random.Random(seed)
	start = datetime(2024, 1, 1, 9, 0)
	rows = []
	for number in range(count):
		received = start + timedelta(days=rng.randrange(730), hours=rng.randrange(8))
		closed = rng.random() > 0.1
		row = {
			"customer": CUSTOMERS[number % 3],
			"channel": "Phone",
			"received_on": received,
			"complaint_type": rng.choice(TYPES),
			"subject": f"History {seed}-{number}",
			"description": f"Complaint {number} of the ledger",
			"workflow_state": "Closed" if closed else "Not Accepted",
			"closed_on": received + timedelta(days=rng.randrange(1, 30)) if closed else None,
			"loss_amount": rng.randrange(0, 500),
			"cause_class": rng.choice(("Serious", "Occasional", "Negligence")),
			"sheet_due_by": None,
			"sheet_issued_on": None,
		}
		if number % 4 == 0:
			row["sheet_due_by"] = received + timedelta(hours=8)
			row["sheet_issued_on"] = received + timedelta(hours=rng.choice((2, 12)))
		rows.append(row)
	return rows


def csv_of(rows: list[dict], headers=FIELDS) -> str:
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow(headers)
	for row in rows:
		writer.writerow(["" if row[f] is None else str(row[f]) for f in FIELDS])
	return out.getvalue()


def data_import(content: str, doctype: str = COMPLAINT) -> str:
	return history.new_data_import(doctype, content, f"history-{frappe.generate_hash(length=6)}.csv")


def table(rows: list[list]) -> str:
	out = io.StringIO()
	csv.writer(out).writerows(rows)
	return out.getvalue()


def import_as_importer(content: str, doctype: str) -> str:
	name = data_import(content, doctype)
	with as_user(IMPORTER):
		history.run_dry_run(name)
		start_import(name)
	return name


def imported(name: str) -> list:
	return frappe.get_all(
		COMPLAINT,
		filters={"imported_from": name},
		fields=["name", "workflow_state", "docstatus", "imported_by", "sheet_issued_on", "subject"],
	)


def failures(name: str) -> list:
	logs = frappe.get_all(
		"Data Import Log",
		filters={"data_import": name, "success": 0},
		fields=["row_indexes", "messages"],
	)
	return [(frappe.parse_json(log.row_indexes), str(log.messages)) for log in logs]


class TestHistoryImport(SiteTestCase):
	def test_two_years_of_closed_complaints_come_in_and_count(self):
		remove_history()
		rows = history_rows(500)
		name = data_import(csv_of(rows))
		with as_user(IMPORTER):
			report = history.run_dry_run(name)
		self.assertEqual((len(report["made"]), report["refused"]), (500, []))
		self.assertEqual(imported(name), [], "the dry run writes nothing")
		with as_user(IMPORTER):
			start_import(name)
		records = imported(name)
		self.assertEqual(len(records), 500, failures(name)[:3])
		self.assertEqual({r.imported_by for r in records}, {IMPORTER})
		self.assertEqual(
			{(r.workflow_state, r.docstatus) for r in records}, {("Closed", 1), ("Not Accepted", 1)}
		)
		by_subject = {r.subject: r for r in records}
		for row in rows[:30]:  # the stamps the file gives are kept, the others stay empty
			stored = by_subject[row["subject"]].sheet_issued_on
			self.assertEqual(stored, row["sheet_issued_on"] and row["sheet_issued_on"].replace(microsecond=0))
		names = [r.name for r in records]
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_type": COMPLAINT, "reference_name": ("in", names)})
		)
		self.assertFalse(
			frappe.db.exists("Notification Log", {"document_type": COMPLAINT, "document_name": ("in", names)})
		)
		self.assert_statistics(rows)

	def assert_statistics(self, rows):
		"""Complaint Statistics by customer over the two years: counts, loss, repeats and the on-time
		share recounted here from the rows of the file."""
		filters = {"group_by": "Customer", "from_date": "2024-01-01", "to_date": "2025-12-31"}
		_columns, result, message, _chart = complaint_statistics.execute(filters)[:4]
		got = {row.grp: row for row in result if row.grp in CUSTOMERS}
		for customer in CUSTOMERS:
			own = sorted((r for r in rows if r["customer"] == customer), key=lambda r: r["received_on"])
			stamped = [r for r in own if r["sheet_issued_on"]]
			on_time = [r for r in stamped if r["sheet_issued_on"] <= r["sheet_due_by"]]
			self.assertEqual(got[customer].complaints, len(own))
			self.assertEqual(got[customer].loss_amount, sum(r["loss_amount"] for r in own))
			self.assertEqual(got[customer].repeat_complaints, repeats(own))
			self.assertEqual(got[customer].imported, len(own))
			self.assertEqual(got[customer].imported_without_stamps, len(own) - len(stamped))
			self.assertAlmostEqual(
				got[customer].sheet_on_time_pct, 100 * len(on_time) / len(stamped), places=0
			)
		self.assertIn("without", message)
		# the ledger marks each imported complaint; a line without the stamps has no on-time verdict
		_columns, lines = complaint_tracking_ledger.execute({"customer": CUSTOMERS[0]})
		self.assertTrue(lines and all(line.imported for line in lines))
		unstamped = [line for line in lines if not line.sheet_issued_on]
		self.assertTrue(unstamped and all(line.sheet_on_time is None for line in unstamped))

	def test_bad_rows_are_refused_with_their_row_numbers(self):
		rows = history_rows(3, seed=7)
		rows[1]["workflow_state"] = "Withdrawn"  # a state of another workflow
		rows[2]["workflow_state"] = "Sheet Issued"  # an open state
		name = data_import(csv_of(rows))
		with as_user(IMPORTER):
			report = history.run_dry_run(name)
		self.assertEqual(len(report["made"]), 1, report)
		refused = {tuple(r["rows"]): r["reason"] for r in report["refused"]}
		self.assertEqual(sorted(refused), [(3,), (4,)], refused)
		self.assertIn("Withdrawn is not a state of the workflow Customer Complaint", refused[(3,)])
		self.assertIn("open state", refused[(4,)])
		with as_user(IMPORTER):
			start_import(name)
		self.assertEqual(len(imported(name)), 1)
		self.assertEqual(sorted(rows for rows, _m in failures(name)), [[3], [4]])
		# a failed row leaves nothing behind
		self.assertEqual(frappe.db.count(COMPLAINT, {"subject": ("in", [r["subject"] for r in rows])}), 1)

	def test_a_customer_that_does_not_exist_stops_the_file(self):
		"""Frappe's importer does not start a file naming a record that does not exist: the dry run
		says which rows, and nothing is written."""
		rows = history_rows(2, seed=8)
		rows[1]["customer"] = "_CS History Nobody"
		name = data_import(csv_of(rows))
		with as_user(IMPORTER):
			report = history.run_dry_run(name)
			start_import(name)
		refused = {tuple(r["rows"]): r["reason"] for r in report["refused"] if r["rows"]}
		self.assertEqual(sorted(refused), [(3,)], report["refused"])
		self.assertIn("_CS History Nobody", " ".join(r["reason"] for r in report["refused"]))
		self.assertEqual(imported(name), [])
		self.assertIn("_CS History Nobody", frappe.db.get_value("Data Import", name, "template_warnings"))

	def test_no_import_before_its_dry_run(self):
		name = data_import(csv_of(history_rows(2, seed=3)))
		with as_user(IMPORTER):
			start_import(name)
		self.assertEqual(imported(name), [])
		self.assertTrue(all("dry run" in messages for _rows, messages in failures(name)))

	def test_zh_column_names(self):
		"""On a site in Chinese the file's columns are named in Chinese (Frappe matches the labels in
		the language the import runs in, and keeps its column map per doctype)."""
		try:
			frappe.cache.hdel("data_import_column_header_map", COMPLAINT)
			frappe.local.lang = "zh"
			headers = [_label(field) for field in FIELDS]
			self.assertIn("客户", headers)
			name = data_import(csv_of(history_rows(3, seed=5), headers))
			with as_user(IMPORTER):
				report = history.run_dry_run(name)
				self.assertEqual(len(report["made"]), 3, report["refused"])
				start_import(name)
		finally:
			frappe.local.lang = "en"
			frappe.cache.hdel("data_import_column_header_map", COMPLAINT)
		self.assertEqual(len(imported(name)), 3, failures(name))

	def test_only_the_importers_role_brings_history_in(self):
		name = data_import(csv_of(history_rows(2, seed=9)))
		http = self.as_http(MANAGER)
		response = http.post("cs_procedures.history.dry_run", {"data_import": name})
		self.assertEqual(response.status_code, 403, message_of(response))
		row = history_rows(1, seed=11)[0]
		values = {k: str(v) for k, v in row.items() if v is not None}
		response = http._call("post", f"/api/resource/{COMPLAINT}", json=values)
		self.assertIn(response.status_code, (403, 417), message_of(response))
		with as_user(IMPORTER):
			history.run_dry_run(name)
		with as_user(MANAGER):
			start_import(name)
		self.assertEqual(imported(name), [])
		self.assertTrue(all("brings the history" in messages for _rows, messages in failures(name)))

	def test_an_imported_record_is_kept_like_a_decided_one(self):
		name = data_import(csv_of(history_rows(1, seed=13)))
		with as_user(IMPORTER):
			history.run_dry_run(name)
			start_import(name)
		complaint = imported(name)[0].name
		http = self.as_http(MANAGER)
		for values in ({"subject": "Rewritten"}, {"imported_by": MANAGER}, {"imported_from": ""}):
			response = http.put(COMPLAINT, complaint, values)
			self.assertIn(response.status_code, (403, 417), message_of(response))
		response = http.delete(COMPLAINT, complaint)
		self.assertIn(response.status_code, (403, 417), message_of(response))
		self.assertEqual(frappe.db.get_value(COMPLAINT, complaint, "imported_by"), IMPORTER)


class TestSurveyAndPropertyHistory(SiteTestCase):
	def test_survey_campaigns_come_in_closed_with_their_answers_and_make_the_trend(self):
		campaigns = table(
			[
				["title", "template", "status", "period_start", "period_end", "send_date", "reply_by", "audience",
				 "invited_customers", "responded_customers", "response_rate", "is_valid", "average_satisfaction",
				 "closed_on"],
				[CAMPAIGN_TITLE, TEMPLATE, "Closed", "2023-06-01", "2023-11-30", "2023-12-01", "2023-12-15",
				 "Selected Customers", 10, 8, 80, 1, 80, "2023-12-20 10:00:00"],
				[CAMPAIGN_TITLE, TEMPLATE, "Closed", "2024-06-01", "2024-11-30", "2024-12-01", "2024-12-15",
				 "Selected Customers", 10, 9, 90, 1, 85, "2024-12-20 10:00:00"],
			]
		)  # fmt: skip
		name = import_as_importer(campaigns, CAMPAIGN)
		made = frappe.get_all(
			CAMPAIGN,
			filters={"imported_from": name},
			fields=["name", "status", "average_satisfaction", "imported_by"],
			order_by="send_date asc",
		)
		self.assertEqual(
			[(c.status, c.average_satisfaction, c.imported_by) for c in made],
			[("Closed", 80, IMPORTER), ("Closed", 85, IMPORTER)],
		)
		latest = made[1].name
		items = DEFAULT_SURVEY["items"]
		header = ["campaign", "customer", "status", "channel", "answered_on", "score", "satisfaction",
				  "answers.category", "answers.question", "answers.max_score", "answers.score"]  # fmt: skip
		rows = [header]
		for number, customer in enumerate(CUSTOMERS[:2]):
			for index, (category, question, _zh) in enumerate(items):
				first = index == 0
				parent = [
					latest,
					customer,
					"Answered",
					"Phone",
					"2024-12-10 09:00:00",
					80 + number * 10,
					80 + number * 10,
				]
				rows.append(
					(parent if first else [""] * len(parent)) + [category, question, 20, 16 + number * 2]
				)
		name = import_as_importer(table(rows), RESPONSE)
		responses = frappe.get_all(
			RESPONSE, filters={"imported_from": name}, fields=["name", "customer", "score"]
		)
		self.assertEqual(
			sorted((r.customer, r.score) for r in responses), [(CUSTOMERS[0], 80), (CUSTOMERS[1], 90)]
		)
		self.assertEqual(
			frappe.db.count("Satisfaction Survey Answer", {"parent": ("in", [r.name for r in responses])}), 10
		)
		_columns, result, _items, _chart, summary = satisfaction_survey_statistics.execute(
			{"campaign": latest}
		)
		self.assertEqual(sorted(row.customer for row in result), sorted(CUSTOMERS[:2]))
		trend = next(s for s in summary if s["label"] == "Change Against Previous Valid Campaign")
		self.assertEqual(trend["value"], 5, "the trend of the two campaigns brought in")

	def test_answers_come_in_only_to_a_campaign_brought_in(self):
		frappe.set_user("Administrator")
		live = frappe.get_doc(
			{
				"doctype": CAMPAIGN, "title": CAMPAIGN_TITLE, "template": TEMPLATE, "period_start": "2025-01-01",
				"period_end": "2025-06-30", "send_date": "2025-07-01", "reply_by": "2025-07-15",
				"audience": "Selected Customers", "customers": [{"customer": CUSTOMERS[0]}],
			}
		).insert()  # fmt: skip
		frappe.db.commit()
		content = table(
			[["campaign", "customer", "status", "score"], [live.name, CUSTOMERS[0], "Answered", 70]]
		)
		name = data_import(content, RESPONSE)
		with as_user(IMPORTER):
			report = history.run_dry_run(name)
		self.assertEqual(report["made"], [])
		self.assertIn("was not brought in as history", report["refused"][0]["reason"])

	def test_a_returned_property_lot_comes_in_returned(self):
		content = table(
			[
				["customer", "kind", "received_on", "description", "qty", "workflow_state", "closed_on"],
				[
					CUSTOMERS[0],
					"Tooling",
					"2024-03-01",
					"Mould M-12 of the customer",
					1,
					"Returned",
					"2025-02-01",
				],
			]
		)
		name = import_as_importer(content, PROPERTY)
		lot = frappe.get_all(
			PROPERTY, filters={"imported_from": name}, fields=["workflow_state", "closed_on", "imported_by"]
		)
		self.assertEqual(
			[(r.workflow_state, str(r.closed_on), r.imported_by) for r in lot],
			[("Returned", "2025-02-01", IMPORTER)],
		)


TEMPLATE = DEFAULT_SURVEY["template_name"]


def _label(field: str) -> str:
	return frappe._(frappe.get_meta(COMPLAINT).get_label(field))


def repeats(rows) -> int:
	"""Complaints of a customer with an earlier one of the same type in the 365 days before."""
	count = 0
	for i, row in enumerate(rows):
		earlier = [r for r in rows[:i] if r["complaint_type"] == row["complaint_type"]]
		if earlier and earlier[-1]["received_on"] >= row["received_on"] - timedelta(days=365):
			count += 1
	return count
