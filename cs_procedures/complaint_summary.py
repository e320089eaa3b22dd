"""Complaint Statistics over a million complaints (issue 24): the submitted complaints summed per month
and per day.

Each submitted (closed or not accepted) complaint is counted in `tabCS Complaint Summary` once per
dimension (the whole period, type, customer, item, cause, stage at fault, and each responsible
department), in the month and in the day it was received. The report reads the months a period covers
whole from the monthly rows and its edges from the daily rows; only the open complaints (whose on-time
figures change with the clock) are read live. The summary moves with the complaints, in their own
transaction:

- a complaint is taken out as stored before each write and counted again as stored after it;
- `is_repeat` (procedures/statistics.py) is kept on every write, and a complaint whose flag changes is
  counted again;
- a renamed customer, item or department moves its sums (ERPNext renames links in SQL).

`rebuild()` sums everything again from the complaints (the patch of a site in use, the benchmarks'
bulk seeding); `drift()` compares the summary with such a recount.
"""

import frappe
from frappe.utils import get_datetime, getdate, now_datetime

from cs_procedures.cs_procedures.report.complaint_filters import (
	COUNTERMEASURE_COUNTED,
	COUNTERMEASURE_ON_TIME,
	IMPORTED,
	IMPORTED_WITHOUT_STAMPS,
	PART_COUNTED,
	PART_ON_TIME,
	SHEET_COUNTED,
	SHEET_ON_TIME,
)
from cs_procedures.procedures import statistics as rules

TABLE = "tabCS Complaint Summary"
# dimension -> its value over `tabCustomer Complaint` c (d: a row of the sheet's responsible departments)
DIMENSIONS = {
	"Whole Period": "'-'",
	"Complaint Type": "c.complaint_type",
	"Customer": "c.customer",
	"Item": "c.item_code",
	"Cause": "c.cause_class",
	"Stage at Fault": "c.stage_at_fault",
	"Responsible Department": "d.department",
}
BY_DEPARTMENT = (
	"join `tabComplaint Responsibility` d on d.parent = c.name and d.parenttype = 'Customer Complaint'"
)
# linked records ERPNext renames in SQL, and the dimension holding their names
RENAMED = {"Customer": "Customer", "Item": "Item", "Department": "Responsible Department"}


def sums_sql(by_department: bool = False) -> str:
	"""The partial sums of a group of complaints (procedures/statistics.SUMS), as SQL select terms."""
	counted, on_time = (
		(PART_COUNTED, PART_ON_TIME) if by_department else (COUNTERMEASURE_COUNTED, COUNTERMEASURE_ON_TIME)
	)
	closed = "c.workflow_state = 'Closed'"
	return f"""count(*) as complaints,
		coalesce(sum({closed}), 0) as closed,
		coalesce(sum({SHEET_COUNTED}), 0) as sheet_counted,
		coalesce(sum({SHEET_COUNTED} and {SHEET_ON_TIME}), 0) as sheet_on_time,
		coalesce(sum({counted}), 0) as countermeasure_counted,
		coalesce(sum({counted} and {on_time}), 0) as countermeasure_on_time,
		coalesce(sum(case when {closed} then timestampdiff(minute, c.received_on, c.closed_on) end), 0) as close_minutes,
		count(case when {closed} then timestampdiff(minute, c.received_on, c.closed_on) end) as closes_timed,
		coalesce(sum(c.loss_amount), 0) as loss_amount,
		coalesce(sum(c.claimed_amount), 0) as claimed_amount,
		coalesce(sum(c.is_repeat), 0) as repeat_complaints,
		coalesce(sum(c.reopen_count), 0) as reopened,
		coalesce(sum({IMPORTED}), 0) as imported,
		coalesce(sum({IMPORTED_WITHOUT_STAMPS}), 0) as imported_without_stamps"""


def grouped_sql(group: str, where: str, by_department: bool = False) -> str:
	"""Partial sums of the complaints matching `where`, grouped by `group` (an SQL expression, as grp)."""
	return f"""select coalesce({group}, '') as grp, {sums_sql(by_department)}
		from `tabCustomer Complaint` c {BY_DEPARTMENT if by_department else ""}
		where {where} group by grp"""


# granularity -> the start of a complaint's period: the report reads whole months from the first, the
# days at a period's edges from the second
GRANULARITIES = {"Month": "date_format(c.received_on, '%%Y-%%m-01')", "Day": "date(c.received_on)"}
KEY = "concat({granularity}, '|', {start}, '|', {dimension}, '|', {value})"
# a key's parts: the value is all after the third bar (it may hold bars itself)
PARTS = """substring_index(s.grp, '|', 1), substring_index(substring_index(s.grp, '|', 2), '|', -1),
	substring_index(substring_index(s.grp, '|', 3), '|', -1), substring(s.grp, length(substring_index(s.grp, '|', 3)) + 2)"""


def _contributions(where: str, dimensions=DIMENSIONS) -> str:
	return " union all ".join(
		grouped_sql(
			KEY.format(
				granularity=frappe.db.escape(granularity),
				start=start,
				dimension=frappe.db.escape(dimension),
				value=f"coalesce({value}, '')",
			),
			where,
			dimension == "Responsible Department",
		)
		for granularity, start in GRANULARITIES.items()
		for dimension, value in dimensions.items()
	)


def _write(where: str, values: dict, sign: int, dimensions=DIMENSIONS) -> None:
	"""Add (sign 1) or take out (-1) the complaints matching `where` in the summary."""
	columns = ", ".join(rules.SUMS)
	signed = ", ".join(f"{sign} * s.{field}" for field in rules.SUMS)
	added = ", ".join(f"`{TABLE}`.{field} = `{TABLE}`.{field} + values({field})" for field in rules.SUMS)
	frappe.db.sql(
		f"""insert into `{TABLE}` (name, creation, modified, owner, modified_by, docstatus, idx,
			granularity, period_start, dimension, value, {columns})
		select md5(s.grp), %(now)s, %(now)s, 'Administrator', 'Administrator', 0, 0, {PARTS}, {signed}
		from ({_contributions(where, dimensions)}) s
		on duplicate key update {added}, `{TABLE}`.modified = values(modified)""",
		{"now": now_datetime(), **values},
	)
	if sign < 0:
		frappe.db.sql(f"delete from `{TABLE}` where complaints = 0")


def add(names: list[str]) -> None:
	"""Count these submitted complaints in the summary."""
	if names:
		_write("c.docstatus = 1 and c.name in %(names)s", {"names": tuple(names)}, 1)


def take_out(names: list[str]) -> None:
	"""Take these submitted complaints out of the summary, as they are stored (before they change)."""
	if names:
		_write("c.docstatus = 1 and c.name in %(names)s", {"names": tuple(names)}, -1)


def rebuild() -> int:
	"""Sum every submitted complaint again (after bulk writes that bypass the complaints' controller):
	the repeat flags first, then the summary. Returns the number of summary rows."""
	mark_all_repeats()
	frappe.db.sql(f"delete from `{TABLE}`")
	_write("c.docstatus = 1", {}, 1)
	return frappe.db.count("CS Complaint Summary")


def resum(days) -> None:
	"""Sum the months of these days again from the complaints (after complaints of theirs were written
	in SQL, past their controller: a test planting records, a data fix)."""
	for month in sorted({rules.month_start(getdate(day)) for day in days if day}):
		frappe.db.sql(
			f"delete from `{TABLE}` where period_start >= %s and period_start < %s",
			(month, rules.next_month(month)),
		)
		where = "c.docstatus = 1 and c.received_on >= %(month)s and c.received_on < %(after)s"
		_write(where, {"month": month, "after": rules.next_month(month)}, 1)


def drift() -> list[dict]:
	"""Summary rows that differ from a recount of the complaints (none when the summary holds)."""
	columns = ", ".join(rules.SUMS)
	recount = {
		row.grp: row
		for row in frappe.db.sql(_contributions("c.docstatus = 1"), {"now": now_datetime()}, as_dict=True)
	}
	kept = {
		f"{row.granularity}|{row.period_start.isoformat()}|{row.dimension}|{row.value}": row
		for row in frappe.db.sql(
			f"select granularity, period_start, dimension, value, {columns} from `{TABLE}`", as_dict=True
		)
	}
	return [
		{"group": key, "kept": kept.get(key), "recount": recount.get(key)}
		for key in sorted(set(recount) | set(kept))
		if any(
			float((kept.get(key) or {}).get(field) or 0) != float((recount.get(key) or {}).get(field) or 0)
			for field in rules.SUMS
		)
	]


def mark_all_repeats() -> None:
	"""Every complaint's repeat flag from scratch, in one pass (the rule of procedures/statistics.repeats)."""
	frappe.db.sql(
		"""update `tabCustomer Complaint` c
		left join (
			select name, lag(received_on) over (
				partition by customer, complaint_type order by received_on, name) as previous_on
			from `tabCustomer Complaint` where docstatus < 2
		) r on r.name = c.name
		set c.is_repeat = coalesce(c.docstatus < 2 and r.previous_on >= c.received_on - interval 365 day, 0)"""
	)


def refresh_repeats(customer, complaint_type, around, skip=()) -> None:
	"""Keep the repeat flags of one customer and type right around `around` (a complaint of theirs came,
	moved, was cancelled or deleted): the complaints up to a year after it may repeat it or no longer do.
	A submitted complaint whose flag changes is restated in the summary (but those in `skip`)."""
	if not customer or not complaint_type or not around:
		return
	around = get_datetime(around)
	rows = frappe.db.sql(
		"""select name, received_on, is_repeat, docstatus from `tabCustomer Complaint`
		where customer = %s and complaint_type = %s and docstatus < 2
			and received_on between %s and %s
		for update""",
		(customer, complaint_type, around - rules.REPEAT_WINDOW, around + rules.REPEAT_WINDOW),
		as_dict=True,
	)
	flags = rules.repeats([(row.name, row.received_on) for row in rows])
	changed = [row for row in rows if row.received_on >= around and bool(row.is_repeat) != flags[row.name]]
	if not changed:
		return
	restated = [row.name for row in changed if row.docstatus == 1 and row.name not in skip]
	take_out(restated)
	for row in changed:  # a form open on it must be reloaded before it is saved (its modified moves)
		frappe.db.set_value(
			"Customer Complaint",
			row.name,
			{"is_repeat": int(flags[row.name]), "modified": now_datetime()},
			update_modified=False,
		)
	add(restated)


def set_own_repeat(doc) -> None:
	"""The complaint's own flag, from the stored complaints (whatever the saved document carried)."""
	earlier = frappe.db.sql(
		"""select 1 from `tabCustomer Complaint`
		where customer = %(customer)s and complaint_type = %(type)s and docstatus < 2 and name != %(name)s
			and received_on >= %(received)s - interval 365 day
			and (received_on < %(received)s or (received_on = %(received)s and name < %(name)s))
		limit 1""",
		{"customer": doc.customer, "type": doc.complaint_type, "received": doc.received_on, "name": doc.name},
	)
	flag = int(bool(earlier) and doc.docstatus < 2)
	doc.is_repeat = flag
	frappe.db.set_value(doc.doctype, doc.name, "is_repeat", flag, update_modified=False)


# --- the complaint's writes (customer_complaint.py) and ERPNext's renames (hooks.py) -----------------


def before_write(doc) -> None:
	"""Before a stored complaint is written again: taken out of the summary as it is stored."""
	stored = frappe.db.get_value(
		doc.doctype,
		doc.name,
		["customer", "complaint_type", "received_on", "docstatus"],
		as_dict=True,
		for_update=True,
	)
	doc.flags.summary_before = stored
	if stored and stored.docstatus == 1:
		take_out([doc.name])


def after_write(doc) -> None:
	"""After a complaint and its rows are written (inserted, saved, submitted, cancelled, updated after
	submit, or brought in as history): its own flag, its neighbours' flags, and counted again as stored."""
	set_own_repeat(doc)
	before = doc.flags.pop("summary_before", None)
	key = (doc.customer, doc.complaint_type, get_datetime(doc.received_on))
	# the neighbours' flags change only when this complaint comes, moves, or is cancelled: a save that
	# changes none of these (a workflow move, an edit) reads and locks none of them
	moved = not before or (before.customer, before.complaint_type, before.received_on) != key
	if moved and before:
		refresh_repeats(before.customer, before.complaint_type, before.received_on, skip={doc.name})
	if moved or (before.docstatus < 2) != (doc.docstatus < 2):
		refresh_repeats(*key, skip={doc.name})
	if doc.docstatus == 1:
		add([doc.name])


def after_delete(doc, method=None):
	refresh_repeats(doc.customer, doc.complaint_type, doc.received_on)


def delete_in_sql(names: list[str], delete) -> None:
	"""Complaints deleted in SQL, past their controller (`delete()` deletes them: a test's clean-up, a
	data fix): taken out of the summary first, their neighbours' repeat flags kept right after."""
	stored = frappe.get_all(
		"Customer Complaint",
		filters={"name": ("in", names)},
		fields=["name", "customer", "complaint_type", "received_on", "docstatus"],
	)
	take_out([row.name for row in stored if row.docstatus == 1])
	delete()
	for key in {(row.customer, row.complaint_type, row.received_on) for row in stored}:
		refresh_repeats(*key)


def after_rename(doc, method=None, old=None, new=None, merge=False):
	"""A renamed (or merged) customer, item or department: its sums move to the new name; a merged
	customer's complaints may now repeat each other."""
	dimension = RENAMED.get(doc.doctype)
	if not dimension or old == new:
		return
	columns = ", ".join(rules.SUMS)
	added = ", ".join(f"`{TABLE}`.{field} = `{TABLE}`.{field} + values({field})" for field in rules.SUMS)
	frappe.db.sql(
		f"""insert into `{TABLE}` (name, creation, modified, owner, modified_by, docstatus, idx,
			granularity, period_start, dimension, value, {columns})
		select md5(concat(s.granularity, '|', s.period_start, '|', s.dimension, '|', %(new)s)), s.creation,
			%(now)s, 'Administrator', 'Administrator', 0, 0, s.granularity, s.period_start, s.dimension, %(new)s,
			{", ".join(f"s.{field}" for field in rules.SUMS)}
		from (select * from `{TABLE}` where dimension = %(dimension)s and value = %(old)s) s
		on duplicate key update {added}, `{TABLE}`.modified = values(modified)""",
		{"new": new, "old": old, "dimension": dimension, "now": now_datetime()},
	)
	frappe.db.sql(f"delete from `{TABLE}` where dimension = %s and value = %s", (dimension, old))
	if doc.doctype == "Customer" and merge:
		for complaint_type, first in frappe.db.sql(
			"""select complaint_type, min(received_on) from `tabCustomer Complaint`
			where customer = %s and docstatus < 2 group by complaint_type""",
			new,
		):
			refresh_all_of(new, complaint_type, first)


def refresh_all_of(customer, complaint_type, first) -> None:
	"""Every flag of one customer and type (after a merge), a year at a time."""
	last = frappe.db.sql(
		"""select max(received_on) from `tabCustomer Complaint`
		where customer = %s and complaint_type = %s and docstatus < 2""",
		(customer, complaint_type),
	)[0][0]
	around = get_datetime(first)
	while last and around <= last:
		refresh_repeats(customer, complaint_type, around)
		around += rules.REPEAT_WINDOW
