"""Who acts in the procedures: the roles, departments and their heads, and the rule that a
department edits only its own rows of a record."""

import frappe
from frappe import _
from frappe.utils.user import get_users_with_role

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings

# The roles of the procedures (fixtures/role.json); code names them through these.
CS_MANAGER = "CS Manager"
CS_OFFICER = "CS Officer"  # the sales / customer-service staff (市场部业务员)
DEPARTMENT_HEAD_ROLE = "CS Department Head"
REVIEWER_ROLE = "CS Reviewer"
VERIFIER_ROLE = "CS Verifier"
GENERAL_MANAGER_ROLE = "CS General Manager"
VICE_PRESIDENT_ROLE = "CS Vice President"


def user_department(user: str | None = None) -> str | None:
	"""The department of the user's active Employee record."""
	return frappe.db.get_value(
		"Employee", {"user_id": user or frappe.session.user, "status": "Active"}, "department"
	)


def department_heads(department: str | None) -> list[str]:
	"""Enabled users with the department-head role whose Employee belongs to `department`."""
	return department_members(department, roles=(DEPARTMENT_HEAD_ROLE,))


def department_members(department: str | None, roles=(REVIEWER_ROLE, DEPARTMENT_HEAD_ROLE)) -> list[str]:
	"""Enabled users holding one of `roles` whose active Employee belongs to `department`."""
	if not department:
		return []
	employees = frappe.get_all(
		"Employee",
		filters={"department": department, "status": "Active", "user_id": ("is", "set")},
		pluck="user_id",
	)
	holders = set()
	for role in roles:
		holders |= set(get_users_with_role(role))
	return sorted(u for u in employees if u in holders)


def users_with_role(role: str) -> list[str]:
	return sorted(get_users_with_role(role))


def quality_department() -> str | None:
	"""The department CS Settings routes quality complaints to: it verifies quality issues (001 4.9)."""
	return get_settings().department_map().get("Quality")


def managers() -> list[str]:
	"""The CS managers (业务部主管): enabled users with the role."""
	return users_with_role(CS_MANAGER)


def vice_presidents() -> list[str]:
	configured = get_settings().vice_president
	return [configured] if configured else sorted(get_users_with_role(VICE_PRESIDENT_ROLE))


def changed_rows(doc, table: str) -> list:
	"""Rows of a child table added, changed or deleted since the document was loaded."""
	before = doc.get_doc_before_save()
	old_rows = {row.name: row for row in (before.get(table) if before else [])}
	touched = []
	for row in doc.get(table):
		old = old_rows.pop(row.name, None)
		if old is None or _row_values(old) != _row_values(row):
			touched.append(row)
	return touched + list(old_rows.values())  # deleted rows last


def _row_values(row) -> dict:
	return {df.fieldname: row.get(df.fieldname) for df in row.meta.get("fields") if not df.is_virtual}


def check_own_rows(doc, table: str, may_edit, message) -> list:
	"""A department edits only its own rows: every row of `table` added, changed or deleted since
	the stored document must satisfy `may_edit(row, user, department)`, judged on the stored row
	where there is one (a row cannot be moved into one's own department). Otherwise a
	PermissionError with `message(row)`. Returns the rows changed."""
	before = doc.get_doc_before_save()
	stored = {row.name: row for row in (before.get(table) if before else [])}
	user, own = frappe.session.user, user_department()
	touched = changed_rows(doc, table)
	for row in touched:
		if not may_edit(stored.get(row.name, row), user, own):
			guards.refuse(message(row), title=_("Not Your Department"))
	return touched
