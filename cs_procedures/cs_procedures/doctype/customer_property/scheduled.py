"""The daily job of the customer property register (hooks.py `scheduler_events`). Safe to run any
number of times."""

import frappe
from frappe import _
from frappe.utils import getdate

from cs_procedures import jobs, people
from cs_procedures.notifications import assign
from cs_procedures.procedures import property as rules

DOCTYPE = "Customer Property"
MANAGER_ROLE = people.CS_MANAGER


def remind_lots_stored_a_year(today=None) -> int:
	"""One ToDo per lot still In Store a year after it was received, for its receiver (or else a CS
	manager), so the lot is returned, consumed or disposed of.

	A lot gets its reminder once: the ToDo carries the review date, and a ToDo for the same record
	and date (whatever its status) is never made again. Returns how many ToDos were made.
	"""
	today = getdate(today)
	due = frappe.get_all(
		DOCTYPE,
		filters={
			"status": rules.IN_STORE,
			"received_on": ("<=", rules.add_years(today, -rules.RETENTION_YEARS)),
		},
		fields=["name", "customer", "customer_name", "description", "received_by", "received_on"],
		order_by="received_on asc",
	)
	for row in due:
		row.review_on = rules.storage_review_on(getdate(row.received_on))
	made = jobs.each(
		due,
		lambda row: _remind(row, today),
		doctype=DOCTYPE,
		title=_("Customer property retention reminder failed"),
	)
	return sum(made)


def _remind(row, today) -> bool:
	if not rules.reminder_due(rules.IN_STORE, row.review_on, today):
		return False
	if frappe.db.exists(
		"ToDo", {"reference_type": DOCTYPE, "reference_name": row.name, "date": row.review_on}
	):
		return False
	user = _responsible(row.received_by)
	if not user:
		return False
	assign(
		frappe.get_doc(DOCTYPE, row.name),
		[user],
		_(
			"Customer property {0} ({1}: {2}) has been in store since {3}, a year: ask the customer whether to return it, consume it or dispose of it."
		).format(
			row.name,
			row.customer_name or row.customer,
			row.description,
			frappe.format(row.received_on, "Date"),
		),
		date=row.review_on,
	)
	return True


def _responsible(received_by: str | None) -> str | None:
	if received_by and frappe.db.get_value("User", received_by, "enabled"):
		return received_by
	managers = people.managers()
	return managers[0] if managers else None
