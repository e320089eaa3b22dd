"""Reads on a replica: the reports and a portal page read from the replica while the complaint sweep
writes to the primary, and what a user sees while the replica lags.

    bench --site replica.localhost execute cs_procedures.benchmarks.replica.run --kwargs "{'total': 20000}"

The site must send its read-only paths to a replica (`read_from_replica`, `replica_host`,
`replica_db_port`: `scripts/replica-setup` prints them). `admin_user` / `admin_password` are a MariaDB
user of both servers allowed to read their global status and, on the replica, to stop and start its SQL
thread (SHOW SLAVE STATUS, STOP SLAVE SQL_THREAD); the site itself reads and writes as its own user.
Seeds `total` complaints (benchmarks/complaints.py's seeder, named BENCH-…) and a portal customer, and
removes them at the end.
"""

import threading
import time
from contextlib import contextmanager

import frappe
from frappe.desk.query_report import run as run_report
from frappe.utils import now_datetime

from cs_procedures import complaint_summary
from cs_procedures.benchmarks import complaints as archive
from cs_procedures.benchmarks import seed_customers
from cs_procedures.cs_procedures.doctype.customer_complaint.scheduled import sweep_overdue_complaints
from cs_procedures.testing import USERS_MADE, end_of_request, ensure_customer, ensure_user, remove_users
from cs_procedures.www.complaints.index import complaints_context

PORTAL_CUSTOMER = "_CS Replica Bench Customer"
PORTAL_USER = "replica.bench@example.com"
COUNTERS = ("Com_select", "Com_insert", "Com_update", "Com_delete")
LAG_SEED = 1_000  # complaints written on the primary while the replica's SQL thread is stopped


class Servers:
	"""Admin connections to the primary and the replica: their counters, positions and the SQL thread."""

	def __init__(self, user: str, password: str):
		from frappe.database import get_db

		conf = frappe.conf
		self.primary = get_db(host=conf.db_host, port=conf.db_port, user=user, password=password)
		self.replica = get_db(host=conf.replica_host, port=conf.replica_db_port, user=user, password=password)

	def counters(self) -> dict:
		return {
			side: dict(db.sql(f"show global status where Variable_name in {COUNTERS}"))
			for side, db in (("primary", self.primary), ("replica", self.replica))
		}

	def slave_status(self) -> dict:
		return self.replica.sql("show slave status", as_dict=True)[0]

	def positions(self) -> tuple[str, str]:
		return (
			self.primary.sql("select @@gtid_binlog_pos")[0][0],
			self.replica.sql("select @@gtid_slave_pos")[0][0],
		)

	def wait_for_replica(self, timeout: float = 300) -> float:
		started = time.perf_counter()
		while time.perf_counter() - started < timeout:
			primary, replica = self.positions()
			if primary == replica:
				return time.perf_counter() - started
			time.sleep(0.2)
		frappe.throw(f"the replica did not catch up in {timeout} s")

	def close(self):
		self.primary.close()
		self.replica.close()


def run(
	total: int = 20_000, admin_user: str = "root", admin_password: str = "root", time_every_report: int = 1
):
	frappe.only_for("System Manager")
	servers = replica_servers(admin_user, admin_password)
	try:
		with archive_on_primary(servers, total) as seeder:
			print_where()
			print_table(reads_alone(servers) + reads_beside_the_sweep(servers, seeder.now))
			print_lag(servers, seeder)
			if time_every_report:
				print_report_times()
	finally:
		servers.close()


def measure_replica(scale: float = 1.0, admin_user: str = "root", admin_password: str = "root") -> list[dict]:
	"""Rows of the benchmark table (benchmarks/table.py, part "replica"): Complaint Statistics and the
	portal's /complaints on the replica over `20,000 × scale` complaints, alone and while the sweep
	writes to the primary, with the statements each server ran meanwhile; on a site that reads from no
	replica, one line that says so."""
	from cs_procedures.benchmarks.table import result

	total = int(20_000 * scale)
	size = f"{total:,} complaints"
	if not frappe.conf.read_from_replica:
		return [result("reads on a replica", size, None, note="not run: the site reads from no replica")]
	servers = replica_servers(admin_user, admin_password)
	try:
		with archive_on_primary(servers, total) as seeder:
			rows = reads_alone(servers) + reads_beside_the_sweep(servers, seeder.now)
	finally:
		servers.close()
	return [
		result(
			f"{row['label']}, on the replica",
			size,
			row["seconds"],
			note=f"selects: {row['replica selects']:,} on the replica, {row['primary selects']:,} on the "
			f"primary; {row['primary writes']:,} writes on the primary",
		)
		for row in rows
	]


def replica_servers(admin_user: str, admin_password: str) -> "Servers":
	if not frappe.conf.read_from_replica:
		frappe.throw(
			"This site reads nothing from a replica: set read_from_replica, replica_host, replica_db_port"
		)
	return Servers(admin_user, admin_password)


@contextmanager
def archive_on_primary(servers: "Servers", total: int):
	"""`total` complaints (1 % open) and a portal customer written on the primary, summed, and waited for
	on the replica; removed again on exit. Yields the seeder."""
	users_before = len(USERS_MADE)
	archive.cleanup()
	customers = [portal_customer(), *seed_customers("RPL-", 50, now_datetime())]
	seeder = archive.Seeder(customers, frappe.get_all("Item", pluck="name", limit=50) or [None])
	try:
		started = time.perf_counter()
		seeder.seed(max(total // 100, 100), closed=False)
		seeder.seed(total - max(total // 100, 100), closed=True)
		complaint_summary.rebuild()  # the seeded rows bypassed the complaints' controller
		frappe.db.commit()
		seeded = time.perf_counter() - started
		caught_up = servers.wait_for_replica()
		print(
			f"seeded {total:,} complaints on the primary in {seeded:.1f} s; replica caught up {caught_up:.1f} s later"
		)
		yield seeder
	finally:
		servers.replica.sql("start slave sql_thread")
		archive.cleanup()
		frappe.db.sql("delete from `tabCustomer` where name like 'RPL-CUST-%%'")
		frappe.db.commit()
		remove_users(USERS_MADE[users_before:])


def portal_customer() -> str:
	ensure_user(PORTAL_USER, ["Customer"], user_type="Website User")
	return ensure_customer(PORTAL_CUSTOMER, user=PORTAL_USER)


@frappe.read_only()
def server_of_read_only() -> tuple:
	return frappe.db.sql("select @@port, @@server_id, current_user()")[0]


def print_where():
	end_of_request()
	inside = server_of_read_only()
	outside = frappe.db.sql("select @@port, @@server_id, current_user()")[0]
	print(f"inside frappe.read_only(): port {inside[0]}, server_id {inside[1]} ({inside[2]})")
	print(f"outside (the sweep, saves): port {outside[0]}, server_id {outside[1]} ({outside[2]})")


def statistics() -> tuple[int, int]:
	"""What a CS manager sees in Complaint Statistics by month: complaints and closed, over all rows."""
	end_of_request()
	result = run_report("Complaint Statistics", filters={"group_by": "Month"}, ignore_prepared_report=True)
	rows = [row for row in result["result"] if isinstance(row, dict)]
	return sum(row.get("complaints") or 0 for row in rows), sum(row.get("closed") or 0 for row in rows)


def portal_page() -> str | None:
	"""What the portal customer sees on /complaints: their newest complaint, at the top of the list."""
	end_of_request()
	frappe.set_user(PORTAL_USER)
	try:
		rows = complaints_context(frappe._dict()).complaints or []
	finally:
		frappe.set_user("Administrator")
	return rows[0].name if rows else None


def measured(servers: Servers, label: str, call) -> dict:
	before = servers.counters()
	started = time.perf_counter()
	call()
	seconds = time.perf_counter() - started
	after = servers.counters()

	def delta(side, name):
		return int(after[side][name]) - int(before[side][name])

	writes = sum(delta("primary", name) for name in ("Com_insert", "Com_update", "Com_delete"))
	return {
		"label": label,
		"seconds": seconds,
		"replica selects": delta("replica", "Com_select"),
		"primary selects": delta("primary", "Com_select"),
		"primary writes": writes,
	}


def reads_alone(servers: Servers) -> list[dict]:
	statistics(), portal_page()  # once first: the doctypes' metadata is then cached, as on a running site
	return [
		measured(servers, "Complaint Statistics, alone", statistics),
		measured(servers, "portal /complaints, alone", portal_page),
	]


def reads_beside_the_sweep(servers: Servers, now) -> list[dict]:
	"""The same reads while another thread (its own connection, as a scheduler worker) sweeps."""
	site, sites_path = frappe.local.site, frappe.local.sites_path
	done, swept = threading.Event(), {}

	def sweep():
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		try:
			swept["server_id"] = frappe.db.sql("select @@server_id")[0][0]
			while not done.is_set():
				archive.breach(now, 100)
				swept["acted"] = swept.get("acted", 0) + sweep_overdue_complaints(now)
				frappe.db.commit()
		finally:
			frappe.destroy()

	worker = threading.Thread(target=sweep)
	worker.start()
	try:
		time.sleep(1)
		rows = [
			measured(servers, "Complaint Statistics, beside the sweep", statistics),
			measured(servers, "portal /complaints, beside the sweep", portal_page),
		]
	finally:
		done.set()
		worker.join()
	print(
		f"the sweep ran on server_id {swept['server_id']} meanwhile and acted on {swept.get('acted', 0)} complaints"
	)
	return rows


def print_table(rows: list[dict]):
	print(f"{'':<42}{'seconds':>9}{'replica selects':>17}{'primary selects':>17}{'primary writes':>16}")
	for row in rows:
		print(
			f"{row['label']:<42}{row['seconds']:>9.2f}{row['replica selects']:>17,}"
			f"{row['primary selects']:>17,}{row['primary writes']:>16,}"
		)


def file_on_primary(seeder) -> str:
	"""The portal customer files a complaint now (on the primary), among LAG_SEED others."""
	seeder.seed(LAG_SEED, closed=False)
	filed = archive.Seeder([PORTAL_CUSTOMER], seeder.items)
	filed.serial = seeder.serial
	filed.seed(1, closed=False)
	name = frappe.db.get_value(
		"Customer Complaint", {"customer": PORTAL_CUSTOMER}, "name", order_by="name desc"
	)
	frappe.db.set_value("Customer Complaint", name, "received_on", now_datetime(), update_modified=False)
	frappe.db.commit()
	return name


def print_lag(servers: Servers, seeder):
	"""The replica's SQL thread stopped: what the report and the page show, then how they catch up."""
	before = statistics()[0], portal_page()
	servers.replica.sql("stop slave sql_thread")
	filed = file_on_primary(seeder)
	on_primary = frappe.db.count("Customer Complaint")
	stale = statistics()[0], portal_page()
	status = servers.slave_status()
	primary_pos, replica_pos = servers.positions()
	print(
		f"replica SQL thread stopped; {LAG_SEED + 1:,} complaints written on the primary ({on_primary:,} there now)"
	)
	print(
		f"  Slave_SQL_Running {status['Slave_SQL_Running']}, Seconds_Behind_Master {status['Seconds_Behind_Master']}"
	)
	print(f"  GTID: primary at {primary_pos}, replica applied {replica_pos}")
	print(f"  Complaint Statistics shows {stale[0]:,} complaints ({before[0]:,} before the writes)")
	print(
		f"  the customer just filed {filed}; their /complaints list starts with {stale[1]} ({before[1]} before)"
	)
	time.sleep(2)
	servers.replica.sql("start slave sql_thread")
	started = time.perf_counter()
	behind = servers.slave_status()["Seconds_Behind_Master"]
	while statistics()[0] != on_primary:
		time.sleep(0.1)
	print(
		f"SQL thread started (Seconds_Behind_Master {behind} at once): the report showed all {on_primary:,}"
	)
	print(
		f"  {time.perf_counter() - started:.2f} s later; the customer's list now starts with {portal_page()}"
	)


PREPARED_THRESHOLD = (
	15  # seconds: Frappe makes a report prepared itself after a run this long (Report.execute_script_report)
)


def print_report_times():
	"""Every Script Report of the app over the whole archive, through query_report.run on the replica."""
	today = now_datetime().date()
	filters = {
		"company": frappe.defaults.get_global_default("company"),
		"from_date": today.replace(year=today.year - 2),
		"to_date": today,
		"date": today,
		"year": today.year,
		"salesperson": "Administrator",
		"campaign": frappe.db.get_value("Satisfaction Survey Campaign", {}, "name"),
		"month": today.replace(day=1),
	}
	reports = frappe.get_all(
		"Report", filters={"module": "CS Procedures", "report_type": "Script Report"}, pluck="name"
	)
	print(f"{'report (on the replica)':<42}{'seconds':>9}{'rows':>11}")
	for report in sorted(reports):
		end_of_request()
		started = time.perf_counter()
		try:
			rows = len(run_report(report, filters=dict(filters), ignore_prepared_report=True)["result"])
		except Exception as error:  # a report refusing its filters: Frappe's Error Log fails on a replica
			print(f"{report:<42}{'':>9}  failed: {type(error).__name__} {str(error)[:90]}")
			frappe.clear_messages()
			continue
		seconds = time.perf_counter() - started
		mark = "  over the prepared-report threshold" if seconds > PREPARED_THRESHOLD else ""
		print(f"{report:<42}{seconds:>9.2f}{rows:>11,}{mark}")
