"""Server-side guards shared by the procedures: the rules that hold against the stored document,
whatever a client sends (REST, `run_doc_method`, `frappe.client.submit`, the portal).

Frappe's "read only" and a workflow's "only allow edit for" are hints to the desk; these are not.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import WorkflowPermissionError, get_transitions, get_workflow_name
from frappe.utils import cint, cstr, flt, get_datetime, getdate

ADMINISTRATOR = "Administrator"


def is_administrator() -> bool:
	return frappe.session.user == ADMINISTRATOR


def has_role(*roles: str) -> bool:
	return is_administrator() or bool(set(roles) & set(frappe.get_roles()))


def check_workflow_action(doc) -> None:
	"""A workflow document is submitted or cancelled only by a transition of its workflow, from the
	state stored in the database and by a role the transition allows.

	Frappe itself, on `docstatus: 1` without a transition, moves the document to the first submitted
	state of the workflow: that would close a complaint with nothing done.
	"""
	workflow = get_workflow_name(doc.doctype)
	if not workflow:
		return
	field = frappe.get_cached_value("Workflow", workflow, "workflow_state_field")
	before = doc.get_doc_before_save()
	old_state, new_state = (before.get(field) if before else None), doc.get(field)
	allowed = before is not None and new_state != old_state
	if allowed:
		allowed = new_state in {t.next_state for t in get_transitions(before)}
	if not allowed:
		frappe.throw(
			_("{0} {1} can only be submitted or cancelled through an action of its workflow.").format(
				_(doc.doctype), doc.name
			),
			WorkflowPermissionError,
			title=_("Use the Workflow Actions"),
		)


def refuse_deletion(doc, reason: str | None) -> None:
	"""Evidence stays: once a record has left its first state only Administrator may delete it
	(the procedures dismiss records through their own states, which keep the trace)."""
	if reason and not is_administrator():
		frappe.throw(
			_("{0} {1} cannot be deleted: {2}").format(_(doc.doctype), doc.name, reason),
			frappe.PermissionError,
			title=_("Record Kept as Evidence"),
		)


def rule_error(
	messages: dict, code: str | None, title: str | None = None, exc=frappe.ValidationError
) -> None:
	"""The one shape of a broken rule: the pure rules return a code, each controller maps its codes to
	translated messages (`{code: lambda: _("...")}`); nothing happens when the code is None."""
	if code:
		frappe.throw(messages[code](), exc, title=title or _("Not Allowed"))


def refuse(message: str, title: str | None = None) -> None:
	frappe.throw(message, frappe.PermissionError, title=title or _("Not Permitted"))


def _normal(df, value):
	"""A field's value as the database would hold it, to compare what a client sent with what is stored."""
	if value in (None, ""):
		return None
	if df.fieldtype == "Datetime":
		return get_datetime(value).replace(microsecond=0)
	if df.fieldtype == "Date":
		return getdate(value)
	if df.fieldtype in ("Int", "Check"):
		return cint(value) or None
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return flt(value) or None
	return cstr(value)


def forged_fields(doc, reference, fields) -> list:
	"""The fields among `fields` whose value in `doc` differs from `reference`."""
	forged = []
	for df in fields:
		if df.fieldtype in frappe.model.table_fields:
			continue
		try:
			if _normal(df, doc.get(df.fieldname)) != _normal(df, reference.get(df.fieldname)):
				forged.append(df)
		except Exception:  # a value that is not even of the field's type
			forged.append(df)
	return forged


class ProcedureDocument(Document):
	"""A document whose permlevel-1 fields are written by the procedure only.

	Frappe silently puts back a value a user may not write; a record of evidence refuses the request
	instead, with a clear message, so that nobody believes a forged value was accepted."""

	def validate_higher_perm_levels(self):
		if not (self.flags.ignore_permissions or frappe.flags.in_install or is_administrator()):
			forged = self.forged_procedure_fields()
			if forged:
				frappe.throw(
					_("{0} are written by the procedure and cannot be set by hand.").format(
						", ".join(sorted({_(df.label) for df in forged}))
					),
					frappe.PermissionError,
					title=_("Written by the Procedure"),
				)
		super().validate_higher_perm_levels()

	def forged_procedure_fields(self) -> list:
		"""Permlevel fields the user may read but not write whose value differs from the stored one."""
		writable = self.get_permlevel_access("write")
		# a level the user cannot read is not sent back by the desk: Frappe puts it back silently
		readable = set(self.get_permlevel_access("read")) - set(writable)
		if not readable:
			return []
		reference = frappe.new_doc(self.doctype) if self.is_new() else self.get_latest()
		fields = [df for df in self.meta.get_high_permlevel_fields() if df.permlevel in readable]
		forged = forged_fields(self, reference, fields)
		for table in () if self.is_new() else self.meta.get_table_fields():
			child_fields = [
				df
				for df in frappe.get_meta(table.options).get_high_permlevel_fields()
				if df.permlevel in readable
			]
			stored = {row.name: row for row in reference.get(table.fieldname)} if child_fields else {}
			for row in self.get(table.fieldname) if child_fields else ():
				if row.name in stored:
					forged += forged_fields(row, stored[row.name], child_fields)
		return forged
