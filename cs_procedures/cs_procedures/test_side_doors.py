# ruff: noqa: B023 - each request lambda is called at once by `refused`, inside its loop
"""The hostile-request matrix (issue 18): generated from the doctype metadata and the workflows, so
that a new doctype, child table, workflow state or permission level is covered without a new test.

For every doctype of the app (and every table of the app on an ERPNext doctype), as a user of each
CS role, System Manager and a customer's portal user, over HTTP as the desk or a script sends them:

- rows: `PUT`, `POST` and `DELETE /api/resource/<row doctype>`, `frappe.client.save` and
  `frappe.client.delete` of a row, and a save of the record whose table carries another record's row;
- the workflow: `PUT` of `workflow_state` to every state the role may not move the record to from
  each state (as `apply_workflow` judges: role, condition, self-approval), `docstatus` 1 without
  a workflow action, and a cancel sent as a save with another field changed;
- `frappe.client.set_value` of each field at a permission level the role reads but may not write,
  of each Set Only Once field, and `frappe.client.delete` of a record past its first state.

Each request must be refused (4xx) and leave the stored record exactly as it was. Records are made
from the metadata (`testing.sample_record`) and put in each state directly in the database.
"""

import json

import frappe
from frappe.model import no_value_fields, table_fields
from frappe.model.workflow import get_transitions, get_workflow_name, has_approval_access
from frappe.tests.utils import FrappeTestCase

from cs_procedures import history
from cs_procedures.procedures import history as history_rules
from cs_procedures.testing import Fixtures, HttpUser, as_user, sample_record, set_stored_state

CUSTOMER = "_CS Side Door Customer"
PORTAL_USER = "sd.portal@cs-portal.example"
DEPARTMENT = "CS Side Door Department"
ROLE_USERS = {
	"CS Manager": "sd.manager@example.com",
	"CS Officer": "sd.officer@example.com",
	"CS Department Head": "sd.head@example.com",
	"CS Vice President": "sd.vp@example.com",
	"CS Verifier": "sd.verifier@example.com",
	"CS Reviewer": "sd.reviewer@example.com",
	"CS General Manager": "sd.gm@example.com",
	"Stock User": "sd.store@example.com",
	"Quality Manager": "sd.quality@example.com",
	"Maintenance User": "sd.service@example.com",
	"System Manager": "sd.sysmanager@example.com",
}
# refusals that say nothing about the guards: the record must be valid enough not to fail this way
NOT_A_GUARD = {"LinkValidationError", "MandatoryError", "DoesNotExistError", "InvalidSelectError"}
TALLY = {}


def app_doctypes() -> list[str]:
	return sorted(frappe.get_all("DocType", filters={"module": "CS Procedures"}, pluck="name"))


def record_doctypes() -> list[str]:
	"""The app's doctypes with records (not child tables, not singles), and the ERPNext doctypes
	that carry a table of the app."""
	own = [
		name
		for name in app_doctypes()
		if not frappe.get_meta(name).istable and not frappe.get_meta(name).issingle
	]
	carriers = frappe.get_all(
		"Custom Field",
		filters={"module": "CS Procedures", "fieldtype": ("in", list(table_fields))},
		pluck="dt",
		distinct=True,
	)
	return own + sorted(carriers)


def child_tables(doctype: str) -> list:
	return [df for df in frappe.get_meta(doctype).get_table_fields() if is_app_doctype(df.options)]


def is_app_doctype(doctype: str) -> bool:
	return frappe.get_meta(doctype).module == "CS Procedures"


def states_of(doctype: str) -> list[str]:
	name = get_workflow_name(doctype)
	if not name:
		return [None]
	states = []
	for row in frappe.get_cached_doc("Workflow", name).states:
		if row.state not in states:
			states.append(row.state)
	return states


def print_tally(fixtures):
	print(
		"\nside-door matrix: "
		+ ", ".join(f"{door} {count}" for door, count in sorted(TALLY.items()))
		+ f"; {sum(TALLY.values())} hostile requests"
	)


FIXTURES = Fixtures(
	users={
		user: ([role], DEPARTMENT) if role in ("CS Department Head", "CS Verifier", "CS Reviewer") else [role]
		for role, user in ROLE_USERS.items()
	},
	departments=[DEPARTMENT],
	customers=[CUSTOMER],
	portal_users={PORTAL_USER: CUSTOMER},
	clean_up=print_tally,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def make(doctype: str, state: str | None = None, owner: str = "Administrator"):
	doc = sample_record(doctype, customer=CUSTOMER, owner=owner, created=FIXTURES.created)
	if state:
		set_stored_state(doc, state)
	frappe.db.commit()
	return frappe.get_doc(doctype, doc.name)


def snapshot(doctype: str, name: str) -> str:
	frappe.db.rollback()  # a fresh read: what the requests committed
	if not frappe.db.exists(doctype, name):
		return "deleted"
	return json.dumps(frappe.get_doc(doctype, name).as_dict(), sort_keys=True, default=str)


class TestSideDoors(FrappeTestCase):
	http: dict

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.http = {}

	def setUp(self):
		self.failures = []

	def client(self, user: str) -> HttpUser:
		if user not in self.http:
			self.http[user] = HttpUser(user)
		return self.http[user]

	def users(self):
		return [*ROLE_USERS.values(), PORTAL_USER]

	def refused(self, door: str, record, user: str, request, records=()):
		"""Send `request(client)`: it must be refused and leave `record` (and `records`) unchanged."""
		watched = [(record.doctype, record.name), *records]
		before = [snapshot(*key) for key in watched]
		response = request(self.client(user))
		after = [snapshot(*key) for key in watched]
		TALLY[door] = TALLY.get(door, 0) + 1
		body = {}
		try:
			body = response.json or {}
		except Exception:
			pass
		where = f"{door}: {record.doctype} {record.name} as {user}"
		if not 400 <= response.status_code < 500:
			self.failures.append(f"{where}: accepted ({response.status_code}) {response.text[-200:]}")
		elif body.get("exc_type") in NOT_A_GUARD:
			self.failures.append(f"{where}: refused for another reason ({body.get('exc_type')})")
		if after != before:
			self.failures.append(f"{where}: the record changed")

	def assertNoFailures(self):  # noqa: N802 - unittest's naming
		self.assertFalse(self.failures, "\n".join(self.failures[:40]) + f"\n({len(self.failures)} in all)")

	# --- rows ------------------------------------------------------------------------------------

	def test_rows_only_through_their_record(self):
		for doctype in record_doctypes():
			tables = child_tables(doctype)
			if not tables:
				continue
			states = states_of(doctype)
			for state in {states[0], states[-1]}:
				record = make(doctype, state)
				if len(states) == 1 and frappe.get_meta(doctype).is_submittable and state == states[-1]:
					set_stored_state(record, None, docstatus=1)  # the submitted one
					frappe.db.commit()
					record = frappe.get_doc(doctype, record.name)
				for table in tables:
					row = record.get(table.fieldname)[0]
					self.row_doors(record, table, row)
		for doctype in app_doctypes():  # the settings' tables too
			if frappe.get_meta(doctype).issingle:
				record = frappe.get_single(doctype)
				for table in child_tables(doctype):
					if record.get(table.fieldname):
						self.row_doors(record, table, record.get(table.fieldname)[0])
		self.assertNoFailures()

	def row_doors(self, record, table, row):
		child = table.options
		field = first_value_field(child)
		# a text field gets hostile text; a link keeps a valid value (Frappe checks links before anything)
		value = row.get(field) if frappe.get_meta(child).get_field(field).fieldtype == "Link" else None
		for user in self.users():
			self.refused(
				"row PUT",
				record,
				user,
				lambda c, row=row: c.put(child, row.name, {field: value or "changed by a side door"}),
			)
			self.refused(
				"row POST",
				record,
				user,
				lambda c: c._call(
					"post",
					f"/api/resource/{child}",
					json={
						"parent": record.name,
						"parenttype": record.doctype,
						"parentfield": table.fieldname,
						field: value or "planted by a side door",
					},
				),
			)
			self.refused("row DELETE", record, user, lambda c, row=row: c.delete(child, row.name))
			self.refused(
				"row frappe.client.save",
				record,
				user,
				lambda c, row=row: c.post(
					"frappe.client.save", {"doc": {**row.as_dict(convert_dates_to_str=True), field: "x"}}
				),
			)
			if record.docstatus != 0:  # Frappe deletes a row through its record's save: judged by the record
				self.refused(
					"row frappe.client.delete",
					record,
					user,
					lambda c, row=row: c.post("frappe.client.delete", {"doctype": child, "name": row.name}),
				)

	def test_no_row_of_another_record(self):
		for doctype in record_doctypes():
			tables = child_tables(doctype)
			if not tables:
				continue
			first = states_of(doctype)[0]
			mine, theirs = make(doctype, first), make(doctype, first)
			for table in tables:
				foreign = theirs.get(table.fieldname)[0].name
				for user in self.users():

					def smuggle(c, table=table, foreign=foreign):
						rows = [r.as_dict(convert_dates_to_str=True) for r in mine.get(table.fieldname)]
						rows.append({**rows[0], "name": foreign})
						return c.put(mine.doctype, mine.name, {table.fieldname: rows})

					self.refused(
						"row smuggling", mine, user, smuggle, records=[(theirs.doctype, theirs.name)]
					)
		self.assertNoFailures()

	# --- the workflow ----------------------------------------------------------------------------

	def test_workflow_state_only_as_apply_workflow_moves_it(self):
		for doctype in record_doctypes():
			workflow_name = get_workflow_name(doctype)
			if not workflow_name:
				continue
			workflow = frappe.get_cached_doc("Workflow", workflow_name)
			field, states = workflow.workflow_state_field, states_of(doctype)
			for state in states:
				record = make(doctype, state, owner=ROLE_USERS["CS Manager"])
				for user in self.users():
					allowed = self.allowed_moves(record, user)
					for target in states:
						if target == state or target in allowed:
							continue
						self.refused(
							"workflow_state PUT",
							record,
							user,
							lambda c, target=target, record=record: c.put(
								record.doctype, record.name, {field: target}
							),
						)
		self.assertNoFailures()

	def allowed_moves(self, record, user) -> set[str]:
		with as_user(user):
			try:
				doc = frappe.get_doc(record.doctype, record.name)
				return {t.next_state for t in get_transitions(doc) if has_approval_access(user, doc, t)}
			except frappe.PermissionError:
				return set()
			finally:
				frappe.clear_last_message()

	def test_self_approval_refused_on_every_door(self):
		for doctype in record_doctypes():
			workflow_name = get_workflow_name(doctype)
			if not workflow_name:
				continue
			workflow = frappe.get_cached_doc("Workflow", workflow_name)
			for transition in workflow.transitions:
				if transition.allow_self_approval or transition.allowed not in ROLE_USERS:
					continue
				owner = ROLE_USERS[transition.allowed]
				record = make(doctype, transition.state, owner=owner)
				target = next(s for s in workflow.states if s.state == transition.next_state)
				self.refused(
					"self-approval PUT",
					record,
					owner,
					lambda c, record=record, target=target: c.put(
						record.doctype,
						record.name,
						{workflow.workflow_state_field: target.state, "docstatus": int(target.doc_status)},
					),
				)
				self.refused(
					"self-approval apply_workflow",
					record,
					owner,
					lambda c, record=record, transition=transition: c.apply_workflow(
						frappe.get_doc(record.doctype, record.name), transition.action
					),
				)
		self.assertNoFailures()

	def test_docstatus_only_through_the_procedure(self):
		for doctype in record_doctypes():
			meta = frappe.get_meta(doctype)
			if not meta.is_submittable or not is_app_doctype(doctype):
				continue
			workflow = get_workflow_name(doctype)
			states = states_of(doctype)
			draft = make(doctype, states[0])
			submitted = make(doctype, self.submitted_state(doctype) if workflow else None)
			if not workflow:
				set_stored_state(submitted, None, docstatus=1)
				frappe.db.commit()
			field = first_value_field(doctype)
			for user in self.users():
				if workflow:
					self.refused(
						"docstatus 1 by PUT",
						draft,
						user,
						lambda c: c.put(draft.doctype, draft.name, {"docstatus": 1}),
					)
					self.refused(
						"frappe.client.cancel",
						submitted,
						user,
						lambda c: c.post(
							"frappe.client.cancel", {"doctype": submitted.doctype, "name": submitted.name}
						),
					)
				self.refused(
					"cancel sent as a save",
					submitted,
					user,
					lambda c: c.put(
						submitted.doctype,
						submitted.name,
						{"docstatus": 2, field: "rewritten while cancelling"},
					),
				)
		self.assertNoFailures()

	def test_history_only_through_the_import(self):
		"""A record decided before the app (`history.enter`) comes only through Data Import as the
		importer's role: a POST of a new record in a state history enters, or of a live one carrying
		the import's marks, and a change of the marks on a stored record are refused."""
		for doctype in record_doctypes():
			lifecycle = history.lifecycle_of(doctype) if is_app_doctype(doctype) else None
			if lifecycle is None:
				continue
			field, procedure, doc_status = lifecycle
			record = make(doctype)
			values = new_record_values(record)
			posts = [
				{**values, field: state} for state in history_rules.history_states(procedure, doc_status)
			]
			posts.append({**values, "imported_from": "a forged import", "imported_by": "Administrator"})
			for user in self.users():
				for body in posts:
					count = frappe.db.count(doctype)
					self.refused(
						"history by POST",
						record,
						user,
						lambda c: c._call("post", f"/api/resource/{doctype}", json=body),
					)
					if frappe.db.count(doctype) != count:
						self.failures.append(f"history by POST: {doctype} as {user} made a record")
				self.refused(
					"import marks by PUT",
					record,
					user,
					lambda c: c.put(doctype, record.name, {"imported_by": user}),
				)
		self.assertNoFailures()

	def submitted_state(self, doctype: str) -> str:
		workflow = frappe.get_cached_doc("Workflow", get_workflow_name(doctype))
		return next((s.state for s in workflow.states if s.doc_status == "1"), workflow.states[-1].state)

	# --- fields and deletion ---------------------------------------------------------------------

	def test_procedure_fields_and_fixed_fields(self):
		for doctype in record_doctypes():
			if not is_app_doctype(doctype):
				continue
			meta = frappe.get_meta(doctype)
			record = evidence_record(doctype)
			fixed = [
				df
				for df in meta.fields
				if df.set_only_once
				and df.fieldtype not in no_value_fields
				and df.fieldname != "naming_series"
			]
			for user in self.users():
				with as_user(user):
					readable = set(meta.get_permlevel_access("read", user=user))
					writable = set(meta.get_permlevel_access("write", user=user))
				forged = [
					df
					for df in meta.get_high_permlevel_fields()
					if df.permlevel in readable - writable and df.fieldtype not in table_fields
				]
				for df in forged + fixed:
					value = other_value(df, record.get(df.fieldname))
					if value is None:
						continue
					self.refused(
						"frappe.client.set_value",
						record,
						user,
						lambda c, df=df, value=value: c.post(
							"frappe.client.set_value",
							{
								"doctype": doctype,
								"name": record.name,
								"fieldname": df.fieldname,
								"value": value,
							},
						),
					)
				if is_evidence(record):
					self.refused(
						"frappe.client.delete",
						record,
						user,
						lambda c: c.post("frappe.client.delete", {"doctype": doctype, "name": record.name}),
					)
		self.assertNoFailures()

	def test_evidence_attachments_stay(self):
		for doctype in record_doctypes():
			if not is_app_doctype(doctype):
				continue
			record = evidence_record(doctype)
			if not is_evidence(record):
				continue
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "evidence.txt",
					"content": b"signed copy",
					"attached_to_doctype": doctype,
					"attached_to_name": record.name,
					"is_private": 1,
				}
			).insert(ignore_permissions=True)
			frappe.db.commit()
			for user in self.users():
				self.refused(
					"attachment DELETE", file, user, lambda c, file=file: c.delete("File", file.name)
				)
				self.refused(
					"attachment made public",
					file,
					user,
					lambda c, file=file: c.put("File", file.name, {"is_private": 0}),
				)
		self.assertNoFailures()

	def test_a_file_of_ones_own_does_not_open_another_private_file(self):
		record = make("Customer Complaint")
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "IMG_0001.png",
				"content": b"\x89PNG another customer's photo",
				"attached_to_doctype": record.doctype,
				"attached_to_name": record.name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		self.assertNotIn("IMG_0001", file.file_url)  # stored under a random name
		self.assertTrue(file.file_url.startswith("/private/files/"))
		for user in self.users():
			with as_user(user):
				reads_the_record = frappe.has_permission(record.doctype, "read", record.name)
			if reads_the_record:
				continue  # they can open the photo already: a File of their own gives them nothing more
			before = frappe.db.count("File", {"file_url": file.file_url})
			response = self.client(user)._call(
				"post", "/api/resource/File", json={"file_url": file.file_url, "is_private": 1}
			)
			TALLY["File at another's private URL"] = TALLY.get("File at another's private URL", 0) + 1
			self.assertTrue(400 <= response.status_code < 500, f"{user}: {response.status_code}")
			self.assertEqual(frappe.db.count("File", {"file_url": file.file_url}), before)
			self.assertEqual(self.client(user).get(file.file_url).status_code, 403)
		self.assertEqual(self.client(PORTAL_USER).get(file.file_url).status_code, 403)


def evidence_record(doctype: str):
	"""A record past its first state: the last state of its workflow, else submitted if it can be."""
	states = states_of(doctype)
	record = make(doctype, states[-1] if len(states) > 1 else None)
	if len(states) == 1 and frappe.get_meta(doctype).is_submittable:
		set_stored_state(record, None, docstatus=1)
		frappe.db.commit()
	return frappe.get_doc(doctype, record.name)


def is_evidence(record) -> bool:
	doc = frappe.get_doc(record.doctype, record.name)
	return doc.is_evidence() if hasattr(doc, "is_evidence") else doc.docstatus != 0


def first_value_field(doctype: str) -> str:
	"""A plain text field of the doctype, to carry a hostile value."""
	meta = frappe.get_meta(doctype)
	for fieldtype in ("Small Text", "Text", "Data", "Text Editor"):
		for df in meta.fields:
			if df.fieldtype == fieldtype and not df.options and not df.read_only:
				return df.fieldname
	return next(df.fieldname for df in meta.fields if df.fieldtype not in no_value_fields)


def other_value(df, value):
	"""A value different from `value`, of the field's type (None when there is none to try)."""
	if df.fieldtype in ("Data", "Small Text", "Text", "Text Editor", "Long Text"):
		return f"{value or ''} forged"
	if df.fieldtype in ("Int", "Check"):
		return 0 if value else 1
	if df.fieldtype in ("Float", "Currency", "Percent"):
		return (value or 0) + 7
	if df.fieldtype == "Date":
		return "2001-01-01"
	if df.fieldtype == "Datetime":
		return "2001-01-01 09:00:00"
	if df.fieldtype == "Select":
		options = [o for o in (df.options or "").split("\n") if o and o != value]
		return options[0] if options else None
	if df.fieldtype == "Link" and df.options == "User":
		return "Administrator" if value != "Administrator" else "Guest"
	return None


def new_record_values(record) -> dict:
	"""What a client would POST to make a record like `record`: its values and rows, without names."""
	skip = {"name", "creation", "modified", "modified_by", "owner", "docstatus", "idx", "amended_from"}
	values = {
		k: v for k, v in record.as_dict(convert_dates_to_str=True, no_nulls=True).items() if k not in skip
	}
	for table in record.meta.get_table_fields():
		values[table.fieldname] = [
			{k: v for k, v in row.items() if k not in skip | {"parent", "parenttype", "parentfield"}}
			for row in values.get(table.fieldname, [])
		]
	return values
