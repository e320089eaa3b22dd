"""The daily job of the customer property register (hooks.py `scheduler_events`). Safe to run any
number of times."""

import frappe
from frappe import _
from frappe.utils import getdate
from frappe.utils.user import get_users_with_role

from cs_procedures import jobs, people
from cs_procedures.notifications import assign
from cs_procedures.procedures import property as rules

DOCTYPE = "Customer Property"
MANAGER_ROLE = people.CS_MANAGER


def remind_retention_ended(today=None) -> int:
	"""One ToDo per record still In Store whose retention has ended, for its receiver
	(or else a CS manager), so the lot is returned, consumed or disposed of.

	A record gets its reminder once: the ToDo carries the retention date, and a
	ToDo for the same record and date (whatever its status) is never made again.
	Returns how many ToDos were made.
	"""
	today = getdate(today)
	due = frappe.get_all(
		DOCTYPE,
		filters={"status": rules.IN_STORE, "retention_until": ("<=", today)},
		fields=["name", "customer", "customer_name", "description", "received_by", "retention_until"],
		order_by="retention_until asc",
	)
	made = jobs.each(
		due,
		lambda row: _remind(row, today),
		doctype=DOCTYPE,
		title=_("Customer property retention reminder failed"),
	)
	return sum(made)


def _remind(row, today) -> bool:
	if not rules.reminder_due(rules.IN_STORE, getdate(row.retention_until), today):
		return False
	if frappe.db.exists(
		"ToDo", {"reference_type": DOCTYPE, "reference_name": row.name, "date": row.retention_until}
	):
		return False
	user = _responsible(row.received_by)
	if not user:
		return False
	assign(
		frappe.get_doc(DOCTYPE, row.name),
		[user],
		_(
			"The retention of customer property {0} ({1}: {2}) ended on {3}; return it to the customer, or dispose of it."
		).format(
			row.name,
			row.customer_name or row.customer,
			row.description,
			frappe.format(row.retention_until, "Date"),
		),
		date=row.retention_until,
	)
	return True


def _responsible(received_by: str | None) -> str | None:
	if received_by and frappe.db.get_value("User", received_by, "enabled"):
		return received_by
	managers = sorted(get_users_with_role(MANAGER_ROLE))
	return managers[0] if managers else None
