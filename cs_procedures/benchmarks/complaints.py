"""Benchmark of the complaint sweep and statistics at archive scale.

    bench --site dev.localhost execute cs_procedures.benchmarks.complaints.run
    bench --site dev.localhost execute cs_procedures.benchmarks.complaints.run --kwargs "{'total': 20000}"

Seeds complaints named BENCH-… with bulk inserts: 1 % open (all with a running
deadline), the rest closed. It times the overdue sweep with 10 and with 100 of the open
complaints breached, beside 1,000 and beside `total` closed complaints, then the
statistics report and the ledger over the whole archive, and removes what it seeded.

`measure_sweep(scale)` is the sweep's line of the benchmark table (benchmarks/table.py, part "sweep"):
1,000 breached complaints among 100,000 at scale 1, without and with outgoing e-mail.
"""

import random
import statistics
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from cs_procedures import complaint_summary
from cs_procedures.cs_procedures.doctype.customer_complaint.scheduled import sweep_overdue_complaints
from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
from cs_procedures.cs_procedures.report.complaint_tracking_ledger import complaint_tracking_ledger

PREFIX = "BENCH-"
BREACHED = (10, 100)  # complaints whose deadline has passed when the sweep runs
FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "naming_series", "customer",
	"customer_name", "channel", "received_on", "complaint_type", "urgency", "subject", "description",
	"responsible_department", "workflow_state", "sheet_due_by", "sheet_issued_on", "countermeasure_due_by",
	"countermeasure_approved_on", "closed_on", "deadline_stage", "next_deadline", "next_sweep_at",
	"breach_level", "is_overdue", "loss_amount", "item_code", "cause_class", "stage_at_fault",
)  # fmt: skip
RESPONSIBILITY_FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "parent", "parenttype",
	"parentfield", "department", "share", "approved_on",
)  # fmt: skip
CAUSES = ("Serious", "Occasional", "Negligence", "Force Majeure", None)
STAGES = ("Transport", "Processing", "Management", "Other", None)
TYPES = ("Quality", "Quantity", "Delivery", "Service", "Coordination", "Other")


def run(total: int = 100_000, keep: int = 0):
	frappe.only_for("System Manager")
	customers = frappe.get_all("Customer", pluck="name", limit=200) or frappe.throw(
		"No customers in this site"
	)
	seeder = Seeder(customers, frappe.get_all("Item", pluck="name", limit=50) or [None])
	cleanup()
	open_count = max(total // 100, max(BREACHED))
	try:
		seeder.seed(open_count, closed=False)
		seeder.seed(1_000, closed=True)
		frappe.db.commit()
		time_sweep(seeder.now, open_count)
		seeder.seed(total - 1_000 - open_count, closed=True)
		frappe.db.commit()
		time_sweep(seeder.now, open_count)
		plan = frappe.db.sql(
			"explain select name from `tabCustomer Complaint` where next_sweep_at <= %s and docstatus = 0",
			seeder.now,
			as_dict=True,
		)
		print(f"sweep query plan: key={plan[0].get('key')} rows={plan[0].get('rows')}")
		complaint_summary.rebuild()  # the seeded rows bypassed the complaints' controller
		for label, report, filters in (
			("statistics by month", complaint_statistics, {"group_by": "Month"}),
			("statistics by customer", complaint_statistics, {"group_by": "Customer"}),
			("ledger, open only", complaint_tracking_ledger, {"open_only": 1}),
		):
			started = time.perf_counter()
			result = report.execute(filters)
			print(f"{label:<24} {time.perf_counter() - started:6.2f} s ({len(result[1]):,} rows)")
	finally:
		if not keep:
			cleanup()


GROUPINGS = (
	"Month",
	"Complaint Type",
	"Responsible Department",
	"Customer",
	"Item",
	"Cause",
	"Stage at Fault",
	"Whole Period",
)
LEDGER_VIEWS = {
	"open only": {"open_only": 1},
	"overdue only": {"overdue_only": 1},
	"one customer, a year": "customer",
	"one month": "month",
}


def measure_statistics(scale: float = 1.0, sizes=(100_000, 1_000_000), keep: bool = False) -> list[dict]:
	"""Complaint Statistics in every grouping, over the whole archive and over the last twelve months
	(the desk's default), and the ledger's views, at each size of `sizes` (times `scale`): median of
	three runs each. The goal is half a second up to 100,000 complaints, two seconds up to 1,000,000."""
	from cs_procedures.benchmarks.table import result

	customers = frappe.get_all("Customer", pluck="name", limit=200) or frappe.throw(
		"No customers in this site"
	)
	departments = frappe.get_all("Department", filters={"is_group": 0}, pluck="name", limit=8)
	seeder = Seeder(customers, frappe.get_all("Item", pluck="name", limit=50) or [None], departments)
	cleanup()
	rows, seeded = [], 0
	try:
		for size in (int(size * scale) for size in sizes):
			open_count = max((size - seeded) // 100, 1)
			seeder.seed(open_count, closed=False)
			seeder.seed(size - seeded - open_count, closed=True)
			seeded = size
			complaint_summary.rebuild()  # the seeded rows bypassed the complaints' controller
			frappe.db.commit()
			goal = 0.5 if size <= 100_000 else 2.0
			rows.extend(statistics_rows(seeder, size, goal, result))
	finally:
		if not keep:  # kept: measured again by `statistics_rows` alone
			cleanup()
	return rows


def statistics_rows(seeder, size: int, goal: float, result) -> list[dict]:
	year = {"from_date": (seeder.now - timedelta(days=365)).date(), "to_date": seeder.now.date()}
	month = {
		"from_date": (seeder.now - timedelta(days=45)).date(),
		"to_date": (seeder.now - timedelta(days=15)).date(),
	}
	size_label = f"{size:,} complaints"
	rows = []
	for group_by in GROUPINGS:
		for period, filters in (("all", {}), ("12 months", year)):
			seconds, count = timed(complaint_statistics.execute, {**filters, "group_by": group_by})
			rows.append(
				result(
					f"Complaint Statistics by {group_by}, {period}",
					size_label,
					seconds,
					goal,
					note=f"{count:,} rows",
				)
			)
	# with a customer or type filter: by month from the summary's rows of that value, by cause live
	# (complaint_statistics.summary_of)
	for work, filters in (
		("by Month, a customer's year", {"customer": seeder.customers[-1], "group_by": "Month"}),
		("by Month, one type's year", {"complaint_type": TYPES[0], "group_by": "Month"}),
		("by Cause, one type's year (read live)", {"complaint_type": TYPES[0], "group_by": "Cause"}),
	):
		seconds, count = timed(complaint_statistics.execute, {**year, **filters})
		rows.append(result(f"Complaint Statistics {work}", size_label, seconds, goal, note=f"{count:,} rows"))
	for view, filters in LEDGER_VIEWS.items():
		if filters == "customer":
			filters = {**year, "customer": seeder.customers[-1]}
		elif filters == "month":
			filters = month
		seconds, count = timed(complaint_tracking_ledger.execute, filters)
		rows.append(
			result(f"Complaint Tracking Ledger, {view}", size_label, seconds, goal, note=f"{count:,} rows")
		)
	return rows


def timed(report, filters) -> tuple[float, int]:
	"""Median seconds of three runs of `report(filters)`, and its number of rows."""
	runs = []
	for _ in range(3):
		started = time.perf_counter()
		data = report(dict(filters))[1]
		runs.append(time.perf_counter() - started)
	return statistics.median(runs), len(data)


class Seeder:
	"""Benchmark complaints written in bulk, the same every run (a seeded random generator)."""

	def __init__(self, customers: list[str], items: list, departments: list | None = None):
		self.rng = random.Random(2026)
		self.now = now_datetime()
		self.customers, self.items = customers, items
		self.departments = departments or []  # closed complaints name one or two of them on the sheet
		self.serial = iter(range(1, 10**9))

	def name(self, received) -> str:
		"""A name that sorts as the complaint was received, as the naming series numbers complaints in
		the order they come in: InnoDB keeps a table's rows in the order of their names, so a period's
		complaints lie together on disk as they do on a site in use (named in random order, a month
		among a million complaints is read from all over a table that the 128 MB buffer pool of a
		default MariaDB cannot hold)."""
		return f"{PREFIX}{received:%Y%m%d%H%M}-{next(self.serial):07d}"

	def seed(self, count: int, closed: bool):
		rng, now = self.rng, self.now
		rows, parts = [], []
		# in the order received, so that each row goes after the one before (see `name`)
		received_times = sorted(
			now - timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 600)) for _ in range(count)
		)
		for received in received_times:
			issued = received + timedelta(hours=rng.choice((0.5, 1, 1.5, 2.5)))
			due = now + timedelta(hours=rng.randint(2, 200))
			customer = rng.choice(self.customers)
			rows.append(
				(
					self.name(received), now, now, "Administrator", "Administrator", 1 if closed else 0, 0,
					"CC-.YYYY.-.#####", customer, customer, "Phone", received, rng.choice(TYPES), "Normal",
					"Benchmark complaint", "Seeded by the benchmark.", None, "Closed" if closed else "Sheet Issued",
					received + timedelta(hours=2), issued, issued + timedelta(hours=4),
					issued + timedelta(hours=rng.choice((2, 3, 5))) if closed else None,
					issued + timedelta(days=rng.randint(1, 20)) if closed else None,
					None if closed else "Countermeasure", None if closed else due, None if closed else due,
					0, 0, rng.randint(0, 3000) if closed else 0, rng.choice(self.items),
					rng.choice(CAUSES) if closed else None, rng.choice(STAGES) if closed else None,
				)
			)  # fmt: skip
			if closed and self.departments:
				parts.extend(self.responsibilities(rows[-1][0], issued))
		frappe.db.bulk_insert("Customer Complaint", FIELDS, rows, chunk_size=5000)
		frappe.db.bulk_insert("Complaint Responsibility", RESPONSIBILITY_FIELDS, parts, chunk_size=5000)

	def responsibilities(self, complaint: str, issued) -> list[tuple]:
		"""One or two departments named on a closed complaint's sheet, each approving 1 to 6 hours on."""
		rng, now = self.rng, self.now
		named = rng.sample(self.departments, min(len(self.departments), rng.choice((1, 1, 2))))
		return [
			(
				f"{complaint}-R{idx}", now, now, "Administrator", "Administrator", 1, idx, complaint,
				"Customer Complaint", "responsibilities", department, round(100 / len(named), 1),
				issued + timedelta(hours=rng.randint(1, 6)),
			)
			for idx, department in enumerate(named, 1)
		]  # fmt: skip


def breach(now, count: int):
	"""Let `count` open complaints' deadlines pass, as if an hour ago."""
	frappe.db.sql(
		"""update `tabCustomer Complaint` set next_deadline = %(past)s, next_sweep_at = %(past)s,
		breach_level = 0, is_overdue = 0 where name like %(prefix)s and docstatus = 0
		order by name limit %(count)s""",
		{"past": now - timedelta(hours=1), "prefix": f"{PREFIX}%", "count": count},
	)


def time_sweep(now, open_count: int):
	closed = frappe.db.count("Customer Complaint", {"name": ("like", f"{PREFIX}%"), "docstatus": 1})
	for breached in BREACHED:
		runs = []
		for _ in range(3):
			breach(now, breached)
			started = time.perf_counter()
			acted = sweep_overdue_complaints(now)
			runs.append(time.perf_counter() - started)
		frappe.db.commit()
		started = time.perf_counter()
		idle = sweep_overdue_complaints(now)
		idle_time = time.perf_counter() - started
		print(
			f"sweep with {closed:>7,} closed + {open_count:,} open ({acted:>3} breached): "
			f"median {statistics.median(runs) * 1000:7.1f} ms ({statistics.median(runs) * 1000 / max(acted, 1):5.1f} ms each); "
			f"nothing due: {idle_time * 1000:6.1f} ms (acted on {idle})"
		)


def measure_sweep(scale: float = 1.0) -> list[dict]:
	"""The overdue sweep beside `100,000 * scale` complaints (1 % open) with `1,000 * scale` of them
	breached (at least 10), each with a follower to notify: the median of three runs, each on freshly
	breached complaints, first as the site is, then able to send e-mail (a test account that is never
	contacted; the queued e-mails are removed). Its goal is 3 ms per breached complaint (issue 24 item 2)."""
	from cs_procedures import people
	from cs_procedures.notifications import can_email
	from cs_procedures.testing import SiteState

	frappe.only_for("System Manager")
	total, breached = int(100_000 * scale), max(10, int(1000 * scale))
	customers = frappe.get_all("Customer", pluck="name", limit=200) or frappe.throw(
		"No customers in this site"
	)
	followers = people.users_with_role(people.CS_OFFICER)[:20] or ["Administrator"]
	seeder = Seeder(customers, frappe.get_all("Item", pluck="name", limit=50) or [None])
	cleanup()
	open_count = max(total // 100, breached)
	rows = []
	try:
		seeder.seed(open_count, closed=False)
		seeder.seed(max(total - open_count, 0), closed=True)
		frappe.db.sql(  # a follower to notify on every open complaint
			f"""update `tabCustomer Complaint`
			set follower = elt(1 + crc32(name) %% {len(followers)}, {", ".join(["%s"] * len(followers))})
			where name like %s and docstatus = 0""",
			(*followers, f"{PREFIX}%"),
		)
		frappe.db.commit()
		label = "e-mail queued" if can_email() else "no outgoing e-mail"
		rows.append(sweep_row(seeder.now, breached, total, f"overdue sweep (notify, {label})"))
		if not can_email():
			site = SiteState()
			site.outgoing_email(True)
			frappe.db.commit()
			try:
				rows.append(sweep_row(seeder.now, breached, total, "overdue sweep (notify, e-mail queued)"))
			finally:
				site.restore()
	finally:
		cleanup()
	return rows


def sweep_row(now, breached: int, total: int, work: str) -> dict:
	"""The median of three sweeps of `breached` complaints, and the peak memory of a fourth."""
	from cs_procedures.benchmarks.table import Counter, peak_memory, result

	runs, statements = [], []
	for _run in range(3):
		breach(now, breached)
		with Counter() as counter:
			started = time.perf_counter()
			acted = sweep_overdue_complaints(now)
			runs.append(time.perf_counter() - started)
		statements.append(counter.count)
		frappe.db.commit()
	breach(now, breached)
	with peak_memory() as peak:  # a fourth run, untimed
		sweep_overdue_complaints(now)
	frappe.db.commit()
	seconds = statistics.median(runs)
	return result(
		work,
		f"{acted:,} of {total:,}",
		seconds,
		goal=0.003 * breached,
		peak_mb=peak["mb"],
		note=f"{seconds * 1000 / max(acted, 1):.1f} ms per breached, {statistics.median(statements):,.0f} statements",
	)


def cleanup():
	for table, column in (
		("tabCustomer Complaint", "name"),
		("tabComplaint Responsibility", "parent"),
		("tabComment", "reference_name"),
		("tabToDo", "reference_name"),
		("tabNotification Log", "document_name"),
	):
		frappe.db.sql(f"delete from `{table}` where `{column}` like %s", f"{PREFIX}%")
	frappe.db.sql(
		"""delete recipient from `tabEmail Queue Recipient` recipient
		join `tabEmail Queue` queue on queue.name = recipient.parent where queue.reference_name like %s""",
		f"{PREFIX}%",
	)
	frappe.db.sql("delete from `tabEmail Queue` where reference_name like %s", f"{PREFIX}%")
	complaint_summary.rebuild()
	frappe.db.commit()
