"""Server-side guards shared by the procedures: the rules that hold against the stored document,
whatever a client sends (REST, `run_doc_method`, `frappe.client.submit`, the portal).

Frappe's "read only" and a workflow's "only allow edit for" are hints to the desk; these are not.
"""

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.model.document import Document
from frappe.model.workflow import (
	WorkflowPermissionError,
	get_workflow_name,
	has_approval_access,
	is_transition_condition_satisfied,
)
from frappe.utils import add_to_date, cint, cstr, flt, get_datetime, get_time, getdate, now_datetime

from cs_procedures import history

ADMINISTRATOR = "Administrator"


def is_administrator() -> bool:
	return frappe.session.user == ADMINISTRATOR


def has_role(*roles: str) -> bool:
	return is_administrator() or bool(set(roles) & set(frappe.get_roles()))


def refuse_deletion(doc, reason: str | None) -> None:
	"""Evidence stays: once a record has left its first state only Administrator may delete it
	(the procedures dismiss records through their own states, which keep the trace)."""
	if reason and not is_administrator():
		frappe.throw(
			_("{0} {1} cannot be deleted: {2}").format(_(doc.doctype), doc.name, reason),
			frappe.PermissionError,
			title=_("Record Kept as Evidence"),
		)


def issued_status_map(issued: str, done: str, is_done) -> tuple:
	"""The `STATUS_MAP` of a record issued by submitting it: Draft, then `issued`, then `done` once
	`is_done(doc)` holds, or Cancelled."""
	return (
		("Draft", None),
		(issued, lambda doc: doc.docstatus == 1),
		(done, lambda doc: doc.docstatus == 1 and is_done(doc)),
		("Cancelled", lambda doc: doc.docstatus == 2),
	)


def keep_after_first_state(doc, first_state: str, reason: str) -> None:
	"""`refuse_deletion` of a workflow record once submitted or past its `first_state`, saying `reason`."""
	refuse_deletion(doc, None if doc.docstatus == 0 and doc.workflow_state in (None, first_state) else reason)


def approval_lock(doc, before, submitted: str, approver_role: str, message: str) -> bool:
	"""Whether `doc` moves to another workflow state. A record waiting for approval (in `submitted`)
	changes only by such a move or by the `approver_role`; any other change is refused with `message`."""
	old_state = before.workflow_state if before else None
	moving = before is not None and doc.workflow_state != old_state
	if old_state == submitted and not moving and not has_role(approver_role):
		refuse(message, title=_("Awaiting Approval"))
	return moving


def rule_error(messages: dict, code, *args, title: str | None = None, exc=frappe.ValidationError) -> None:
	"""The one shape of a broken rule: the pure rules return a code, each controller maps its codes to
	translated messages (`{code: lambda *args: _("...").format(*args)}`) and calls this with the
	message's arguments; nothing happens when the code is None."""
	if code:
		frappe.throw(messages[code](*args), exc, title=title or _("Not Allowed"))


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
	if df.fieldtype == "Time":
		return get_time(value).replace(microsecond=0)
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
	"""A record of a procedure, kept as evidence. Whatever door a change comes through (the desk, a
	REST save, `frappe.client.set_value`, a submit or cancel sent as a save, `apply_workflow`), before
	any of the record's own methods run it is judged against the stored record (`check_evidence`):

	- a workflow state changes only as `apply_workflow` would change it: a transition from the
	  stored state to this one, allowed to one of the user's roles, its condition true of the stored
	  record, not approved by the record's owner where the transition forbids self-approval, and to
	  the document status of the new state; a document status changes only with its state;
	- in each state only the roles the workflow lets edit it ("only allow edit for") change anything,
	  and a field listed in `EDITABLE_IN` changes only in the states named there;
	- rows are the stored rows of this record (a row name of another record is refused);
	- a cancel changes nothing but the state, and an update after submit adds or removes no row of
	  a table that does not allow it;
	- a date in `NOT_IN_FUTURE` does not lie in the future;
	- fields at a permission level the user may read but not write are refused when they differ
	  (`validate_higher_perm_levels`), not silently put back.
	Frappe's Set Only Once (`set_only_once`) holds on every save.
	"""

	# field (or table, or "table.field") -> the stored states in which it may change
	EDITABLE_IN: dict = {}
	# Date or Datetime fields that cannot lie in the future
	NOT_IN_FUTURE: tuple = ()
	# the `status` a record without a workflow shows, derived from the record in the style of
	# ERPNext's status_updater: (status, condition or None), the last whose condition holds wins
	STATUS_MAP: tuple = ()

	def check_if_latest(self):
		"""The first step of an insert that knows the record: a record an import brings enters
		live or as history (`history.enter`), before permissions and validation."""
		if self.is_new() and not self.flags.history_judged:
			self.flags.history_judged = True
			history.enter(self)
		super().check_if_latest()

	def run_method(self, method, *args, **kwargs):
		"""History enters as it was: none of the procedure's steps (its controller's and the hooks'
		methods, notifications, webhooks) runs while it is inserted."""
		if self.flags.history and self.get("__islocal"):
			return None
		return super().run_method(method, *args, **kwargs)

	def run_before_save_methods(self):
		check_evidence(self)
		super().run_before_save_methods()
		self.set_status()

	def set_status(self, update: bool = False) -> None:
		"""The status the `STATUS_MAP` gives the record; `update`: written (with a version) on the
		stored record, after the procedure changed what the status depends on outside a save."""
		status = next((s for s, holds in reversed(self.STATUS_MAP) if holds is None or holds(self)), None)
		if status and status != self.get("status"):
			if update:
				stamp(self, {"status": status})
			else:
				self.status = status

	def validate_workflow(self):
		"""After the record's own validation (whose messages say more), before Frappe's: the move
		and the edits the client sent, judged against the stored record (see `check_evidence`).
		History enters in the state it was decided in (`history.enter` judged it)."""
		if self.flags.history and self.get("__islocal"):
			return
		judge_moves_and_edits(self)
		super().validate_workflow()

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
		# a table the procedure writes: a row added or removed is forged too
		forged += [
			df
			for df in fields
			if df.fieldtype in table_fields
			and {row.name for row in self.get(df.fieldname)}
			!= {row.name for row in reference.get(df.fieldname)}
		]
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

	def is_evidence(self) -> bool:
		"""Whether the record has left its first state (submitted, cancelled, or moved on by its
		workflow): its attachments are then kept as they are."""
		if self.docstatus != 0:
			return True
		workflow = workflow_of(self.doctype)
		return bool(workflow) and self.get(workflow.workflow_state_field) not in (
			None,
			workflow.states[0].state,
		)


class ProcedureRow(Document):
	"""A row of a procedure's table. Frappe serves child rows on their own too (`PUT`, `POST` and
	`DELETE /api/resource/<row doctype>`, `frappe.client.save`), which saves a row of a submitted
	record without any of its record's checks: a row is written, added and deleted only through its
	record's save (`ProcedureDocument.check_evidence`), for everyone."""

	def check_permission(self, permtype="read", permlevel=None):
		if permtype not in READ_PERMISSIONS and not self.flags.ignore_permissions:
			refuse_row_door(self)
		super().check_permission(permtype, permlevel)

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if permtype not in READ_PERMISSIONS and not self.flags.ignore_permissions:
			return False
		return super().has_permission(permtype, debug=debug, user=user)

	def on_trash(self):
		if not self.flags.ignore_permissions:
			refuse_row_door(self)


READ_PERMISSIONS = ("read", "select", "print", "email", "export", "report")


def refuse_platform_row_door(row, method=None) -> None:
	"""`validate` and `on_trash` of an ERPNext table whose rows carry the app's fields
	(`footprint.PLATFORM_ROWS`): they run only when the row is saved or deleted on its own, never when
	its record is saved, so each is a side door (`PUT`/`POST`/`DELETE /api/resource/<row doctype>`)."""
	if not row.flags.ignore_permissions:
		refuse_row_door(row)


def refuse_row_door(row) -> None:
	parent = row.parenttype or _("its record")
	refuse(
		_("A row of {0} is changed, added or removed only by saving {1} itself.").format(
			_(row.doctype), _(parent)
		),
		title=_("Change the Record, Not the Row"),
	)


# --- the judgement of every save of a procedure's record --------------------------------------

# fields Frappe sets on every save, never part of what the user changed
SYSTEM_FIELDS = {"modified", "modified_by", "creation", "owner", "idx", "docstatus", "_user_tags"}


def workflow_of(doctype: str):
	name = get_workflow_name(doctype)
	return frappe.get_cached_doc("Workflow", name) if name else None


def check_evidence(doc) -> None:
	"""Judge a save, submit or cancel of `doc` against its stored record (see ProcedureDocument),
	before any of the record's own methods run: what cannot wait is refused here; the changes the
	client sent are noted for `judge_moves_and_edits`, which runs after the record's validation (a
	cancel runs none, so it is judged here at once)."""
	doc.flags.evidence_changes = None
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch:
		return
	before = doc.get_doc_before_save()
	workflow = workflow_of(doc.doctype)
	check_not_in_future(doc, before)
	if before is None:
		check_new_record(doc, workflow)
		return
	check_row_names(doc, before)
	if workflow:
		check_status_moves_with_state(doc, before, workflow)
	if doc._action == "cancel":
		check_cancel_changes_nothing(doc, before, workflow)
		if workflow:
			judge_workflow_move(doc, before, workflow)
		return
	if doc._action == "update_after_submit":
		check_rows_after_submit(doc, before)
	doc.flags.evidence_changes = changed_fields(doc, before)
	if doc.flags.evidence_changes & set(history.IMPORT_FIELDS) and not is_administrator():
		history.refuse_import_fields()


def judge_moves_and_edits(doc) -> None:
	changes = doc.flags.evidence_changes
	before = doc.get_doc_before_save()
	workflow = workflow_of(doc.doctype)
	if changes is None or before is None or not workflow:
		return
	judge_workflow_move(doc, before, workflow)
	if before.docstatus == 0:
		judge_edit(doc, before, workflow, changes)


def check_new_record(doc, workflow) -> None:
	"""A new record enters its workflow at the first state, as a draft (history excepted: see
	`history.enter`); only the import writes its stamps."""
	if doc.flags.history:
		return
	history.check_import_fields(doc)
	if not workflow or doc.flags.ignore_permissions:
		return
	first = workflow.states[0]
	state = doc.get(workflow.workflow_state_field)
	if (state and state != first.state) or doc.docstatus != cint(first.doc_status):
		refuse(
			_("A new {0} starts as {1}; it moves on through the workflow actions.").format(
				_(doc.doctype), _(first.state)
			),
			title=_("Use the Workflow Actions"),
		)


def check_row_names(doc, before) -> None:
	"""Rows are this record's stored rows or new ones: a row name of another record (which Frappe
	would move into this one) or an invented one is refused."""
	for table in doc.meta.get_table_fields():
		stored = {row.name for row in before.get(table.fieldname)}
		rows = doc.get(table.fieldname)
		foreign = [row.name for row in rows if not row.get("__islocal") and row.name not in stored]
		new_names = [row.name for row in rows if row.get("__islocal") and row.name]
		if new_names:
			foreign += frappe.get_all(table.options, filters={"name": ("in", new_names)}, pluck="name")
		if foreign:
			refuse(
				_("{0}: rows {1} are not rows of {2} {3}.").format(
					_(table.label or table.fieldname), ", ".join(foreign[:5]), _(doc.doctype), doc.name
				),
				title=_("Not This Record's Rows"),
			)


def check_app_rows(doc, method=None) -> None:
	"""`validate` of an ERPNext doctype that carries a table of the app (Maintenance Visit's parts):
	its rows are its own too."""
	before = doc.get_doc_before_save()
	if before is not None:
		check_row_names(doc, before)


def check_not_in_future(doc, before) -> None:
	limit = add_to_date(now_datetime(), minutes=5)  # the clocks of the desk and the server
	for field in getattr(doc, "NOT_IN_FUTURE", ()):
		value = doc.get(field)
		if value and (before is None or changed_value(doc, before, field)) and get_datetime(value) > limit:
			frappe.throw(
				_("{0} cannot lie in the future.").format(_(doc.meta.get_label(field))),
				title=_("Date in the Future"),
			)


def check_status_moves_with_state(doc, before, workflow) -> None:
	"""A document status changes only with its workflow state, to the status of the new state
	(Frappe itself would move a bare `docstatus: 1` to the first submitted state: a closed complaint
	with nothing done)."""
	field = workflow.workflow_state_field
	old, new = before.get(field), doc.get(field)
	if old == new:
		if doc.docstatus != before.docstatus:
			frappe.throw(
				_("{0} {1} is submitted or cancelled only through an action of its workflow.").format(
					_(doc.doctype), doc.name
				),
				WorkflowPermissionError,
				title=_("Use the Workflow Actions"),
			)
		return
	state = next((row for row in workflow.states if row.state == new), None)
	if state is None or doc.docstatus != cint(state.doc_status):
		frappe.throw(
			_("{0} {1} cannot move to {2} this way: use the actions of its workflow.").format(
				_(doc.doctype), doc.name, _(new or "")
			),
			WorkflowPermissionError,
			title=_("Use the Workflow Actions"),
		)


def judge_workflow_move(doc, before, workflow) -> None:
	"""A move of the workflow state, whatever door it came through, as `apply_workflow` judges it:
	a transition from the stored state to this one, allowed to one of the user's roles, its condition
	true of the stored record, and not approved by the record's owner where self-approval is off."""
	field = workflow.workflow_state_field
	old, new = before.get(field), doc.get(field)
	if old == new or doc.flags.ignore_permissions:
		return  # ignore_permissions: a move the procedure itself makes, after its own checks
	user, roles = frappe.session.user, set(frappe.get_roles())
	allowed = [
		t
		for t in workflow.transitions
		if t.state == old
		and t.next_state == new
		and t.allowed in roles
		and is_transition_condition_satisfied(t, before)
	]
	if not allowed:
		frappe.throw(
			_("Workflow State transition not allowed from {0} to {1}").format(_(old), _(new)),
			WorkflowPermissionError,
			title=_("Not Allowed"),
		)
	if not any(has_approval_access(user, before, t) for t in allowed):
		frappe.throw(
			_("Self approval is not allowed"), WorkflowPermissionError, title=_("Not Your Own Record")
		)


def judge_edit(doc, before, workflow, changed: set) -> None:
	"""In each stored state only the roles its workflow lets edit ("only allow edit for") change the
	record, and the fields of `EDITABLE_IN` only in their states (`changed`: what the client sent
	differently from the stored record)."""
	changed = changed - {workflow.workflow_state_field}
	changed -= {row.update_field for row in workflow.states if row.update_field}
	if not changed or doc.flags.ignore_permissions or is_administrator():
		return
	state = before.get(workflow.workflow_state_field)
	editors = {row.allow_edit for row in workflow.states if row.state == state}
	if not editors & set(frappe.get_roles()):
		refuse(
			_("In state {0} only {1} may change {2} {3}.").format(
				_(state), ", ".join(sorted(_(role) for role in editors)), _(doc.doctype), doc.name
			),
			title=_("Not Editable in This State"),
		)
	rules = getattr(doc, "EDITABLE_IN", {})
	fixed = sorted(
		{
			field
			for field in changed
			if state not in rules.get(field, rules.get(field.split(".")[0], (state,)))
		}
	)
	if fixed:
		refuse(
			_("{0} cannot be changed in state {1}.").format(
				", ".join(_(label_of(doc, field)) for field in fixed), _(state)
			),
			title=_("Not Editable in This State"),
		)


def check_cancel_changes_nothing(doc, before, workflow) -> None:
	"""Frappe saves every field sent with a cancel (and runs no validation): a cancel changes the
	state and nothing else."""
	allowed = set()
	if workflow:
		allowed = {workflow.workflow_state_field} | {
			row.update_field for row in workflow.states if row.update_field
		}
	changed = changed_fields(doc, before) - allowed
	if changed:
		refuse(
			_("Cancelling {0} {1} changes nothing else: {2}.").format(
				_(doc.doctype), doc.name, ", ".join(sorted(_(label_of(doc, field)) for field in changed))
			),
			title=_("Cancel Only"),
		)


def check_rows_after_submit(doc, before) -> None:
	"""After submit, rows are added or removed only in tables that allow it (Frappe checks the
	fields of the rows it keeps, not the rows themselves)."""
	for table in doc.meta.get_table_fields():
		if table.allow_on_submit:
			continue
		if {row.name for row in doc.get(table.fieldname)} != {
			row.name for row in before.get(table.fieldname)
		}:
			refuse(
				_("{0} of a submitted {1} cannot gain or lose rows.").format(
					_(table.label or table.fieldname), _(doc.doctype)
				),
				title=_("Submitted"),
			)


def changed_fields(doc, before) -> set[str]:
	"""The fields (and "table" / "table.field" of rows) whose value differs from the stored record."""
	changed = set()
	for df in doc.meta.fields:
		if df.fieldtype in table_fields:
			old_rows = {row.name: row for row in before.get(df.fieldname)}
			rows = doc.get(df.fieldname)
			if set(old_rows) != {row.name for row in rows}:
				changed.add(df.fieldname)
			child = frappe.get_meta(df.options)
			for row in rows:
				old = old_rows.get(row.name)
				if old is not None:
					changed |= {
						f"{df.fieldname}.{cdf.fieldname}"
						for cdf in forged_fields(row, old, value_fields(child))
					}
		elif df.fieldtype not in no_value_fields and not df.is_virtual and df.fieldname not in SYSTEM_FIELDS:
			if changed_value(doc, before, df.fieldname):
				changed.add(df.fieldname)
	return changed


def value_fields(meta) -> list:
	return [
		df
		for df in meta.fields
		if df.fieldtype not in no_value_fields and df.fieldtype not in table_fields and not df.is_virtual
	]


def changed_value(doc, before, fieldname: str) -> bool:
	df = doc.meta.get_field(fieldname)
	return bool(df) and bool(forged_fields(doc, before, [df]))


def label_of(doc, field: str) -> str:
	table, _dot, child_field = field.partition(".")
	if not child_field:
		return doc.meta.get_label(field)
	child = frappe.get_meta(doc.meta.get_field(table).options)
	return f"{doc.meta.get_label(table)} › {child.get_label(child_field)}"


# --- stamps the procedure writes outside a save -----------------------------------------------


def stamp(doc, values: dict, row=None) -> None:
	"""Write the procedure's own `values` on a stored record (or one of its rows) without a save, and
	leave the change in the record's history (a Version), as a save would."""
	target = row or doc
	changed = [
		[field, target.get(field), value] for field, value in values.items() if target.get(field) != value
	]
	if not changed:
		return
	target.db_set(values)
	data = {"row_changed": [[row.parentfield, row.idx, row.name, changed]]} if row else {"changed": changed}
	frappe.get_doc(
		{"doctype": "Version", "ref_doctype": doc.doctype, "docname": doc.name, "data": frappe.as_json(data)}
	).insert(ignore_permissions=True)
