"""Daily: remind the salesperson of each customer not visited as often as its grade asks.

One reminder per customer and period: the period is named by the day the visit was due, kept as
the reminder's unique key, so a second run (or a second worker) repeats nothing. The reminder stays
open, on the salesperson's to-do list, until a visit to the customer is recorded.
"""

import frappe
from frappe import _
from frappe.utils import cint, formatdate, getdate

from cs_procedures import jobs, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.customer_visit import visits_site as site
from cs_procedures.notifications import assign, enabled_users
from cs_procedures.procedures import visits as rules


def remind_overdue_visits(today=None) -> list[str]:
	"""Create the reminders due today; returns the names created."""
	today = getdate(today)
	settings = get_settings()
	intervals = settings.visit_interval_map()
	default = settings.get("default_visit_interval_days")
	default = rules.DEFAULT_INTERVAL if default is None else cint(default)
	has_grade = frappe.get_meta("Customer").has_field(site.GRADE_FIELD)
	fields = ["name", "customer_name", "creation", "account_manager"]
	if has_grade:
		fields.append(site.GRADE_FIELD)
	customers = {row.name: row for row in frappe.get_all("Customer", filters={"disabled": 0}, fields=fields)}
	last_visits = {
		row.customer: getdate(row.last_visit)
		for row in frappe.get_all(
			"Customer Visit",
			filters={"docstatus": 1},
			fields=["customer", "max(visit_date) as last_visit"],
			group_by="customer",
		)
	}
	overdue = rules.overdue_customers(
		[(row.name, row.get(site.GRADE_FIELD), getdate(row.creation)) for row in customers.values()],
		last_visits,
		intervals,
		default,
		today,
	)
	keys = {rules.reminder_key(name, due): (name, due) for name, due in overdue}
	done = set(
		frappe.get_all(
			"Customer Visit Reminder",
			filters={"reminder_key": ("in", list(keys) or [""])},
			pluck="reminder_key",
		)
	)

	def remind(key):
		name, due = keys[key]
		customer = customers[name]
		grade = customer.get(site.GRADE_FIELD)
		return create_reminder(
			customer,
			grade,
			rules.visit_interval(grade, intervals, default),
			last_visits.get(name),
			due,
			key,
		)

	return jobs.each(
		[key for key in keys if key not in done],
		remind,
		doctype="Customer Visit Reminder",
		title=_("Overdue customer visit reminder failed"),
	)


def salespeople_of(customer) -> list[str]:
	"""Who visits the customer: its account manager, else the last salesperson who visited it,
	else the CS managers."""
	users = enabled_users([customer.account_manager])
	if not users:
		last = frappe.get_all(
			"Customer Visit",
			filters={"customer": customer.name, "docstatus": 1},
			fields=["salesperson"],
			order_by="visit_date desc",
			limit=1,
		)
		users = enabled_users([row.salesperson for row in last])
	return users or people.managers()


def create_reminder(customer, grade, interval, last_visit, due, key) -> str:
	users = salespeople_of(customer)
	reminder = frappe.get_doc(
		{
			"doctype": "Customer Visit Reminder",
			"customer": customer.name,
			"customer_name": customer.customer_name,
			"grade": grade,
			"interval_days": interval,
			"last_visit": last_visit,
			"due_date": due,
			"status": "Open",
			"reminder_key": key,
			"reminded_users": ", ".join(users),
		}
	).insert(ignore_permissions=True)
	assign(
		reminder,
		users,
		_("{0} should have been visited by {1}: plan a visit.").format(
			customer.customer_name or customer.name, formatdate(due)
		),
	)
	return reminder.name
