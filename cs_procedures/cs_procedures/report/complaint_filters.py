"""Filters and on-time rules shared by the complaint reports, as SQL over `tabCustomer Complaint` c."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime

from cs_procedures.cs_procedures.report.columns import column

# A sheet counts once it is issued, or once its deadline passed while the complaint is still open
# (a complaint answered by sales alone never needs one).
# (a record brought in as history counts only with both its stamps: see IMPORTED_WITHOUT_STAMPS)
SHEET_COUNTED = (
	"((c.sheet_issued_on is not null and c.sheet_due_by is not null) or (c.docstatus = 0"
	" and c.handled_by_sales_alone = 0 and c.sheet_due_by < %(now)s))"
)
SHEET_ON_TIME = "(c.sheet_issued_on is not null and c.sheet_issued_on <= c.sheet_due_by)"
COUNTERMEASURE_COUNTED = (
	"((c.countermeasure_approved_on is not null and c.countermeasure_due_by is not null)"
	" or (c.docstatus = 0 and c.countermeasure_due_by < %(now)s))"
)
COUNTERMEASURE_ON_TIME = (
	"(c.countermeasure_approved_on is not null and c.countermeasure_approved_on <= c.countermeasure_due_by)"
)

# history brought in (cs_procedures/history.py) counts in every figure; its on-time only where the
# file gave the stamps: these are the records that had none
IMPORTED = "(c.imported_from is not null and c.imported_from != '')"
IMPORTED_WITHOUT_STAMPS = f"({IMPORTED} and not {SHEET_COUNTED} and not {COUNTERMEASURE_COUNTED})"


def history_columns() -> list[dict]:
	"""How many of a group's complaints were brought in as history, and how many of those had no stamps."""
	return [
		column("imported", _("Imported as History"), "Int", width=140),
		column("imported_without_stamps", _("Imported without Stamps"), "Int", width=160),
	]


def history_message(without_stamps: int) -> str | None:
	"""What the on-time figures leave out: complaints brought in as history without their stamps."""
	if not without_stamps:
		return None
	return _(
		"{0} of these complaints were brought in as history without the stamps of their sheet or countermeasure: they count in every figure but the on-time percentages."
	).format(without_stamps)


EQUALITY_FILTERS = ("customer", "complaint_type", "item_code", "workflow_state")
# a department is responsible for a complaint when the sheet names it (000 III-2.1)
NAMES_DEPARTMENT = (
	"(c.responsible_department = %(responsible_department)s or exists (select 1 from `tabComplaint Responsibility` d"
	" where d.parent = c.name and d.parenttype = 'Customer Complaint' and d.department = %(responsible_department)s))"
)
# the countermeasure of one named department d: counted and on time by its own approval
PART_COUNTED = "(d.approved_on is not null or (c.docstatus = 0 and c.countermeasure_due_by < %(now)s))"
PART_ON_TIME = "(d.approved_on is not null and d.approved_on <= c.countermeasure_due_by)"


def where_clause(filters) -> tuple[str, dict]:
	"""SQL conditions and values for the common report filters."""
	filters = frappe._dict(filters or {})
	if filters.from_date and filters.to_date and getdate(filters.from_date) > getdate(filters.to_date):
		frappe.throw(_("From Date must be before To Date."), title=_("Invalid Filters"))
	# "in (0, 1)", not "< 2": two ranges of the (docstatus, received_on) index rather than every
	# complaint's entry with its period checked one by one
	clauses, values = ["c.docstatus in (0, 1)"], {"now": now_datetime()}
	if filters.from_date:
		clauses.append("c.received_on >= %(from_date)s")
		values["from_date"] = getdate(filters.from_date)
	if filters.to_date:
		clauses.append("c.received_on < %(to_date)s")
		values["to_date"] = add_days(getdate(filters.to_date), 1)
	for field in EQUALITY_FILTERS:
		if filters.get(field):
			clauses.append(f"c.{field} = %({field})s")
			values[field] = filters.get(field)
	if filters.get("responsible_department"):
		clauses.append(NAMES_DEPARTMENT)
		values["responsible_department"] = filters.responsible_department
	return " and ".join(clauses), values
