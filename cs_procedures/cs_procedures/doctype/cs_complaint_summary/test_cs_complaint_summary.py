"""Complaint Statistics read from the complaints summed per month (complaint_summary.py) gives the numbers
a plain recount of the records gives, for every grouping and period, after each way a complaint comes,
changes or goes: entered as history (closed), filed as a draft, its type changed, deleted, its customer
merged into another; the repeat flag cannot be set by hand."""

from collections import defaultdict
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_days, getdate, now_datetime

from cs_procedures import complaint_summary
from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
from cs_procedures.testing import (
	Fixtures,
	HttpUser,
	SiteTestCase,
	complaint_doc,
	emails,
	ensure_customer,
	ensure_department,
	ensure_stock_item,
	purge,
)

(MANAGER,) = emails("summary", "manager")
ALPHA, BETA, GAMMA = "_CS Summary Alpha", "_CS Summary Beta", "_CS Summary Gamma"
DEPARTMENTS = ("_CS Summary Assembly", "_CS Summary Logistics")
NAMED = []  # the departments' names in the site (with the company's abbreviation)
START = datetime(2019, 1, 1, 9)
FIGURES = (
	"complaints", "closed", "sheet_on_time_pct", "countermeasure_on_time_pct", "mean_hours_to_close",
	"loss_amount", "repeat_complaints", "imported",
)  # fmt: skip
FILTERED = ("customer", "complaint_type", "item_code")  # an equality filter the summary answers
PERIODS = (
	{},
	{"from_date": "2019-01-01", "to_date": "2019-12-31"},  # whole months
	{"from_date": "2019-02-14", "to_date": "2020-03-03"},  # edges read live
	{"from_date": "2019-05-02", "to_date": "2019-05-30"},  # no whole month
	{"to_date": "2019-08-15"},
)


def clean_up(fixtures):
	for customer in (ALPHA, BETA, GAMMA):
		for name in frappe.get_all("Customer Complaint", filters={"customer": customer}, pluck="name"):
			purge("Customer Complaint", name)
		frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True, ignore_missing=True)


def prepare(fixtures):
	clean_up(fixtures)
	for customer in (ALPHA, BETA, GAMMA):
		ensure_customer(customer)
	NAMED[:] = [ensure_department(department) for department in DEPARTMENTS]


FIXTURES = Fixtures(users={MANAGER: ["CS Manager"]}, prepare=prepare, clean_up=clean_up)
setUpModule, tearDownModule = FIXTURES.hooks()


def closed_complaint(
	customer, received_on, complaint_type="Quality", hours=30, late=False, departments=(), **values
):
	"""A closed complaint entered as history (its sheet and countermeasure stamped, on time or late)."""
	doc = complaint_doc(customer, "Summary test", "Test", complaint_type, received_on=received_on, **values)
	due = received_on + timedelta(hours=6)
	doc.flags.history_source = "test"
	doc.update(
		{
			"workflow_state": "Closed",
			"docstatus": 1,
			"closed_on": received_on + timedelta(hours=hours),
			"sheet_due_by": received_on + timedelta(hours=2),
			"sheet_issued_on": received_on + timedelta(hours=3 if late else 1),
			"countermeasure_due_by": due,
			"countermeasure_approved_on": due + timedelta(hours=1 if late else -1),
			"loss_amount": 40,
			"cause_class": "Occasional" if late else "Serious",
			"imported_from": "summary-test.csv",
		}
	)
	for index, department in enumerate(departments):
		doc.append(
			"responsibilities",
			{"department": department, "approved_on": due + timedelta(hours=index * 8 - 1)},
		)
	return doc.insert().name


def draft(customer, received_on, complaint_type="Quality"):
	return complaint_doc(customer, "Summary test", "Test", complaint_type, received_on=received_on).insert()


def recount(filters: dict, group_by: str) -> dict:
	"""Complaint Statistics counted straight from the records, in Python (the same rules as the
	report's SQL; a repeat: an earlier complaint of the customer and type within 365 days)."""
	now = now_datetime()
	complaints = frappe.get_all("Customer Complaint", filters={"docstatus": ("<", 2)}, fields=["*"])
	earlier = defaultdict(list)
	for c in complaints:
		earlier[(c.customer, c.complaint_type)].append((c.received_on, c.name))
	start = getdate(filters["from_date"]) if filters.get("from_date") else date.min
	end = add_days(getdate(filters["to_date"]), 1) if filters.get("to_date") else date.max
	departments = frappe.get_all(
		"Complaint Responsibility",
		filters={"parenttype": "Customer Complaint"},
		fields=["parent", "department", "approved_on"],
	)
	named = defaultdict(list)
	for row in departments:
		named[row.parent].append(row)
	groups = defaultdict(lambda: defaultdict(float))
	for c in complaints:
		if not start <= c.received_on.date() < end:
			continue
		if any(filters.get(field) and c[field] != filters[field] for field in FILTERED):
			continue
		repeat = any(
			(other, name) < (c.received_on, c.name) and other >= c.received_on - timedelta(days=365)
			for other, name in earlier[(c.customer, c.complaint_type)]
		)
		sheet_counted = bool(c.sheet_issued_on and c.sheet_due_by) or (
			c.docstatus == 0
			and not c.handled_by_sales_alone
			and bool(c.sheet_due_by)
			and c.sheet_due_by < now
		)
		rows = [(None, None)]
		if group_by == "Responsible Department":
			rows = [(row.department, row) for row in named[c.name]]
		for department, part in rows:
			if part:
				approved = part.approved_on
				counted = bool(approved) or (
					c.docstatus == 0 and bool(c.countermeasure_due_by) and c.countermeasure_due_by < now
				)
			else:
				approved = c.countermeasure_approved_on
				counted = bool(approved and c.countermeasure_due_by) or (
					c.docstatus == 0 and bool(c.countermeasure_due_by) and c.countermeasure_due_by < now
				)
			key = {
				"Month": c.received_on.strftime("%Y-%m"),
				"Customer": c.customer,
				"Item": c.item_code,
				"Complaint Type": c.complaint_type,
				"Cause": c.cause_class,
				"Responsible Department": department,
				"Whole Period": "-",
			}[group_by] or None
			group = groups[key]
			group["complaints"] += 1
			group["closed"] += c.workflow_state == "Closed"
			group["sheet_counted"] += sheet_counted
			group["sheet_on_time"] += (
				sheet_counted and bool(c.sheet_issued_on) and c.sheet_issued_on <= c.sheet_due_by
			)
			group["counted"] += counted
			group["on_time"] += counted and bool(approved) and approved <= c.countermeasure_due_by
			if c.workflow_state == "Closed" and c.closed_on:
				group["minutes"] += (c.closed_on - c.received_on).total_seconds() // 60
				group["timed"] += 1
			group["loss_amount"] += c.loss_amount or 0
			group["repeat_complaints"] += repeat
			group["imported"] += bool(c.imported_from)
	return {
		key: {
			"complaints": g["complaints"],
			"closed": g["closed"],
			"sheet_on_time_pct": round(100 * g["sheet_on_time"] / g["sheet_counted"], 1)
			if g["sheet_counted"]
			else None,
			"countermeasure_on_time_pct": round(100 * g["on_time"] / g["counted"], 1)
			if g["counted"]
			else None,
			"mean_hours_to_close": round(g["minutes"] / g["timed"] / 60, 1) if g["timed"] else None,
			"loss_amount": g["loss_amount"],
			"repeat_complaints": g["repeat_complaints"],
			"imported": g["imported"],
		}
		for key, g in groups.items()
	}


class TestComplaintSummary(SiteTestCase):
	def assertReportIsTheRecount(self, moment: str, item: str | None = None):
		"""Every grouping over every period, then with one filter (a customer, a type, `item`) by month,
		over the whole period, by the filter's own dimension and by one the summary cannot answer."""
		self.assertEqual(complaint_summary.drift(), [], moment)
		cases = [
			({}, group_by)
			for group_by in (
				"Month",
				"Customer",
				"Item",
				"Complaint Type",
				"Cause",
				"Responsible Department",
				"Whole Period",
			)
		]
		for filtered, own in (
			({"customer": ALPHA}, "Customer"),
			({"complaint_type": "Delivery"}, "Complaint Type"),
			({"item_code": item}, "Item"),
		):
			if any(filtered.values()):
				cases += [(filtered, group_by) for group_by in ("Month", "Whole Period", own, "Cause")]
		for filtered, group_by in cases:
			for period in PERIODS:
				filters = {**period, **filtered}
				rows = complaint_statistics.execute({**filters, "group_by": group_by})[1]
				got = {row.grp: {field: row[field] for field in FIGURES} for row in rows}
				self.assertEqual(got, recount(filters, group_by), f"{moment}: {group_by} {filters}")

	def test_the_report_is_the_recount_through_every_change(self):
		first = closed_complaint(ALPHA, START, departments=NAMED)
		closed_complaint(ALPHA, START + timedelta(days=40), late=True, departments=NAMED[:1])
		repeat = closed_complaint(ALPHA, START + timedelta(days=365), hours=4)  # exactly a year on: a repeat
		closed_complaint(BETA, START + timedelta(days=130), "Delivery", departments=NAMED[1:])
		closed_complaint(BETA, START + timedelta(days=130), "Delivery")  # the same second: a repeat
		closed_complaint(GAMMA, START + timedelta(days=60), late=True)
		self.assertEqual(frappe.db.get_value("Customer Complaint", repeat, "is_repeat"), 1)
		self.assertReportIsTheRecount("history entered")

		open_one = draft(ALPHA, START + timedelta(days=20))
		self.assertReportIsTheRecount("a draft filed between two closed ones")
		open_one.complaint_type = "Service"
		open_one.save()
		self.assertReportIsTheRecount("its type changed")
		frappe.delete_doc("Customer Complaint", open_one.name)
		self.assertReportIsTheRecount("the draft deleted")

		frappe.rename_doc("Customer", GAMMA, ALPHA, merge=True)  # GAMMA's complaint now repeats ALPHA's first
		gamma = frappe.get_all(
			"Customer Complaint", filters={"subject": "Summary test", "customer": ALPHA}, pluck="name"
		)
		self.assertTrue(gamma)
		self.assertReportIsTheRecount("a customer merged into another")
		self.assertTrue(frappe.db.exists("Customer Complaint", first))

	def test_a_renamed_item_or_department_keeps_its_sums(self):
		"""ERPNext renames the links in SQL; the summary's sums follow the item's and department's new names."""
		old = {
			"Item": ensure_stock_item("_CS Summary Widget"),
			"Department": ensure_department("_CS Summary Packing"),
		}
		current = dict(old)
		names = [
			closed_complaint(
				BETA, START + timedelta(days=days), item_code=old["Item"], departments=[old["Department"]]
			)
			for days in (10, 50)
		]
		try:
			self.assertReportIsTheRecount("an item and a department named", item=old["Item"])
			current["Item"] = frappe.rename_doc("Item", old["Item"], "_CS Summary Gadget")
			current["Department"] = frappe.rename_doc("Department", old["Department"], "_CS Summary Boxing")
			self.assertReportIsTheRecount("the item and the department renamed", item=current["Item"])
			for doctype, group_by in (("Item", "Item"), ("Department", "Responsible Department")):
				counts = {
					row.grp: row.complaints for row in complaint_statistics.execute({"group_by": group_by})[1]
				}
				self.assertEqual((counts.get(current[doctype]), counts.get(old[doctype])), (2, None), doctype)
		finally:
			for name in names:
				purge("Customer Complaint", name)
			for doctype, name in current.items():
				frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, ignore_missing=True)

	def test_the_repeat_flag_is_the_servers(self):
		doc = draft(BETA, START + timedelta(days=300), "Other")
		frappe.db.commit()
		try:
			manager = HttpUser(MANAGER)
			manager.put(doc.doctype, doc.name, {"is_repeat": 1, "subject": "Summary test, edited"})
			self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "is_repeat"), 0)
		finally:
			purge(doc.doctype, doc.name)

	def test_rebuild_gives_the_same_summary(self):
		closed_complaint(BETA, START + timedelta(days=200), "Service", departments=NAMED)
		before = frappe.db.sql(f"select * from `{complaint_summary.TABLE}` order by name", as_dict=True)
		complaint_summary.rebuild()
		after = frappe.db.sql(f"select * from `{complaint_summary.TABLE}` order by name", as_dict=True)
		strip = ("creation", "modified")
		self.assertEqual(
			[{k: v for k, v in row.items() if k not in strip} for row in before],
			[{k: v for k, v in row.items() if k not in strip} for row in after],
		)
