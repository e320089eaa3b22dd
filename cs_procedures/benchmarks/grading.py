"""Benchmark of the customer grading (客户分级表) at scale.

    bench --site h3.localhost execute cs_procedures.benchmarks.grading.run
    bench --site h3.localhost execute cs_procedures.benchmarks.grading.run --kwargs "{'customers': 20000}"

Seeds `customers` customers named BENCH-CUST-… and `invoices` submitted Sales Invoice headers
named BENCH-SI-… (5 % of them returns) in a year long past, with bulk inserts, then times the
grading of that year twice: the first run writes a grade record per customer, the second
updates them. It counts the SQL statements of each run, and removes what it seeded (the grade
records of the year, the customers' grades put back).
"""

import itertools
import random
import time

import frappe
from frappe.utils import now_datetime

from cs_procedures import bulk
from cs_procedures.benchmarks import long_tail, seed_customers, table
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import grading_settings
from cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record import grade_customers

PREFIX = "BENCH-"
YEAR = 2001  # no sales, no grades there on any site this app runs on
INVOICE_FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "naming_series",
	"customer", "customer_name", "company", "posting_date", "due_date", "currency", "conversion_rate",
	"is_return", "base_net_total", "net_total", "base_grand_total", "grand_total",
)  # fmt: skip


def run(customers: int = 10_000, invoices: int = 200_000, keep: int = 0):
	frappe.only_for("System Manager")
	rng = random.Random(2026)
	now = now_datetime()
	company = grading_settings().company or frappe.defaults.get_defaults().get("company")
	snapshot = {
		row.name: {"cs_grade": row.cs_grade, "cs_grade_year": row.cs_grade_year}
		for row in frappe.get_all("Customer", fields=["name", "cs_grade", "cs_grade_year"])
	}
	cleanup(snapshot)
	try:
		seed(customers, invoices, company, rng, now)
		frappe.db.commit()
		graded = frappe.db.count("Customer", {"disabled": 0})
		print(
			f"seeded {customers:,} customers and {invoices:,} invoice rows in {YEAR} ({graded:,} customers graded)"
		)
		for label in ("first run (records created)", "second run (records updated)"):
			with table.measured() as measure:
				summary = grade_customers(YEAR)
			frappe.db.commit()
			print(
				f"grading, {label}: {measure.seconds:6.2f} s, {measure.statements} SQL statements, "
				f"{summary['customers']:,} customers, grades {summary['grades']}"
			)
		plan = frappe.db.sql(
			"""explain select customer, sum(base_net_total) from `tabSales Invoice` ignore index (customer)
			where docstatus = 1 and posting_date between %s and %s group by customer""",
			(f"{YEAR}-01-01", f"{YEAR}-12-31"),
			as_dict=True,
		)
		print(f"sales query plan: key={plan[0].get('key')} rows={plan[0].get('rows')}")
	finally:
		if not keep:
			cleanup(snapshot)


def seed(customers: int, invoices: int, company: str, rng, now, chunk: int = 50_000) -> None:
	"""`customers` customers and `invoices` submitted invoice rows of YEAR, written in bulk, `chunk`
	rows at a time (a million rows are never held at once)."""
	currency = frappe.get_cached_value("Company", company, "default_currency")
	names = seed_customers(PREFIX, customers, now)
	weights = list(itertools.accumulate(long_tail(customers)))
	for start in range(0, invoices, chunk):
		buyers = rng.choices(names, cum_weights=weights, k=min(chunk, invoices - start))
		rows = []
		for number, customer in enumerate(buyers, start):
			returned = rng.random() < 0.05
			amount = round(rng.uniform(50, 5000), 2) * (-0.5 if returned else 1)
			day = f"{YEAR}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
			rows.append(
				(
					f"{PREFIX}SI-{number:07d}", now, now, "Administrator", "Administrator", 1, 0,
					"ACC-SINV-.YYYY.-", customer, customer, company, day, day, currency, 1,
					1 if returned else 0, amount, amount, amount, amount,
				)
			)  # fmt: skip
		# written directly: the query builder of frappe.db.bulk_insert costs more than the insert
		bulk.insert_rows("Sales Invoice", [dict(zip(INVOICE_FIELDS, row, strict=True)) for row in rows])
		frappe.db.commit()


def measure_grading(scale: float = 1.0) -> list[dict]:
	"""Rows of the benchmark table: the grading of `10,000 × scale` customers with `1,000,000 × scale`
	invoice rows, first run (records created) and second run (updated), with peak memory and statements."""
	frappe.only_for("System Manager")
	customers, invoices = int(10_000 * scale), int(1_000_000 * scale)
	rng, now = random.Random(2026), now_datetime()
	company = grading_settings().company or frappe.defaults.get_defaults().get("company")
	snapshot = {
		row.name: {"cs_grade": row.cs_grade, "cs_grade_year": row.cs_grade_year}
		for row in frappe.get_all("Customer", fields=["name", "cs_grade", "cs_grade_year"])
	}
	cleanup(snapshot)
	rows = []
	try:
		started = time.perf_counter()
		with table.peak_memory() as memory:
			seed(customers, invoices, company, rng, now)
		frappe.db.commit()
		size = f"{customers:,} cust, {invoices:,} inv"
		rows.append(
			table.result(
				"grading: seed invoices (bulk, 50,000 a chunk)",
				size,
				time.perf_counter() - started,
				peak_mb=memory["mb"],
				note="set-up, not the grading",
			)
		)
		for label in ("first run (records created)", "second run (records updated)"):
			with table.measured() as measure:
				summary = grade_customers(YEAR)
			frappe.db.commit()
			rows.append(
				measure.row(
					f"grading, {label}",
					size,
					f"{measure.statements} SQL statements, {summary['customers']:,} customers graded",
				)
			)
	finally:
		cleanup(snapshot)
	return rows


def cleanup(snapshot: dict | None = None):
	frappe.db.sql("delete from `tabSales Invoice` where name like %s", f"{PREFIX}SI-%")
	frappe.db.sql("delete from `tabCustomer` where name like %s", f"{PREFIX}CUST-%")
	frappe.db.sql("delete from `tabCustomer Grade Record` where grading_year = %s", YEAR)
	if snapshot:
		bulk.set_values("Customer", snapshot)
	frappe.db.commit()
