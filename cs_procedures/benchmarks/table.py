"""The one table every benchmark reports into (issue 24 item 6).

    bench --site S execute cs_procedures.benchmarks.table.run
    bench --site S execute cs_procedures.benchmarks.table.run --kwargs "{'parts': ['statistics'], 'scale': 0.1}"

Each part is a function `measure(scale) -> list[dict]` in its benchmark module, each dict made by
`result()`: what was measured, at what size, its time, the goal it is held to (if any), its peak memory
(if measured) and a short note. `run()` calls the parts in turn, prints the table headed by the
machine's cores and MariaDB version, and returns the rows.
"""

import importlib
import inspect
import os
import resource
import time
import tracemalloc
from contextlib import contextmanager

import frappe

# part name -> module holding its measure(scale); run in this order
PARTS = {
	"statistics": "cs_procedures.benchmarks.complaints",
	"sweep": "cs_procedures.benchmarks.complaints",
	"portal": "cs_procedures.benchmarks.portal",
	"grading": "cs_procedures.benchmarks.grading",
	"invitations": "cs_procedures.benchmarks.surveys",
	"replica": "cs_procedures.benchmarks.replica",
}


def result(
	work: str, size: str, seconds: float, goal: float | None = None, peak_mb=None, note: str = ""
) -> dict:
	"""One line of the table; `goal` is the most seconds allowed, `peak_mb` the peak memory in MB."""
	return {"work": work, "size": size, "seconds": seconds, "goal": goal, "peak_mb": peak_mb, "note": note}


@contextmanager
def peak_memory():
	"""Yields a dict whose 'mb' is, on exit, the process's peak resident memory (RSS) inside the block:
	Linux's high-water mark, reset on entry (/proc/self/clear_refs), which costs the work nothing; where
	it cannot be reset, the peak of Python's own allocations (tracemalloc, which slows the work)."""
	measured = {"mb": None}
	try:
		with open("/proc/self/clear_refs", "w") as refs:
			refs.write("5")
	except OSError:
		tracemalloc.start()
		try:
			yield measured
		finally:
			measured["mb"] = tracemalloc.get_traced_memory()[1] / 2**20
			tracemalloc.stop()
		return
	yield measured
	with open("/proc/self/status") as status:
		peak = next(line for line in status if line.startswith("VmHWM:"))
	measured["mb"] = int(peak.split()[1]) / 1024


class Counter:
	"""Counts the statements sent through frappe.db.sql while it is active."""

	def __enter__(self):
		self.count, self.original = 0, frappe.db.sql

		def counted(*args, **kwargs):
			self.count += 1
			return self.original(*args, **kwargs)

		frappe.db.sql = counted
		return self

	def __exit__(self, *exc):
		frappe.db.sql = self.original


class Measure:
	"""What `measured()` found of its block: seconds, peak resident memory (MB) and SQL statements."""

	seconds = mb = statements = None

	def row(self, work: str, size: str, note: str = "") -> dict:
		return result(work, size, self.seconds, peak_mb=self.mb, note=note)


@contextmanager
def measured():
	"""Yields a `Measure` of the block: its time, its peak memory (see `peak_memory`), its statements."""
	measure = Measure()
	with peak_memory() as memory, Counter() as counter:
		started = time.perf_counter()
		yield measure
		measure.seconds = time.perf_counter() - started
	measure.mb, measure.statements = memory["mb"], counter.count


def machine() -> str:
	version, pool = frappe.db.sql("select version(), @@innodb_buffer_pool_size")[0]
	maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
	return (
		f"{os.cpu_count()} cores, MariaDB {version} (InnoDB buffer pool {int(pool) / 2**20:,.0f} MB), "
		f"process peak RSS {maxrss:,.0f} MB"
	)


def verdict(row: dict) -> str:
	if row["goal"] is None or row["seconds"] is None:
		return ""
	return "ok" if row["seconds"] <= row["goal"] else "OVER"


def format_table(rows: list[dict]) -> str:
	lines = [
		f"{'work':<58}{'size':>26}{'seconds':>10}{'goal':>8}{'':>5}{'peak RSS MB':>12}  note",
	]
	for row in rows:
		goal = "" if row["goal"] is None else f"{row['goal']:g}"
		seconds = "" if row["seconds"] is None else f"{row['seconds']:.3f}"
		peak = "" if row["peak_mb"] is None else f"{row['peak_mb']:,.0f}"
		lines.append(
			f"{row['work']:<58}{row['size']:>26}{seconds:>10}{goal:>8}{verdict(row):>5}{peak:>12}  {row['note']}"
		)
	return "\n".join(lines)


def run(parts=None, scale: float = 1.0, options: dict | None = None):
	"""`options` are passed as keyword arguments to the parts whose measure function takes them (sizes,
	keep, admin_user and admin_password of the replica's servers)."""
	frappe.only_for("System Manager")
	started, rows = time.perf_counter(), []
	for part in parts or PARTS:
		module = importlib.import_module(PARTS[part])
		measure = getattr(module, f"measure_{part}", getattr(module, "measure", None))
		accepted = inspect.signature(measure).parameters
		rows.extend(
			measure(scale, **{key: value for key, value in (options or {}).items() if key in accepted})
		)
	print(machine())
	print(format_table(rows))
	print(f"(all parts in {time.perf_counter() - started:,.0f} s)")
	return rows
