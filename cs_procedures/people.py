"""Who acts in the procedures: department heads and vice presidents."""

import frappe
from frappe.utils.user import get_users_with_role

from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings

DEPARTMENT_HEAD_ROLE = "CS Department Head"
VICE_PRESIDENT_ROLE = "CS Vice President"


def user_department(user: str | None = None) -> str | None:
	"""The department of the user's active Employee record."""
	return frappe.db.get_value(
		"Employee", {"user_id": user or frappe.session.user, "status": "Active"}, "department"
	)


def department_heads(department: str | None) -> list[str]:
	"""Enabled users with the department-head role whose Employee belongs to `department`."""
	if not department:
		return []
	employees = frappe.get_all(
		"Employee",
		filters={"department": department, "status": "Active", "user_id": ("is", "set")},
		pluck="user_id",
	)
	heads = set(get_users_with_role(DEPARTMENT_HEAD_ROLE))  # enabled users only
	return sorted(u for u in employees if u in heads)


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
