"""Benchmark of the watch lists (优秀客户 / 危险客户统计表) at scale.

    bench --site proof.localhost execute cs_procedures.benchmarks.watch_list.run
    bench --site proof.localhost execute cs_procedures.benchmarks.watch_list.run --kwargs "{'customers': 20000}"

Seeds `customers` customers named BENCH-WL-CUST-… (random customer and credit grades) and `invoices`
submitted Sales Invoice headers named BENCH-WL-SI-… posted in the last 400 days (5 % of them
returns; 10 % of the others unpaid, most of those past their due date), a return Delivery Note for
1 % of the invoices and a complaint for 2 %, with bulk inserts. Then times the Customer Watch List
report (all customers, and the At Risk list) and `review_watch_lists()` twice (the first run writes
the statuses, the second finds nothing changed), counting the SQL statements of each, and removes
what it seeded (the other customers' watch statuses put back).
"""

import random
import time

import frappe
from frappe.utils import add_days, getdate, now_datetime

from cs_procedures import bulk, complaint_summary
from cs_procedures.benchmarks import long_tail, seed_customers
from cs_procedures.benchmarks.table import Counter
from cs_procedures.cs_procedures.report.customer_watch_list import customer_watch_list
from cs_procedures.erpnext_doctypes.watch_list import FACTS, WINDOW_DAYS, review_watch_lists

PREFIX = "BENCH-WL-"
INVOICE_FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "naming_series",
	"customer", "customer_name", "company", "posting_date", "due_date", "currency", "conversion_rate",
	"party_account_currency", "is_return", "base_net_total", "net_total", "base_grand_total",
	"grand_total", "outstanding_amount",
)  # fmt: skip
DELIVERY_FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "naming_series",
	"customer", "customer_name", "company", "posting_date", "currency", "conversion_rate", "is_return",
)  # fmt: skip
COMPLAINT_FIELDS = (
	"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "naming_series",
	"customer", "customer_name", "channel", "received_on", "complaint_type", "subject", "description",
)  # fmt: skip


def run(customers: int = 10_000, invoices: int = 200_000, keep: int = 0):
	frappe.only_for("System Manager")
	rng = random.Random(2026)
	company = frappe.defaults.get_defaults().get("company") or frappe.get_all("Company", pluck="name")[0]
	snapshot = {
		row.name: {"cs_watch_status": row.cs_watch_status}
		for row in frappe.get_all("Customer", fields=["name", "cs_watch_status"])
		if not row.name.startswith(PREFIX)
	}
	cleanup(snapshot)
	try:
		started = time.perf_counter()
		seed(customers, invoices, company, rng)
		frappe.db.commit()
		print(
			f"seeded {customers:,} customers, {invoices:,} invoices, {invoices // 100:,} return delivery notes "
			f"and {invoices // 50:,} complaints in {time.perf_counter() - started:.1f} s "
			f"({frappe.db.count('Customer'):,} customers on the site)"
		)
		for label, filters in (
			("report, All", {"status": "All"}),
			("report, At Risk", {"status": "At Risk"}),
		):
			with Counter() as counter:
				started = time.perf_counter()
				_columns, rows, _message, chart = customer_watch_list.execute(filters)
				elapsed = time.perf_counter() - started
			print(
				f"{label}: {elapsed:6.2f} s, {counter.count} SQL statements, {len(rows):,} rows, "
				f"chart {dict(zip(chart['data']['labels'], chart['data']['datasets'][0]['values'], strict=True))}"
			)
		for label in ("first run", "second run"):
			with Counter() as counter:
				started = time.perf_counter()
				counts = review_watch_lists()
				elapsed = time.perf_counter() - started
			frappe.db.commit()
			print(f"review_watch_lists, {label}: {elapsed:6.2f} s, {counter.count} SQL statements, {counts}")
		plan = frappe.db.sql(
			"explain " + FACTS.format(company="", where="where c.disabled = 0"),
			{"today": getdate(), "since": add_days(getdate(), -WINDOW_DAYS)},
			as_dict=True,
		)
		print(
			"facts query plan: "
			+ "; ".join(f"{row.table} {row.type} key={row.key} rows={row.rows}" for row in plan)
		)
	finally:
		if not keep:
			cleanup(snapshot)


def seed(customers: int, invoices: int, company: str, rng) -> None:
	now, today = now_datetime(), getdate()
	currency = frappe.get_cached_value("Company", company, "default_currency")
	names = seed_customers(
		PREFIX,
		customers,
		now,
		("cs_grade", "cs_credit_grade"),
		lambda: (rng.choice(("A", "B", "C", "D", "E", None)), rng.choice(("AAA", "AA", "A", "B", None))),
	)
	weights = long_tail(customers)
	buyers = rng.choices(names, weights=weights, k=invoices)
	rows = []
	for number, customer in enumerate(buyers):
		returned = rng.random() < 0.05
		amount = round(rng.uniform(50, 5000), 2) * (-0.5 if returned else 1)
		posted = add_days(today, -rng.randint(0, 400))
		due = add_days(posted, 30)
		unpaid = not returned and rng.random() < 0.10
		rows.append(
			(
				f"{PREFIX}SI-{number:07d}", now, now, "Administrator", "Administrator", 1, 0,
				"ACC-SINV-.YYYY.-", customer, customer, company, posted, due, currency, 1, currency,
				1 if returned else 0, amount, amount, amount, amount, amount if unpaid else 0,
			)
		)  # fmt: skip
	frappe.db.bulk_insert("Sales Invoice", INVOICE_FIELDS, rows, chunk_size=10_000)
	frappe.db.bulk_insert(
		"Delivery Note",
		DELIVERY_FIELDS,
		[
			(
				f"{PREFIX}DN-{number:07d}", now, now, "Administrator", "Administrator", 1, 0, "MAT-DN-RET-.YYYY.-",
				customer, customer, company, add_days(today, -rng.randint(0, 400)), currency, 1, 1,
			)
			for number, customer in enumerate(rng.choices(names, weights=weights, k=invoices // 100))
		],
		chunk_size=10_000,
	)  # fmt: skip
	frappe.db.bulk_insert(
		"Customer Complaint",
		COMPLAINT_FIELDS,
		[
			(
				f"{PREFIX}CC-{number:07d}", now, now, "Administrator", "Administrator", 0, 0, "CC-.YYYY.-",
				customer, customer, "Phone", add_days(now, -rng.randint(0, 400)), "Quality", "Benchmark",
				"Seeded by the watch-list benchmark.",
			)
			for number, customer in enumerate(rng.choices(names, weights=weights, k=invoices // 50))
		],
		chunk_size=10_000,
	)  # fmt: skip


def cleanup(snapshot: dict | None = None):
	frappe.db.sql("delete from `tabSales Invoice` where name like %s", f"{PREFIX}SI-%")
	frappe.db.sql("delete from `tabDelivery Note` where name like %s", f"{PREFIX}DN-%")
	frappe.db.sql("delete from `tabCustomer Complaint` where name like %s", f"{PREFIX}CC-%")
	complaint_summary.rebuild()
	frappe.db.sql("delete from `tabCustomer` where name like %s", f"{PREFIX}CUST-%")
	if snapshot:
		bulk.set_values("Customer", snapshot)
	frappe.db.commit()
