"""Benchmark of bringing a complaint history in through Frappe's Data Import (cs_procedures/history.py).

    bench --site dev.localhost execute cs_procedures.benchmarks.history.run
    bench --site dev.localhost execute cs_procedures.benchmarks.history.run --kwargs "{'total': 5000}"

Writes a CSV of `total` closed complaints of the two years before, as a department's tracking ledger
would give them, makes the Data Import, and times its dry run and its import as the background jobs
run them (in this process, as Administrator). Then it counts them in Complaint Statistics and removes
what it made (unless `keep`).
"""

import csv
import io
import random
import time
from datetime import datetime, timedelta

import frappe
from frappe.core.doctype.data_import.data_import import start_import

from cs_procedures import history
from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics

COMPLAINT = "Customer Complaint"
HEADER = ("customer", "channel", "received_on", "complaint_type", "subject", "description", "workflow_state",
		  "closed_on", "loss_amount", "sheet_due_by", "sheet_issued_on")  # fmt: skip


def run(total: int = 50_000, keep: int = 0):
	frappe.only_for("System Manager")
	customers = frappe.get_all("Customer", pluck="name", limit=200) or frappe.throw(
		"No customers in this site"
	)
	frappe.flags.mute_emails = True
	name = history.new_data_import(COMPLAINT, ledger(total, customers), "complaint-ledger.csv")
	started = time.perf_counter()
	report = history.run_dry_run(name)
	dry_run = time.perf_counter() - started
	started = time.perf_counter()
	start_import(name)
	imported = time.perf_counter() - started
	made = frappe.db.count(COMPLAINT, {"imported_from": name})
	started = time.perf_counter()
	complaint_statistics.execute({"group_by": "Month", "from_date": "2000-01-01", "to_date": "2100-01-01"})
	statistics = time.perf_counter() - started
	result = {
		"rows": total,
		"would_make": len(report["made"]),
		"refused": len(report["refused"]),
		"made": made,
		"dry_run_s": round(dry_run, 1),
		"import_s": round(imported, 1),
		"import_rows_per_s": round(made / imported, 1) if imported else None,
		"statistics_s": round(statistics, 2),
	}
	if not keep:
		remove(name)
	print(result)
	return result


def ledger(total: int, customers: list[str]) -> str:
	rng = random.Random(50_000)
	start = datetime.now().replace(microsecond=0) - timedelta(days=730)
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow(HEADER)
	for number in range(total):
		received = start + timedelta(minutes=rng.randrange(700 * 24 * 60))
		stamped = number % 2 == 0
		writer.writerow(
			(
				rng.choice(customers), "Phone", received, rng.choice(("Quality", "Delivery", "Service")),
				f"Ledger complaint {number}", f"From the tracking ledger, line {number}", "Closed",
				received + timedelta(days=rng.randrange(1, 30)), rng.randrange(0, 1000),
				received + timedelta(hours=8) if stamped else "", received + timedelta(hours=4) if stamped else "",
			)
		)  # fmt: skip
	return out.getvalue()


def remove(name: str) -> None:
	"""The benchmark's complaints are decided records: they go straight from the tables."""
	names = frappe.get_all(COMPLAINT, filters={"imported_from": name}, pluck="name")
	for batch in range(0, len(names), 1000):
		chunk = names[batch : batch + 1000]
		frappe.db.delete("Version", {"ref_doctype": COMPLAINT, "docname": ("in", chunk)})
		frappe.db.delete(COMPLAINT, {"name": ("in", chunk)})
	frappe.db.delete("Data Import Log", {"data_import": name})
	frappe.delete_doc("Data Import", name, force=True, ignore_permissions=True)
	frappe.db.commit()
