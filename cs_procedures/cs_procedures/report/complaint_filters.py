"""Filters and on-time rules shared by the complaint reports, as SQL over `tabCustomer Complaint` c."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime

# A sheet counts once it is issued, or once its deadline passed while the complaint is still open
# (a complaint answered by sales alone never needs one).
SHEET_COUNTED = (
	"(c.sheet_issued_on is not null or (c.docstatus = 0 and c.handled_by_sales_alone = 0"
	" and c.sheet_due_by < %(now)s))"
)
SHEET_ON_TIME = "(c.sheet_issued_on is not null and c.sheet_issued_on <= c.sheet_due_by)"
COUNTERMEASURE_COUNTED = (
	"(c.countermeasure_approved_on is not null or (c.docstatus = 0 and c.countermeasure_due_by < %(now)s))"
)
COUNTERMEASURE_ON_TIME = (
	"(c.countermeasure_approved_on is not null and c.countermeasure_approved_on <= c.countermeasure_due_by)"
)

EQUALITY_FILTERS = ("customer", "complaint_type", "responsible_department", "item_code", "workflow_state")


def where_clause(filters) -> tuple[str, dict]:
	"""SQL conditions and values for the common report filters."""
	filters = frappe._dict(filters or {})
	if filters.from_date and filters.to_date and getdate(filters.from_date) > getdate(filters.to_date):
		frappe.throw(_("From Date must be before To Date."), title=_("Invalid Filters"))
	clauses, values = ["c.docstatus < 2"], {"now": now_datetime()}
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
	return " and ".join(clauses), values
