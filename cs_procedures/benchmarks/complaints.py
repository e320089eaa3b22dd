"""Benchmark of the complaint sweep and statistics at archive scale.

    bench --site dev.localhost execute cs_procedures.benchmarks.complaints.run
    bench --site dev.localhost execute cs_procedures.benchmarks.complaints.run --kwargs "{'total': 20000}"

Seeds complaints named BENCH-… with bulk inserts: 1 % open (all with a running
deadline), the rest closed. It times the overdue sweep with 10 and with 100 of the open
complaints breached, beside 1,000 and beside `total` closed complaints, then the
statistics report and the ledger over the whole archive, and removes what it seeded.
"""

import random
import statistics
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

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
	"breach_level", "is_overdue", "loss_amount", "item_code",
)  # fmt: skip
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


class Seeder:
	"""Benchmark complaints written in bulk, the same every run (a seeded random generator)."""

	def __init__(self, customers: list[str], items: list):
		self.rng = random.Random(2026)
		self.now = now_datetime()
		self.customers, self.items = customers, items
		self.serial = iter(range(1, 10**9))

	def seed(self, count: int, closed: bool):
		rng, now = self.rng, self.now
		rows = []
		for _ in range(count):
			received = now - timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 600))
			issued = received + timedelta(hours=rng.choice((0.5, 1, 1.5, 2.5)))
			due = now + timedelta(hours=rng.randint(2, 200))
			customer = rng.choice(self.customers)
			rows.append(
				(
					f"{PREFIX}{next(self.serial):07d}", now, now, "Administrator", "Administrator", 1 if closed else 0, 0,
					"CC-.YYYY.-.#####", customer, customer, "Phone", received, rng.choice(TYPES), "Normal",
					"Benchmark complaint", "Seeded by the benchmark.", None, "Closed" if closed else "Sheet Issued",
					received + timedelta(hours=2), issued, issued + timedelta(hours=4),
					issued + timedelta(hours=rng.choice((2, 3, 5))) if closed else None,
					issued + timedelta(days=rng.randint(1, 20)) if closed else None,
					None if closed else "Countermeasure", None if closed else due, None if closed else due,
					0, 0, rng.randint(0, 3000) if closed else 0, rng.choice(self.items),
				)
			)  # fmt: skip
		frappe.db.bulk_insert("Customer Complaint", FIELDS, rows, chunk_size=5000)


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


def cleanup():
	for table, column in (
		("tabCustomer Complaint", "name"),
		("tabComment", "reference_name"),
		("tabToDo", "reference_name"),
		("tabNotification Log", "document_name"),
	):
		frappe.db.sql(f"delete from `{table}` where `{column}` like %s", f"{PREFIX}%")
	frappe.db.commit()
