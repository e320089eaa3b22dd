"""Customer visits in the site: who acts, which approved plan covers a visit, stamps on new rows.

The rules themselves are in `cs_procedures.procedures.visits`; this module reads the database for
them.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import cint, getdate

from cs_procedures import guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.procedures import visits as rules

CS_MANAGER = people.CS_MANAGER
CS_OFFICER = people.CS_OFFICER
DEPARTMENT_HEAD = people.DEPARTMENT_HEAD_ROLE
GRADE_FIELD = "cs_grade"  # Customer custom field of the customer grading (A-E)


def plan_tolerance() -> int:
	value = get_settings().get("visit_plan_tolerance_days")
	return rules.DEFAULT_PLAN_TOLERANCE if value is None else cint(value)


def covering_plan(salesperson: str, customer: str, visit_date) -> str | None:
	"""The approved visit plan of `salesperson` that lists this visit (000 II-1.2), if any."""
	if not (salesperson and customer and visit_date):
		return None
	visit_date, tolerance = getdate(visit_date), plan_tolerance()
	rows = frappe.get_all(
		"Customer Visit Plan Item",
		filters={
			"parenttype": "Customer Visit Plan",
			"customer": customer,
			"visit_date": (
				"between",
				(visit_date - timedelta(days=tolerance), visit_date + timedelta(days=tolerance)),
			),
		},
		fields=["parent", "visit_date"],
	)
	approved = set(
		frappe.get_all(
			"Customer Visit Plan",
			filters={
				"name": ("in", sorted({row.parent for row in rows}) or [""]),
				"docstatus": 1,
				"salesperson": salesperson,
			},
			pluck="name",
		)
	)
	for row in sorted(rows, key=lambda row: abs((getdate(row.visit_date) - visit_date).days)):
		if row.parent in approved and rules.plan_covers(
			[(customer, getdate(row.visit_date))], customer, visit_date, tolerance
		):
			return row.parent
	return None


def refuse_stamps_on_new_rows(doc, table: str, fields) -> None:
	"""Frappe puts back the procedure's fields of existing rows only: a new row (or a row of a new
	document) sent with a stamp is refused here."""
	if doc.flags.ignore_permissions or guards.is_administrator():
		return
	before = doc.get_doc_before_save()
	stored = {row.name for row in (before.get(table) if before else [])}
	for row in doc.get(table):
		if row.name in stored:
			continue
		forged = [field for field in fields if row.get(field)]
		if forged:
			frappe.throw(
				_("{0} are written by the procedure and cannot be set by hand.").format(
					", ".join(sorted(_(row.meta.get_label(field)) for field in forged))
				),
				frappe.PermissionError,
				title=_("Written by the Procedure"),
			)


def check_own_record(doc, field: str = "salesperson") -> None:
	"""A salesperson plans and records their own visits; a CS manager may act for anyone."""
	if guards.has_role(CS_MANAGER, "System Manager"):
		return
	user = frappe.session.user
	before = doc.get_doc_before_save()
	if doc.get(field) != user or (before is not None and before.get(field) != user):
		guards.refuse(_("You can only plan and record your own customer visits."), title=_("Not Your Visit"))
