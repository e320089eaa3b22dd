"""A department's history brought into the procedures (issue 21): records already decided (closed
complaints, decided order reviews, returned property ...) imported with Frappe's own Data Import.

Every record of a procedure with a workflow (`guards.ProcedureDocument`) goes through `enter` when it
is made: a record in the workflow's first state is live and its procedure runs from there; a record
already decided enters as history, as it was: in its state and document status, with the stamps the
file gives and no others, marked with who imported it from which file and when, and nothing of the
procedure (deadlines, notifications, to-dos, e-mails) runs again. Afterwards it is kept like any record
in that state. Only the role CS Settings names (System Manager unless changed) brings history in, and
only after a dry run of the same file listed what would be made and what refused.
"""

import frappe
from frappe import _
from frappe.model.base_document import get_controller
from frappe.model.workflow import WorkflowPermissionError, get_workflow_name
from frappe.utils import cint, now_datetime

from cs_procedures.procedures import declared_workflows
from cs_procedures.procedures import history as rules

IMPORT_FIELDS = ("imported_from", "imported_by", "imported_on")
DEFAULT_ROLE = "System Manager"
DRY_RUN_DAYS = 7


def importer_role() -> str:
	return frappe.db.get_single_value("CS Settings", "history_import_role") or DEFAULT_ROLE


def may_import(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or importer_role() in frappe.get_roles(user)


def check_importer() -> None:
	if not may_import():
		frappe.throw(
			_("Only {0} brings the history of the procedures in (CS Settings > History).").format(
				_(importer_role())
			),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def source_of(doc) -> str | None:
	"""Where a new record comes from when an import brings it: the Data Import (Frappe marks the
	records its importer makes) or the ERPNext Issue the conversion names; None for anything else."""
	if doc.flags.history_source:  # set by the app's own conversion (flags cannot be sent by a client)
		return doc.flags.history_source
	reference = doc.flags.updater_reference or {}
	if frappe.flags.in_import and reference.get("doctype") == "Data Import":
		return reference.get("docname")
	return None


def lifecycle_of(doctype: str):
	"""How records of `doctype` enter (field, procedure's `Workflow`, {state: document status}): by the
	procedure's Frappe Workflow, or by the `status` a controller declares (`HISTORY_STATUS`, a
	`Workflow` over its status options); None for a doctype the history does not concern."""
	workflow_name = get_workflow_name(doctype)
	if workflow_name in declared_workflows():
		workflow = frappe.get_cached_doc("Workflow", workflow_name)
		doc_status = {row.state: cint(row.doc_status) for row in workflow.states}
		return workflow.workflow_state_field, declared_workflows()[workflow_name][1], doc_status
	life = getattr(get_controller(doctype), "HISTORY_STATUS", None)
	if life is None:
		return None
	options = (frappe.get_meta(doctype).get_field("status").options or "").split("\n")
	return "status", life, {option: 0 for option in options if option}


def enter(doc) -> bool:
	"""Decide how a new record of a procedure enters (see the module); True when it enters as
	history. Called before anything else of the insert (permissions, validation)."""
	source = source_of(doc)
	lifecycle = lifecycle_of(doc.doctype) if source else None
	if lifecycle is None:
		return False
	if not doc.flags.history_source and not (frappe.flags.cs_history_dry_run or dry_run_done(source)):
		frappe.throw(
			_(
				"Run the dry run of {0} first (the button Dry Run for the Procedures on the Data Import): it lists what the import would make and what it refuses, row by row."
			).format(source),
			title=_("Dry Run First"),
		)
	field, procedure, doc_status = lifecycle
	how, refusal = rules.entry(procedure, doc_status, doc.get(field))
	if refusal:
		refuse_state(doc, doc.get(field), refusal, doc_status, procedure)
	if how == rules.LIVE:
		return False
	check_importer()
	if hasattr(doc, "check_history"):
		doc.check_history()
	doc.docstatus = doc_status[doc.get(field)]
	doc.update(
		{
			"imported_from": source,
			"imported_by": frappe.session.user,
			"imported_on": now_datetime().replace(microsecond=0),
		}
	)
	# the importer's role was judged above; the stamps the file gives are kept as they are
	doc.flags.ignore_permissions = True
	doc.flags.history = True
	return True


def refuse_state(doc, state, refusal, doc_status, procedure) -> None:
	allowed = ", ".join(_(state) for state in rules.history_states(procedure, doc_status))
	messages = {
		rules.UNKNOWN_STATE: _("{0} is not a state of the workflow {1}."),
		rules.CANCELLED_STATE: _("{0} is a cancelled state: a cancelled {1} is not brought in."),
		rules.OPEN_STATE: _(
			"{0} is an open state of {1}: an open case is brought in at the start of its procedure."
		),
	}
	frappe.throw(
		messages[refusal].format(_(state or ""), _(doc.doctype))
		+ " "
		+ _("History enters as {0}.").format(allowed),
		WorkflowPermissionError,
		title=_("Not a State History Enters"),
	)


def check_import_fields(doc) -> None:
	"""The import stamps are written by `enter` only: a live record cannot carry them."""
	if any(doc.get(field) for field in IMPORT_FIELDS if doc.meta.has_field(field)):
		refuse_import_fields()


def refuse_import_fields() -> None:
	frappe.throw(
		_("Imported From, Imported By and Imported On are written by the import only."),
		frappe.PermissionError,
		title=_("Written by the Import"),
	)


def new_data_import(doctype: str, content: str, file_name: str = "history.csv") -> str:
	"""A Data Import of new `doctype` records from CSV `content` (a private file), as a script or a test
	makes it; committed, as the dry run and the import run in jobs of their own."""
	file = frappe.get_doc({"doctype": "File", "file_name": file_name, "is_private": 1})
	file.content = content
	file.insert(ignore_permissions=True)
	doc = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": doctype,
			"import_type": "Insert New Records",
			"import_file": file.file_url,
			"mute_emails": 1,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return doc.name


# --- the dry run --------------------------------------------------------------------------------


def dry_run_key(data_import: str) -> str:
	import_file = frappe.db.get_value("Data Import", data_import, "import_file")
	return f"cs_history_dry_run|{data_import}|{import_file}"


def dry_run_done(data_import: str) -> bool:
	return bool(frappe.cache.get_value(dry_run_key(data_import)))


@frappe.whitelist()
def dry_run(data_import: str) -> None:
	"""Start the dry run of a Data Import in the background; its report comes as a realtime message
	(`cs_history_dry_run`) and from `dry_run_report`."""
	check_importer()
	frappe.get_doc("Data Import", data_import).check_permission("write")
	frappe.enqueue(
		run_dry_run,
		queue="long",
		timeout=6 * 3600,
		data_import=data_import,
		now=frappe.flags.in_test,
		job_id=f"cs_history_dry_run::{data_import}",
		deduplicate=True,
	)


def run_dry_run(data_import: str) -> dict:
	"""Import every row of the file as the import would, each in a savepoint rolled back: the report
	says what would be made and what is refused (rows and reason). Nothing of it stays."""
	from frappe.core.doctype.data_import.importer import Importer

	doc = frappe.get_doc("Data Import", data_import)
	importer = Importer(doc.reference_doctype, data_import=doc)
	payloads = importer.import_file.get_payloads_for_import()
	report = {"data_import": data_import, "doctype": doc.reference_doctype, "made": [], "refused": []}
	for warning in importer.import_file.get_warnings():
		if warning.get("type") != "info":
			report["refused"].append(
				{"rows": [warning.get("row")] if warning.get("row") else [], "reason": warning["message"]}
			)
	frappe.flags.in_import = frappe.flags.cs_history_dry_run = True
	frappe.flags.mute_emails = True
	try:
		for number, payload in enumerate(payloads, 1):
			try_row(importer, payload, report)
			if number % 50 == 0 or number == len(payloads):
				frappe.publish_progress(
					number * 100 / len(payloads),
					title=_("Dry run"),
					doctype="Data Import",
					docname=data_import,
					description=_("{0} of {1} rows").format(number, len(payloads)),
				)
	finally:
		frappe.flags.in_import = frappe.flags.cs_history_dry_run = frappe.flags.mute_emails = False
		frappe.db.rollback()
	frappe.cache.set_value(dry_run_key(data_import), report, expires_in_sec=DRY_RUN_DAYS * 86400)
	frappe.publish_realtime("cs_history_dry_run", summary(report), user=frappe.session.user)
	return report


def try_row(importer, payload, report) -> None:
	rows = [row.row_number for row in payload.rows]
	frappe.db.savepoint("cs_history_dry_run")
	try:
		made = importer.process_doc(payload.doc)
		report["made"].append({"rows": rows, "name": made.name, "state": made.get("workflow_state")})
	except Exception as error:
		messages = [frappe.utils.strip_html(m) for m in message_texts()] or [str(error)]
		report["refused"].append({"rows": rows, "reason": " ".join(messages)})
	finally:
		frappe.db.rollback(save_point="cs_history_dry_run")
		frappe.clear_messages()
		# what the row queued for after the commit never happens: Frappe scans this list on every
		# publish, so keeping it would make the dry run of a long file quadratic
		if getattr(frappe.local, "_realtime_log", None):
			frappe.local._realtime_log.clear()


def message_texts() -> list[str]:
	texts = []
	for message in frappe.local.message_log:
		message = frappe.parse_json(message) if isinstance(message, str) else message
		texts.append(message.get("message") if isinstance(message, dict) else str(message))
	return [text for text in texts if text]


def summary(report: dict) -> dict:
	return {
		"data_import": report["data_import"],
		"made": len(report["made"]),
		"refused": report["refused"][:200],
		"refused_count": len(report["refused"]),
	}


@frappe.whitelist()
@frappe.read_only()  # the import and its last dry run (kept in Redis), read on a replica if any
def dry_run_report(data_import: str) -> dict:
	"""For the Data Import form: whether its doctype is a procedure's (the dry run applies), whether
	the user brings history in, and the last dry run of its current file (counts, refused rows)."""
	doc = frappe.get_doc("Data Import", data_import)
	doc.check_permission("read")
	workflow = procedure_doctype(doc.reference_doctype)
	report = frappe.cache.get_value(dry_run_key(data_import)) if workflow else None
	return {
		"applies": bool(workflow),
		"may_import": may_import(),
		"report": summary(report) if report else None,
	}


def procedure_doctype(doctype: str) -> bool:
	"""Whether records of `doctype` enter through `enter`."""
	return lifecycle_of(doctype) is not None
