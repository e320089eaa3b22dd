"""The evidence pack of a period (issue 23): exactly the period's records in its zip and its PDF, made
in the background as the CS manager who asked, refused to whoever cannot read them all, and kept as
it was made."""

import csv
import hashlib
import io
import json
import os
import zipfile
from datetime import date
from unittest.mock import patch

import frappe
from frappe.utils import get_files_path
from pypdf import PdfReader

from cs_procedures.cs_procedures.doctype.cs_evidence_pack import pack
from cs_procedures.procedures import evidence as rules
from cs_procedures.testing import Fixtures, SiteTestCase, as_user, ensure_customer, sample_record

CUSTOMER = "_CS Evidence Customer"
OTHER_CUSTOMER = "_CS Evidence Other Customer"
MANAGER = "ep.manager@example.com"
FENCED_MANAGER = "ep.fenced@example.com"  # a CS Manager who may see only another customer's records
OFFICER = "ep.officer@example.com"
PACK = pack.PACK
# a month of long ago, which no other test fills: the records just inside and just outside it
START, END = date(2003, 5, 1), date(2003, 5, 31)
RECEIVED = {
	"first": "2003-05-01 00:00:00",
	"last": "2003-05-31 23:59:59",
	"before": "2003-04-30 23:59:59",
	"after": "2003-06-01 00:00:00",
}


def prepare(fixtures):
	for doctype, filters in (
		(rules.COMPLAINT, rules.complaint_filters(START, END)),
		(rules.CAMPAIGN, {"send_date": ("between", [START, END])}),
	):
		assert not frappe.db.count(doctype, filters), f"{doctype} records of May 2003 are on this site"
	ensure_customer(OTHER_CUSTOMER)
	shared = fixtures.shared

	def record(doctype, **values):
		doc = sample_record(doctype, customer=CUSTOMER, created=fixtures.created)
		frappe.db.set_value(doctype, doc.name, values, update_modified=False)
		return doc.name

	shared["complaints"] = {
		key: record(rules.COMPLAINT, received_on=when, subject=f"Evidence {key}")
		for key, when in RECEIVED.items()
	}
	shared["campaigns"] = {
		"sent": record(rules.CAMPAIGN, send_date="2003-05-10", status="Sent"),
		"draft": record(rules.CAMPAIGN, send_date="2003-05-12", status="Draft"),
		"after": record(rules.CAMPAIGN, send_date="2003-06-01", status="Closed"),
	}
	campaigns = shared["campaigns"]
	shared["responses"] = {
		"answered": record(
			rules.RESPONSE, campaign=campaigns["sent"], status="Answered", token_hash="secret"
		),
		"invited": record(rules.RESPONSE, campaign=campaigns["sent"], status="Invited"),
		"after": record(rules.RESPONSE, campaign=campaigns["after"], status="Answered"),
	}
	shared["actions"] = {
		"sent": record(rules.QUALITY_ACTION, cs_survey_campaign=campaigns["sent"]),
		"after": record(rules.QUALITY_ACTION, cs_survey_campaign=campaigns["after"]),
	}
	complaints = shared["complaints"]
	shared["files"] = {key: attach(complaints[key], f"{key}.txt") for key in ("first", "before")}
	frappe.get_doc(rules.COMPLAINT, complaints["first"]).add_comment("Comment", "Called the customer back")
	permission = frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": FENCED_MANAGER,
			"allow": "Customer",
			"for_value": OTHER_CUSTOMER,
		}
	).insert(ignore_permissions=True)
	fixtures.record(permission)
	fixtures.record("Customer", OTHER_CUSTOMER)


def attach(record: str, file_name: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"content": f"photo of {record}".encode(),
				"attached_to_doctype": rules.COMPLAINT,
				"attached_to_name": record,
				"is_private": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def remove_files(fixtures):
	"""The files of the module's records and packs (purging a record leaves its files)."""
	for doctype, name in fixtures.created:
		for file in frappe.get_all(
			"File", filters={"attached_to_doctype": doctype, "attached_to_name": name}, pluck="name"
		):
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)


FIXTURES = Fixtures(
	users={MANAGER: ["CS Manager"], FENCED_MANAGER: ["CS Manager"], OFFICER: ["CS Officer"]},
	customers=[CUSTOMER],
	prepare=prepare,
	clean_up=remove_files,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def file_content(url: str) -> bytes:
	with open(get_files_path(url.rsplit("/", 1)[1], is_private=1), "rb") as f:
		return f.read()


class TestEvidencePack(SiteTestCase):
	refused_rolls_back = True

	def setUp(self):
		frappe.set_user("Administrator")
		self.shared = FIXTURES.shared

	def new_pack(self, user=MANAGER, start=START, end=END) -> str:
		response = self.as_http(user)._call(
			"post", f"/api/resource/{PACK}", json={"from_date": str(start), "to_date": str(end)}
		)
		self.assertEqual(response.status_code, 200, response.text[-500:])
		frappe.db.rollback()  # a fresh read: what the request committed
		return FIXTURES.record(PACK, response.json["data"]["name"])

	def generate(self, name: str, user=MANAGER):
		"""The desk's Generate button; the queued job is then run here, as its user."""
		with patch("frappe.enqueue") as enqueue:
			response = self.as_http(user).post(
				"run_doc_method", {"dt": PACK, "dn": name, "method": "generate", "args": {}}
			)
		frappe.db.rollback()
		return response, enqueue

	def generated_pack(self) -> str:
		if "pack" not in self.shared:
			name = self.new_pack()
			response, enqueue = self.generate(name)
			self.assertEqual(response.status_code, 200, response.text[-800:])
			enqueue.assert_called_once()
			self.assertIs(enqueue.call_args.args[0], pack.run_pack)
			self.assertEqual(enqueue.call_args.kwargs["pack"], name)
			self.assertEqual(frappe.db.get_value(PACK, name, "status"), rules.QUEUED)
			with as_user(MANAGER):
				self.assertEqual(pack.run_pack(name), name)
			self.shared["pack"] = name
		return self.shared["pack"]

	def expected(self) -> dict:
		s = self.shared
		return {
			rules.COMPLAINT: [s["complaints"]["first"], s["complaints"]["last"]],
			rules.CAMPAIGN: [s["campaigns"]["sent"]],
			rules.RESPONSE: sorted([s["responses"]["answered"], s["responses"]["invited"]]),
			rules.QUALITY_ACTION: [s["actions"]["sent"]],
		}

	def left_out(self) -> list[str]:
		s = self.shared
		return [
			s["complaints"]["before"],
			s["complaints"]["after"],
			s["campaigns"]["draft"],
			s["campaigns"]["after"],
			s["responses"]["after"],
			s["actions"]["after"],
		]

	def test_the_pack_of_a_period_holds_exactly_its_records(self):
		doc = frappe.get_doc(PACK, self.generated_pack())
		expected = self.expected()
		self.assertEqual((doc.docstatus, doc.status, doc.generated_by), (1, rules.GENERATED, MANAGER))
		self.assertEqual(
			(doc.complaint_count, doc.campaign_count, doc.response_count, doc.quality_action_count),
			(2, 1, 2, 1),
		)
		self.assertEqual(doc.attachment_count, 1)
		archive = zipfile.ZipFile(io.BytesIO(file_content(doc.zip_file)))
		records = {n for n in archive.namelist() if n.endswith(".json")}
		self.assertEqual(
			records, {rules.record_path(dt, name) for dt, names in expected.items() for name in names}
		)
		index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
		self.assertEqual(
			sorted((row["doctype"], row["name"]) for row in index),
			sorted((dt, name) for dt, names in expected.items() for name in names),
		)
		first, before = self.shared["files"]["first"], self.shared["files"]["before"]
		attached = [n for n in archive.namelist() if n.startswith("attachments/")]
		self.assertEqual(len(attached), 1)
		self.assertIn(f"/{first}-first.txt", attached[0])
		self.assertNotIn(before, " ".join(archive.namelist()))
		self.assertEqual(archive.read(attached[0]), f"photo of {self.shared['complaints']['first']}".encode())
		# the PDF: the index and each record, nothing of the records outside the period
		text = "\n".join(
			page.extract_text() for page in PdfReader(io.BytesIO(file_content(doc.pdf_file))).pages
		)
		for names in expected.values():
			for name in names:
				self.assertIn(name, text)
		for name in self.left_out():
			self.assertNotIn(name, text)
			self.assertNotIn(name, json.dumps(index))

	def test_each_record_travels_with_its_rows_and_timeline(self):
		doc = frappe.get_doc(PACK, self.generated_pack())
		archive = zipfile.ZipFile(io.BytesIO(file_content(doc.zip_file)))
		complaint = json.loads(
			archive.read(rules.record_path(rules.COMPLAINT, self.shared["complaints"]["first"]))
		)
		self.assertEqual(complaint["record"]["subject"], "Evidence first")
		self.assertIn(
			"Called the customer back",
			[entry.get("content") for entry in complaint["timeline"] if entry["kind"] == "Comment"],
		)
		response = json.loads(
			archive.read(rules.record_path(rules.RESPONSE, self.shared["responses"]["answered"]))
		)
		self.assertTrue(response["record"]["answers"])  # the answers, as rows of the response
		self.assertNotIn("token_hash", response["record"])
		action = json.loads(
			archive.read(rules.record_path(rules.QUALITY_ACTION, self.shared["actions"]["sent"]))
		)
		self.assertEqual(action["record"]["cs_survey_campaign"], self.shared["campaigns"]["sent"])
		self.assertIn("resolutions", action["record"])
		# both files are the pack's private attachments, as their fingerprints say
		for field in ("pdf_file", "zip_file"):
			url = doc.get(field)
			self.assertTrue(url.startswith("/private/files/"))
			file = frappe.get_doc("File", {"file_url": url})
			self.assertEqual(
				(file.is_private, file.attached_to_doctype, file.attached_to_name), (1, PACK, doc.name)
			)
			self.assertEqual(
				hashlib.sha256(file_content(url)).hexdigest(), doc.get(field.replace("file", "sha256"))
			)

	def test_a_generated_pack_does_not_change(self):
		name = self.generated_pack()
		before = frappe.get_doc(PACK, name).as_dict()
		http = self.as_http(MANAGER)
		files = frappe.get_all(
			"File", filters={"attached_to_doctype": PACK, "attached_to_name": name}, pluck="name"
		)
		self.assertEqual(len(files), 2)
		attempts = [
			http.put(PACK, name, {"to_date": "2003-06-30"}),
			http.put(PACK, name, {"complaint_count": 0}),
			http.post(
				"frappe.client.set_value",
				{"doctype": PACK, "name": name, "fieldname": "zip_sha256", "value": "0"},
			),
			http.post("frappe.client.cancel", {"doctype": PACK, "name": name}),
			http.delete(PACK, name),
			self.generate(name)[0],
			*(http.delete("File", file) for file in files),
			*(http.put("File", file, {"is_private": 0}) for file in files),
		]
		for response in attempts:
			self.assertRefused(response)
		frappe.db.rollback()
		self.assertEqual(frappe.get_doc(PACK, name).as_dict(), before)
		self.assertEqual(
			frappe.db.count("File", {"name": ("in", files), "is_private": 1, "attached_to_name": name}), 2
		)

	def test_only_who_reads_every_record_of_the_period_generates(self):
		# a CS officer makes no pack
		response = self.as_http(OFFICER)._call(
			"post", f"/api/resource/{PACK}", json={"from_date": str(START), "to_date": str(END)}
		)
		self.assertRefused(response)
		# a CS manager who may read only another customer's records: the pack would leave records out
		name = self.new_pack(FENCED_MANAGER)
		response, enqueue = self.generate(name, FENCED_MANAGER)
		self.assertRefused(response, "the pack would be incomplete")
		enqueue.assert_not_called()
		self.assertEqual(frappe.db.get_value(PACK, name, ["status", "docstatus"]), (rules.DRAFT, 0))
		# nor do they open a pack another manager generated, or its files
		generated = frappe.get_doc(PACK, self.generated_pack())
		fenced = self.as_http(FENCED_MANAGER)
		self.assertRefused(fenced.get(f"/api/resource/{PACK}/{generated.name}"))
		for url in (generated.zip_file, generated.pdf_file):
			self.assertEqual(fenced.get(url).status_code, 403)
			self.assertEqual(self.as_http(MANAGER).get(url).status_code, 200)

	def test_a_period_is_checked_and_a_pack_is_not_submitted_by_hand(self):
		http = self.as_http(MANAGER)
		response = http._call(
			"post", f"/api/resource/{PACK}", json={"from_date": str(END), "to_date": str(START)}
		)
		self.assertRefused(response, "The period ends before it begins.")
		name = self.new_pack()
		self.assertRefused(http.post("frappe.client.submit", {"doc": frappe.get_doc(PACK, name).as_dict()}))
		self.assertRefused(http.put(PACK, name, {"docstatus": 1}))
		self.assertEqual(frappe.db.get_value(PACK, name, "docstatus"), 0)

	def test_a_failed_generation_keeps_nothing(self):
		name = self.new_pack()
		response, _enqueue = self.generate(name)
		self.assertEqual(response.status_code, 200, response.text[-800:])
		made, real = [], pack.new_private_path

		def tracked(extension, written):
			made.append(real(extension, written))
			return made[-1]

		failing = patch.object(pack, "write_pdf", side_effect=RuntimeError("wkhtmltopdf is gone"))
		with as_user(MANAGER), failing, patch.object(pack, "new_private_path", tracked):
			self.assertIsNone(pack.run_pack(name))
		doc = frappe.get_doc(PACK, name)
		self.assertEqual(
			(doc.status, doc.docstatus, doc.zip_file, doc.pdf_file), (rules.FAILED, 0, None, None)
		)
		self.assertFalse(
			frappe.get_all("File", filters={"attached_to_doctype": PACK, "attached_to_name": name})
		)
		self.assertTrue(made)  # the zip was written, then taken away
		self.assertFalse([path for path in made if os.path.exists(path)])
		comments = frappe.get_all(
			"Comment", filters={"reference_doctype": PACK, "reference_name": name}, pluck="content"
		)
		self.assertTrue(any("Error Log" in comment for comment in comments))
		# it is generated again; so is a pack a stopped worker left Generating (no job runs for it)
		for _attempt in range(2):
			response, enqueue = self.generate(name)
			self.assertEqual(response.status_code, 200, response.text[-800:])
			enqueue.assert_called_once()
			self.assertEqual(frappe.db.get_value(PACK, name, "status"), rules.QUEUED)
			frappe.db.set_value(PACK, name, "status", rules.GENERATING, update_modified=False)
			frappe.db.commit()

	def test_the_index_escapes_what_it_prints(self):
		hostile = '<img src=x onerror=alert(1)>"><script>alert(1)</script>'
		row = {
			"doctype": rules.COMPLAINT,
			"name": "CC-X",
			"date": "",
			"party": hostile,
			"state": hostile,
			"title": hostile,
		}
		html = frappe.render_template(
			pack.INDEX_TEMPLATE,
			{
				"doc": frappe._dict(name=hostile, from_date=START, to_date=END),
				"rule": hostile,
				"index": [row],
				"files": [{"record": hostile, "file_name": hostile, "sha256": hostile}],
				"generated_on": frappe.utils.now_datetime(),
			},
		)
		self.assertNotIn("<script>alert", html)
		self.assertNotIn("<img src=x", html)
		self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
