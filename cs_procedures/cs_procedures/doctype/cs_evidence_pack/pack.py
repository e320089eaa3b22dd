"""Building an evidence pack in the background (issue 23): the records of the period
(`procedures/evidence.py` decides which), written one at a time into a zip on disk — each record's
JSON with its rows and its timeline, its attached files, an index — and one PDF: the index, then
each record in the app's print format. Both are kept as private files of the pack, which the job
then submits: nobody changes a generated pack.

The job runs as the user who asked for it: it reads only what they may read, and refuses the whole
pack rather than leave out a record of the period they cannot read.
"""

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from urllib.parse import urlsplit

import frappe
from frappe import _
from frappe.utils import cstr, getdate, now_datetime
from frappe.utils.background_jobs import is_job_enqueued
from frappe.utils.pdf import get_pdf
from pypdf import PdfWriter

from cs_procedures import guards, jobs
from cs_procedures.attachments import PRIVATE_PREFIX
from cs_procedures.procedures import evidence as rules
from cs_procedures.procedures import satisfaction

PACK = "CS Evidence Pack"
DONE_EVENT = "cs_evidence_pack_done"
JOB_TIMEOUT = 4 * 3600
INDEX_TEMPLATE = "cs_procedures/cs_procedures/doctype/cs_evidence_pack/evidence_index.html"
# the app's print format of each record (None: Frappe's standard print of the record)
PRINT_FORMATS = {
	rules.COMPLAINT: "Customer Complaint Sheet",
	rules.CAMPAIGN: "Satisfaction Survey Statistics Table",
	rules.RESPONSE: "Satisfaction Survey Questionnaire",
	rules.QUALITY_ACTION: None,
}
# what the index shows of each record: (date, party, state, title)
INDEX_FIELDS = {
	rules.COMPLAINT: ("received_on", "customer_name", "workflow_state", "subject"),
	rules.CAMPAIGN: ("send_date", "template", "status", "title"),
	rules.RESPONSE: ("answered_on", "customer_name", "status", "campaign"),
	rules.QUALITY_ACTION: ("date", "cs_survey_campaign", "status", "goal"),
}
INDEX_COLUMNS = ("doctype", "name", "date", "party", "state", "title", "path")
FILE_COLUMNS = ("doctype", "record", "file", "file_name", "uploaded_by", "uploaded_on", "path", "sha256")
# what a record's JSON leaves out: the hashes of a survey's link tokens
HIDDEN_FIELDS = {rules.RESPONSE: ("token_hash", "legacy_token_hash")}
# the record's timeline: (doctype, its fields pointing at the record, the fields kept)
TIMELINE = (
	("Version", ("ref_doctype", "docname"), ("owner", "creation", "data")),
	(
		"Comment",
		("reference_doctype", "reference_name"),
		("comment_type", "comment_email", "owner", "creation", "content"),
	),
	(
		"Communication",
		("reference_doctype", "reference_name"),
		(
			"communication_type",
			"communication_medium",
			"sent_or_received",
			"sender",
			"recipients",
			"subject",
			"content",
			"communication_date",
			"owner",
			"creation",
		),
	),
	(
		"Workflow Action",
		("reference_doctype", "reference_name"),
		("workflow_state", "status", "completed_by", "completed_by_role", "owner", "creation"),
	),
)
RULE = (
	"The pack holds the complaints received in the period, the survey campaigns sent in it (with all "
	"their responses and answers) and the Quality Actions raised for those campaigns, each with its "
	"timeline and attached files. Both days are included."
)


# --- which records --------------------------------------------------------------------------------


def period_queries(doc) -> list[tuple[str, dict, str]]:
	"""(doctype, filters, order) of each kind of record of the pack's period, in the pack's order."""
	start, end = getdate(doc.from_date), getdate(doc.to_date)
	sent = rules.campaign_filters(start, end)
	of_campaigns = ("in", frappe.get_all(rules.CAMPAIGN, filters=sent, pluck="name") or [""])
	return [
		(rules.COMPLAINT, rules.complaint_filters(start, end), "received_on asc, name asc"),
		(rules.CAMPAIGN, sent, "send_date asc, name asc"),
		(rules.RESPONSE, {"campaign": of_campaigns}, "campaign asc, name asc"),
		(rules.QUALITY_ACTION, {rules.ACTION_CAMPAIGN_FIELD: of_campaigns}, "name asc"),
	]


def members(doc) -> dict[str, list[str]]:
	"""The names of the records of the pack's period, by doctype; refused when the user cannot read
	each of them."""
	return {doctype: readable(doctype, filters, order) for doctype, filters, order in period_queries(doc)}


def readable(doctype: str, filters: dict, order_by: str) -> list[str]:
	"""Every record matching `filters`; refused when the user cannot read each of them (a pack that
	left out what its maker cannot see would not be the period's evidence)."""
	names = frappe.get_all(doctype, filters=filters, pluck="name", order_by=order_by)
	if names:
		visible = set(frappe.get_list(doctype, filters=filters, pluck="name", limit_page_length=0))
		hidden = len(set(names) - visible)
		if hidden:
			guards.refuse(
				_(
					"You cannot read {0} of the {1} records of {2} in this period: the pack would be incomplete. Someone who may read them all generates it."
				).format(hidden, len(names), _(doctype)),
				title=_("Evidence Pack Incomplete"),
			)
	return names


def pack_permission(doc, ptype=None, user=None, debug=False):
	"""`has_permission` hook of the pack (only denies): a generated pack, and so its files, opens only
	to who may read every record of its period — a CS manager kept to some customers by User
	Permissions does not read, through a pack, the records of the others. A draft holds no record."""
	user = user or frappe.session.user
	if user == guards.ADMINISTRATOR or doc.get("docstatus") != 1:
		return None
	for doctype, filters, _order in period_queries(doc):
		try:
			visible = frappe.get_list(doctype, filters=filters, fields=["count(name) as n"], user=user)[0].n
		except frappe.PermissionError:
			frappe.clear_last_message()
			return False
		if visible != frappe.db.count(doctype, filters):
			return False
	return None


# --- the job --------------------------------------------------------------------------------------


def start(name: str) -> str:
	"""Queue the generation of a draft (or failed) pack, after checking its maker may read every
	record of the period. The stored pack is judged, not the copy the browser sent."""
	doc = frappe.get_doc(PACK, name, for_update=True)
	doc.check_permission("write")
	if not generatable(doc):
		frappe.throw(
			_("Evidence pack {0} is {1}: it is generated once.").format(doc.name, _(doc.status)),
			title=_("Not Allowed"),
		)
	members(doc)
	guards.stamp(doc, {"status": rules.QUEUED})
	frappe.enqueue(
		run_pack,
		queue="long",
		timeout=JOB_TIMEOUT,
		job_id=job_id(doc.name),
		deduplicate=True,
		enqueue_after_commit=True,
		pack=doc.name,
	)
	return _("The evidence pack is being generated in the background: this form shows the progress.")


def job_id(pack: str) -> str:
	return f"cs_evidence_pack::{pack}"


def generatable(doc) -> bool:
	"""A draft or failed pack; or one left Queued or Generating by a job that no longer runs (a worker
	stopped): its generation starts again."""
	if doc.docstatus != 0:
		return False
	return doc.status in rules.GENERATABLE or not is_job_enqueued(job_id(doc.name))


def run_pack(pack: str) -> str | None:
	"""The background job: build both files, attach them and submit the pack, in one transaction.
	A failure leaves no file and puts the pack in Failed, with the error in the Error Log."""
	doc = frappe.get_doc(PACK, pack, for_update=True)
	if doc.status != rules.QUEUED:
		return None  # generated by an earlier run
	guards.stamp(doc, {"status": rules.GENERATING})
	frappe.db.commit()
	written = []
	try:
		built = build(doc, written)
		finish(doc.name, built)
	except Exception:
		frappe.db.rollback()
		for path in written:
			if os.path.exists(path):
				os.remove(path)
		jobs.record_failure(
			doc,
			_("Evidence pack not generated"),
			_(
				"Generating the pack failed; nothing was kept. The error is in Error Log {0}: generate it again."
			),
			DONE_EVENT,
			{"pack": pack},
			reset=(rules.GENERATING, rules.FAILED),
		)
		return None
	frappe.db.commit()
	frappe.publish_realtime(DONE_EVENT, {"pack": pack}, doctype=PACK, docname=pack)
	return pack


def build(doc, written: list) -> dict:
	"""Write the zip, then the PDF, as private files of random names (listed in `written`)."""
	found = members(doc)
	total = 2 * sum(len(names) for names in found.values()) + 1
	done = [0]

	def step():
		done[0] += 1
		if done[0] % 10 == 0 or done[0] == total:
			frappe.publish_progress(
				done[0] * 100 / total,
				title=_("Generating the Evidence Pack"),
				doctype=PACK,
				docname=doc.name,
				description=_("{0} of {1} steps").format(done[0], total),
			)

	zip_path = new_private_path(".zip", written)
	index, files = write_zip(doc, found, zip_path, step)
	pdf_path = new_private_path(".pdf", written)
	write_pdf(doc, found, index, files, pdf_path, step)
	return {"found": found, "files": len(files), "zip": zip_path, "pdf": pdf_path}


def finish(name: str, built: dict) -> None:
	"""Attach both files to the pack, write its counts and submit it (the job's own move)."""
	doc = frappe.get_doc(PACK, name, for_update=True)
	found = built["found"]
	doc.update(
		{
			"status": rules.GENERATED,
			"generated_by": frappe.session.user,
			"generated_on": now_datetime(),
			"complaint_count": len(found[rules.COMPLAINT]),
			"campaign_count": len(found[rules.CAMPAIGN]),
			"response_count": len(found[rules.RESPONSE]),
			"quality_action_count": len(found[rules.QUALITY_ACTION]),
			"attachment_count": built["files"],
			"pdf_file": attach(doc, built["pdf"], "pdf_file"),
			"pdf_sha256": sha256_of(built["pdf"]),
			"zip_file": attach(doc, built["zip"], "zip_file"),
			"zip_sha256": sha256_of(built["zip"]),
		}
	)
	doc.flags.ignore_permissions = True  # the maker's right was judged in `start`; the job submits
	doc.flags.generated_by_job = True
	doc.submit()


# --- the files ------------------------------------------------------------------------------------


def new_private_path(extension: str, written: list) -> str:
	path = frappe.get_site_path("private", "files", frappe.generate_hash(length=20) + extension)
	written.append(path)
	return path


def attach(doc, path: str, field: str) -> str:
	"""A private File of the pack for a file the job wrote. Inserted without Frappe's upload path,
	which reads the whole file into memory (and refuses it above the site's upload limit): the file
	is already private, under a random name, as the app keeps every attachment (attachments.py)."""
	extension = os.path.splitext(path)[1]
	file = frappe.new_doc("File")
	file.update(
		{
			"file_name": f"{doc.name}{extension}",
			"file_url": PRIVATE_PREFIX + os.path.basename(path),
			"is_private": 1,
			"folder": "Home/Attachments",
			"file_size": os.path.getsize(path),
			"attached_to_doctype": PACK,
			"attached_to_name": doc.name,
			"attached_to_field": field,
		}
	)
	file.set_new_name()
	file.db_insert()
	file.create_attachment_record()
	return file.file_url


def sha256_of(path: str) -> str:
	digest = hashlib.sha256()
	with open(path, "rb") as f:
		for chunk in iter(lambda: f.read(1 << 20), b""):
			digest.update(chunk)
	return digest.hexdigest()


def write_zip(doc, found: dict, path: str, step) -> tuple[list, list]:
	"""Each record's JSON and attached files, one record at a time; then the index, the list of files
	and a README. Returns (index rows, file rows)."""
	index, files = [], []
	with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
		for doctype, names in found.items():
			for name in names:
				record = frappe.get_doc(doctype, name)
				record_path = rules.record_path(doctype, name)
				archive.writestr(record_path, record_json(record))
				index.append(index_row(record, record_path))
				files += write_attachments(archive, record)
				step()
		archive.writestr("index.csv", csv_text(INDEX_COLUMNS, index))
		archive.writestr("attachments.csv", csv_text(FILE_COLUMNS, files))
		archive.writestr("README.txt", readme(doc, found, len(files)))
	return index, files


def record_json(record) -> str:
	data = record.as_dict(convert_dates_to_str=True)
	for field in HIDDEN_FIELDS.get(record.doctype, ()):
		data.pop(field, None)
	return frappe.as_json(
		{"record": data, "timeline": timeline(record.doctype, record.name)}, ensure_ascii=False
	)


def timeline(doctype: str, name: str) -> list[dict]:
	"""Versions, comments, communications and workflow actions of a record, oldest first."""
	entries = []
	for source, (doctype_field, name_field), fields in TIMELINE:
		for row in frappe.get_all(
			source, filters={doctype_field: doctype, name_field: name}, fields=["name", *fields]
		):
			if source == "Version":
				row["data"] = json.loads(row.data or "{}")
			entries.append({"kind": source, **row})
	return sorted(entries, key=lambda entry: (cstr(entry["creation"]), entry["name"]))


def index_row(record, path: str) -> dict:
	date, party, state, title = (record.get(field) for field in INDEX_FIELDS[record.doctype])
	return {
		"doctype": record.doctype,
		"name": record.name,
		"date": cstr(date),
		"party": cstr(party),
		"state": cstr(state),
		"title": cstr(title),
		"path": path,
	}


def write_attachments(archive, record) -> list[dict]:
	"""The files attached to `record` that the user may download, each with its SHA-256."""
	rows = []
	for name in frappe.get_all(
		"File",
		filters={"attached_to_doctype": record.doctype, "attached_to_name": record.name, "is_folder": 0},
		pluck="name",
		order_by="creation asc",
	):
		file = frappe.get_doc("File", name)
		if file.is_remote_file or not file.is_downloadable():
			continue
		full_path = file.get_full_path()
		if not os.path.isfile(full_path):
			continue
		path = rules.attachment_path(record.doctype, record.name, file.name, file.file_name)
		archive.write(full_path, path)
		rows.append(
			{
				"doctype": record.doctype,
				"record": record.name,
				"file": file.name,
				"file_name": file.file_name,
				"uploaded_by": file.owner,
				"uploaded_on": cstr(file.creation),
				"path": path,
				"sha256": sha256_of(full_path),
			}
		)
	return rows


def csv_text(columns: tuple, rows: list[dict]) -> str:
	out = io.StringIO()
	writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
	writer.writeheader()
	writer.writerows(rows)
	return out.getvalue()


def readme(doc, found: dict, file_count: int) -> str:
	lines = [
		_("Evidence pack {0}: {1} to {2}").format(doc.name, doc.from_date, doc.to_date),
		_("Generated by {0} on {1}").format(frappe.session.user, now_datetime().replace(microsecond=0)),
		"",
		_(RULE),
		"",
		*(f"{_(doctype)}: {len(names)}" for doctype, names in found.items()),
		f"{_('Attached Files')}: {file_count}",
		"",
		_(
			"index.csv lists every record and where its JSON is; each JSON holds the record, its rows and its timeline (versions, comments, communications, workflow actions); attachments.csv lists the attached files with their SHA-256."
		),
	]
	return "\n".join(lines) + "\n"


def write_pdf(doc, found: dict, index: list, files: list, path: str, step) -> None:
	"""The index, then every record in its print format (survey responses: the answered ones)."""
	writer = PdfWriter()
	html = frappe.render_template(
		INDEX_TEMPLATE,
		{"doc": doc, "rule": _(RULE), "index": index, "files": files, "generated_on": now_datetime()},
	)
	get_pdf(html, output=writer)
	step()
	answered = set(found[rules.RESPONSE]) and set(
		frappe.get_all(
			rules.RESPONSE,
			filters={"name": ("in", found[rules.RESPONSE]), "status": satisfaction.ANSWERED},
			pluck="name",
		)
	)
	for doctype, names in found.items():
		for name in names:
			if doctype != rules.RESPONSE or name in answered:
				html = frappe.get_print(doctype, name, PRINT_FORMATS[doctype], no_letterhead=1)
				get_pdf(self_contained(html), output=writer)
			step()
	with open(path, "wb") as f:
		writer.write(f)


STYLESHEET = re.compile(r"<link\b[^>]*\bhref=[\"']([^\"']+)[\"'][^>]*>", re.IGNORECASE)
IMAGE = re.compile(r"<img\b(?![^>]*\bsrc=[\"']data:)[^>]*>", re.IGNORECASE)


def self_contained(html: str) -> str:
	"""A print page that wkhtmltopdf renders without asking the site for anything: the site's
	stylesheets inlined from the assets on disk (a worker need not reach its own web server, nor
	resolve the site's name), images left out with a mark (attached images are in the zip)."""
	assets = os.path.realpath(os.path.join(frappe.local.sites_path, "assets"))

	def inline(match) -> str:
		path = urlsplit(match.group(1)).path
		if path.startswith("/assets/") and path.endswith(".css"):
			full = os.path.realpath(os.path.join(assets, path[len("/assets/") :]))
			if full.startswith(assets + os.sep) and os.path.isfile(full):
				with open(full, encoding="utf-8") as f:
					return f"<style>{f.read()}</style>"
		return ""

	return IMAGE.sub(f"[{_('image')}]", STYLESHEET.sub(inline, html))
