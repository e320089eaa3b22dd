"""Benchmark of the CS monthly figures (001 §4.10) over a large archive.

    bench --site dev.localhost execute cs_procedures.benchmarks.monthly_figures.run
    bench --site dev.localhost execute cs_procedures.benchmarks.monthly_figures.run --kwargs "{'complaints': 20000, 'calls': 40000}"

Seeds `complaints` complaints (named BENCH-…, by the complaint benchmark's seeder: received over the last
two years, 1 % open) and `calls` Call Logs (named BENCH-CALL-…, over the same two years, 70 % incoming,
a tenth of the incoming unanswered, 5 % of them with a complaint; no wait on outgoing calls) with bulk inserts. Then times
`month_figures` for last month (three runs, the median, with its SQL statements) and the report
*CS Monthly Figures* as the desk runs it, and removes what it seeded.
"""

import random
import statistics
import time
from datetime import timedelta

import frappe
from frappe.utils import getdate

from cs_procedures import complaint_summary, figures
from cs_procedures.benchmarks import STANDARD, complaints
from cs_procedures.benchmarks.table import Counter
from cs_procedures.cs_procedures.report.cs_monthly_figures import cs_monthly_figures
from cs_procedures.procedures import figures as rules

CALL_PREFIX = "BENCH-CALL-"
CALL_FIELDS = (
	*STANDARD, "docstatus", "idx", "id", "from", "to", "type", "status", "start_time", "duration", "customer",
	"cs_call_purpose", "cs_wait_seconds", "cs_customer_complaint",
)  # fmt: skip
PURPOSES = ("Complaint", "Enquiry", "Order", "Other")


def run(complaints: int = 100_000, calls: int = 200_000, keep: int = 0):
	frappe.only_for("System Manager")
	customers = frappe.get_all("Customer", pluck="name", limit=200) or frappe.throw(
		"No customers in this site"
	)
	seeder = complaints_seeder(customers)
	cleanup()
	try:
		started = time.perf_counter()
		seeder.seed(complaints // 100, closed=False)
		seeder.seed(complaints - complaints // 100, closed=True)
		complaint_summary.rebuild()  # the seeded rows bypassed the complaints' controller
		seed_calls(calls, customers, seeder.now, random.Random(2026))
		frappe.db.commit()
		print(
			f"seeded {complaints:,} complaints and {calls:,} calls in {time.perf_counter() - started:.1f} s"
		)
		month = rules.previous_month(getdate())
		runs = []
		for _ in range(3):
			with Counter() as counter:
				started = time.perf_counter()
				result = figures.month_figures(month)
				runs.append(time.perf_counter() - started)
		counted = {section["key"]: section["figures"][0]["value"] for section in result["sections"]}
		print(
			f"month_figures({rules.month_key(month)}): median {statistics.median(runs):.2f} s "
			f"(runs {', '.join(f'{run:.2f}' for run in runs)} s), {counter.count} SQL statements; "
			f"first figure of each section {counted}"
		)
		time_sections(month)
		started = time.perf_counter()
		rows = cs_monthly_figures.execute({"month": month})[1]
		print(f"report CS Monthly Figures: {time.perf_counter() - started:.2f} s ({len(rows)} rows)")
	finally:
		if not keep:
			cleanup()


def time_sections(month) -> None:
	"""Where the time goes: Complaint Statistics by month over the chart's twelve months, then each
	section's figures."""
	period = {"from_date": month, "to_date": rules.month_end(month)}
	chart = {"from_date": rules.months_back(month, figures.CHART_MONTHS - 1), "to_date": period["to_date"]}
	parts = [("complaints by month", figures.complaint_statistics.execute, ({**chart, "group_by": "Month"},))]
	parts.append(("complaints by cause", figures.complaint_figures, (period, {})))
	parts += [
		(name, getattr(figures, f"{name}_figures"), (period,))
		for name in ("satisfaction", "return", "repair", "visit", "call")
	]
	timings = []
	for name, function, args in parts:
		started = time.perf_counter()
		function(*args)
		timings.append(f"{name} {time.perf_counter() - started:.2f} s")
	print("by part: " + ", ".join(timings))


def complaints_seeder(customers):
	return complaints.Seeder(customers, frappe.get_all("Item", pluck="name", limit=50) or [None])


def seed_calls(count: int, customers: list[str], now, rng) -> None:
	rows = []
	for number in range(count):
		incoming = rng.random() < 0.7
		answered = not incoming or rng.random() >= 0.1
		rows.append(
			(
				f"{CALL_PREFIX}{number:07d}", now, now, "Administrator", "Administrator", 0, 0,
				f"{CALL_PREFIX}{number:07d}", "+86 10 5550 0101", "+86 10 8888 0000",
				"Incoming" if incoming else "Outgoing", "Completed" if answered else "No Answer",
				now - timedelta(days=rng.randint(1, 720), minutes=rng.randint(0, 600)),
				rng.randint(30, 900) if answered else 0, rng.choice(customers), rng.choice(PURPOSES),
				rng.randint(0, 120) if incoming else 0,
				f"{complaints.PREFIX}{rng.randint(1, 10**6):07d}" if rng.random() < 0.05 else None,
			)
		)  # fmt: skip
	frappe.db.bulk_insert("Call Log", CALL_FIELDS, rows, chunk_size=10_000)


def cleanup():
	complaints.cleanup()
	frappe.db.sql("delete from `tabCall Log` where name like %s", f"{CALL_PREFIX}%")
	frappe.db.commit()
