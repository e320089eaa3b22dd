"""Benchmark of the customer's portal under load (issue 24 item 4).

    bench --site S execute cs_procedures.benchmarks.table.run --kwargs "{'parts': ['portal'], 'scale': 1.0}"

Seeds `10,000 × scale` customers named BENCH-PORTAL-CUST-…, each with a Contact (e-mail) and a Website
User (role Customer) in the customer's Portal Users, all with one known password (its hash computed
once and copied into __Auth); complaints for the customers (the complaint benchmark's Seeder) and an
open survey response for every fifth customer and for each client's customer. It serves the site
with gunicorn as production does (a worker per core, the app preloaded), then CLIENTS threads, each
logged in as a different portal user, request each page in turn, all at once; Frappe's own /login
page is requested the same way without a login, for comparison. Every answer is checked: status
200, no redirect, and the user's own data on the page (a failed login is not a fast page). The rows
give the p95 latency as seconds, the p50 and p95 in the note. Everything seeded is removed.
"""

import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from cs_procedures import bulk
from cs_procedures.benchmarks import STANDARD, seed_customers, table
from cs_procedures.benchmarks import complaints as complaint_bench

PREFIX = "BENCH-PORTAL-"
USER_DOMAIN = "cs-portal-bench.example"
PASSWORD = "Bench-Portal-2026!"
CLIENTS = 20
PAGES = ("/complaints", "/service", "/survey")
CAMPAIGN_TITLE = "Benchmark portal survey"


def measure_portal(scale: float = 1.0) -> list[dict]:
	frappe.only_for("System Manager")
	import requests  # noqa: F401  (fails early if the client library is missing)

	count = max(int(10_000 * scale), CLIENTS)
	requests_each = max(5, int(25 * min(scale, 1.0)))
	cleanup()
	server = None
	try:
		clients = seed(count, scale)
		frappe.db.commit()
		server = Server(frappe.local.site)
		server.start()
		results = load(server, clients, requests_each)
	finally:
		if server:
			server.stop()
		cleanup()
	size = f"{count:,} portal users"
	rows = []
	login_p50 = results["/login"]["p50"]
	for page in ("/login", *PAGES):
		result = results[page]
		note = (
			f"p50 {result['p50'] * 1000:,.0f} ms, p95 {result['p95'] * 1000:,.0f} ms, "
			f"{result['n']} requests, {CLIENTS} clients"
		)
		if page != "/login":
			note += f", p50 {result['p50'] / login_p50:.1f}× /login's"
		if result["failed"]:
			note += f", {result['failed']} FAILED (not counted)"
		rows.append(
			table.result(
				f"portal {page}" + (" (anonymous, Frappe's)" if page == "/login" else ""),
				size,
				result["p95"],
				note=note,
			)
		)
	return rows


# -- the site's data ----------------------------------------------------------------------------


def user_of(number: int) -> str:
	return f"bench-portal-{number:06d}@{USER_DOMAIN}"


def seed(count: int, scale: float) -> list[dict]:
	"""The customers, their contacts and portal users, complaints and open surveys; returns the
	CLIENTS clients: {"user", "customer", "complaints", "open", "campaign"}."""
	from frappe.utils.password import passlibctx

	from cs_procedures.install import DEFAULT_SURVEY, create_default_survey_template

	now = now_datetime()
	customers = seed_customers(PREFIX, count, now)
	password_hash = passlibctx.hash(PASSWORD)
	users, roles, auth, portal_users, contacts, emails, links = [], [], [], [], [], [], []
	for number, customer in enumerate(customers):
		user, contact = user_of(number), f"{PREFIX}CONTACT-{number:06d}"
		stamp = dict(zip(STANDARD, (None, now, now, "Administrator", "Administrator"), strict=True))
		users.append(
			{
				**stamp,
				"name": user,
				"email": user,
				"first_name": customer,
				"full_name": customer,
				"enabled": 1,
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		roles.append(
			{
				**stamp,
				"name": frappe.generate_hash(length=10),
				"parent": user,
				"parenttype": "User",
				"parentfield": "roles",
				"idx": 1,
				"role": "Customer",
			}
		)
		auth.append({"doctype": "User", "name": user, "fieldname": "password", "password": password_hash})
		portal_users.append(
			{
				**stamp,
				"name": frappe.generate_hash(length=10),
				"parent": customer,
				"parenttype": "Customer",
				"parentfield": "portal_users",
				"idx": 1,
				"user": user,
			}
		)
		contacts.append(
			{
				**stamp,
				"name": contact,
				"first_name": customer,
				"email_id": user,
				"user": user,
				"is_primary_contact": 1,
				"status": "Passive",
			}
		)
		emails.append(
			{
				**stamp,
				"name": frappe.generate_hash(length=10),
				"parent": contact,
				"parenttype": "Contact",
				"parentfield": "email_ids",
				"idx": 1,
				"email_id": user,
				"is_primary": 1,
			}
		)
		links.append(
			{
				**stamp,
				"name": frappe.generate_hash(length=10),
				"parent": contact,
				"parenttype": "Contact",
				"parentfield": "links",
				"idx": 1,
				"link_doctype": "Customer",
				"link_name": customer,
				"link_title": customer,
			}
		)
	for doctype, rows in (
		("User", users),
		("Has Role", roles),
		("Portal User", portal_users),
		("Contact", contacts),
		("Contact Email", emails),
		("Dynamic Link", links),
	):
		bulk.insert_rows(doctype, rows)
	for start in range(0, len(auth), bulk.CHUNK):
		part = auth[start : start + bulk.CHUNK]
		frappe.db.sql(
			"insert into `__Auth` (doctype, name, fieldname, password, encrypted) values "
			+ ", ".join(["(%s, %s, %s, %s, 0)"] * len(part)),
			[value for row in part for value in row.values()],
		)
	frappe.db.commit()

	# complaints: 2 a customer on average, 10 % of them open
	seeder = complaint_bench.Seeder(customers, frappe.get_all("Item", pluck="name", limit=50) or [None])
	seeder.seed(int(2_000 * scale) or 2, closed=False)
	seeder.seed(int(18_000 * scale) or 18, closed=True)
	with_complaints = frappe.db.sql_list(
		"""select distinct customer from `tabCustomer Complaint` where name like %s and customer like %s
		order by customer""",
		(f"{complaint_bench.PREFIX}%", f"{PREFIX}%"),
	)
	step = max(1, len(with_complaints) // CLIENTS)
	chosen = with_complaints[::step][:CLIENTS]

	# an open survey for every fifth customer and for each client's
	create_default_survey_template()
	campaign = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Campaign",
			"title": CAMPAIGN_TITLE,
			"template": DEFAULT_SURVEY["template_name"],
			"period_start": (now - timedelta(days=180)).date(),
			"period_end": now.date(),
			"reply_by": (now + timedelta(days=14)).date(),
			"audience": "Customer Group",
			"customer_group": frappe.db.get_value("Customer", customers[0], "customer_group"),
		}
	).insert()
	frappe.db.set_value(campaign.doctype, campaign.name, "status", "Sent", update_modified=False)
	surveyed = sorted(set(customers[::5]) | set(chosen))
	bulk.insert_rows(
		"Satisfaction Survey Response",
		[
			{
				"name": f"{PREFIX}SSR-{number:06d}",
				"creation": now,
				"modified": now,
				"owner": "Administrator",
				"modified_by": "Administrator",
				"naming_series": "SSR-.YYYY.-.#####",
				"campaign": campaign.name,
				"customer": customer,
				"customer_name": customer,
				"status": "Invited",
				"token_expires_on": now + timedelta(days=14),
			}
			for number, customer in enumerate(surveyed)
		],
	)
	frappe.db.commit()
	return [expected(customer, campaign.name) for customer in chosen]


def expected(customer: str, campaign: str) -> dict:
	"""What the portal shows the customer's user: their complaints, how many open, their survey."""
	from cs_procedures.cs_procedures.doctype.customer_complaint import portal_views
	from cs_procedures.procedures import portal as rules

	rows = portal_views.complaint_rows([customer])
	return {
		"user": user_of(int(customer.rsplit("-", 1)[1])),
		"customer": customer,
		"complaints": [row.name for row in rows],
		"open": sum(row.state_words != rules.CLOSED for row in rows),
		"campaign": campaign,
	}


def cleanup():
	"""Everything the benchmark seeded, and the sessions and logs of its users."""
	pattern = f"bench-portal-%@{USER_DOMAIN}"
	for sid in frappe.db.sql_list("select sid from `tabSessions` where user like %s", pattern):
		frappe.cache.hdel("session", sid)
	# the users who logged in (the clients): their cached data is cleared, not every user's (slow)
	logged_in = frappe.db.sql_list("select distinct user from `tabActivity Log` where user like %s", pattern)
	campaigns = frappe.get_all("Satisfaction Survey Campaign", {"title": CAMPAIGN_TITLE}, pluck="name")
	for statement, value in (
		("delete from `tabSessions` where user like %s", pattern),
		("delete from `tabActivity Log` where user like %s", pattern),
		("delete from `__Auth` where doctype = 'User' and name like %s", pattern),
		("delete from `tabHas Role` where parenttype = 'User' and parent like %s", pattern),
		("delete from `tabUser` where name like %s", pattern),
		("delete from `tabPortal User` where parenttype = 'Customer' and parent like %s", f"{PREFIX}%"),
		("delete from `tabContact Email` where parenttype = 'Contact' and parent like %s", f"{PREFIX}%"),
		("delete from `tabDynamic Link` where parenttype = 'Contact' and parent like %s", f"{PREFIX}%"),
		("delete from `tabContact` where name like %s", f"{PREFIX}%"),
		("delete from `tabSatisfaction Survey Response` where name like %s", f"{PREFIX}%"),
		("delete from `tabCustomer` where name like %s", f"{PREFIX}%"),
	):
		frappe.db.sql(statement, value)
	for campaign in campaigns:
		frappe.db.sql("delete from `tabSatisfaction Survey Response` where campaign = %s", campaign)
		frappe.db.sql("delete from `tabComment` where reference_name = %s", campaign)
		frappe.db.sql("delete from `tabVersion` where docname = %s", campaign)
		frappe.db.sql("delete from `tabSatisfaction Survey Campaign` where name = %s", campaign)
	complaint_bench.cleanup()  # the BENCH- complaints, and commits
	for user in logged_in:
		frappe.clear_cache(user=user)


# -- the server and its clients ----------------------------------------------------------------


class Server:
	"""The site served by gunicorn as in production (`frappe.app:application`, a worker per core)."""

	def __init__(self, site: str):
		self.site = site
		with socket.socket() as probe:
			probe.bind(("127.0.0.1", 0))
			self.port = probe.getsockname()[1]
		self.url = f"http://127.0.0.1:{self.port}"
		self.process = None
		self.log = f"/tmp/cs_portal_bench_{self.port}.log"

	def start(self, timeout: float = 90):
		gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
		app_root = os.path.dirname(os.path.dirname(os.path.abspath(frappe.get_app_path("cs_procedures"))))
		env = dict(os.environ)
		env["PYTHONPATH"] = os.pathsep.join(filter(None, (app_root, env.get("PYTHONPATH"))))
		with open(self.log, "w") as log:
			self.process = subprocess.Popen(
				[
					gunicorn,
					"-b",
					f"127.0.0.1:{self.port}",
					"-w",
					str(os.cpu_count() or 1),
					"-t",
					"120",
					"frappe.app:application",
					"--preload",
				],
				cwd=os.path.abspath(frappe.local.sites_path),
				env=env,
				stdout=log,
				stderr=subprocess.STDOUT,
				start_new_session=True,  # its workers are stopped with it
			)
		import requests

		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			if self.process.poll() is not None:
				raise RuntimeError(f"gunicorn stopped, see {self.log}")
			try:
				if requests.get(f"{self.url}/api/method/ping", headers=self.headers(), timeout=5).ok:
					return
			except requests.RequestException:
				pass
			time.sleep(0.5)
		raise RuntimeError(f"gunicorn did not answer in {timeout} s, see {self.log}")

	def headers(self) -> dict:
		return {"Host": self.site}

	def stop(self):
		if not self.process or self.process.poll() is not None:
			return
		os.killpg(self.process.pid, signal.SIGTERM)
		try:
			self.process.wait(timeout=30)
		except subprocess.TimeoutExpired:
			os.killpg(self.process.pid, signal.SIGKILL)
			self.process.wait()


def check(page: str, client: dict | None, response) -> bool:
	"""The page as its user must see it: 200, not a redirect, and their own data on it."""
	if response.status_code != 200:
		return False
	text = response.text
	if page == "/login":
		return "form-login" in text
	if page == "/complaints":
		shown = text.count("cs-complaint-row")
		return shown == len(client["complaints"]) and all(name in text for name in client["complaints"])
	if page == "/service":
		total = len(client["complaints"])
		return (
			f"{client['open']} open of {total} complaints." in text
			and "1 surveys wait for your answer." in text
		)
	if page == "/survey":
		return f"{client['customer']} — {client['campaign']}" in text
	return False


def load(server: Server, clients: list[dict], requests_each: int) -> dict:
	"""Each page in turn, requested `requests_each` times by every client at once; latencies of the
	answers that passed the check, by page."""
	import requests

	sessions = []
	for client in clients:
		session = requests.Session()
		session.headers.update(server.headers())
		answer = session.post(
			f"{server.url}/api/method/login", data={"usr": client["user"], "pwd": PASSWORD}, timeout=120
		)
		if answer.status_code != 200 or session.cookies.get("user_id") in (None, "Guest"):
			raise RuntimeError(f"login of {client['user']} failed: {answer.status_code} {answer.text[:200]}")
		sessions.append(session)
	results = {}
	for page in ("/login", *PAGES):
		latencies, failures = [], []
		barrier = threading.Barrier(len(clients))

		def work(index: int, page=page, barrier=barrier, latencies=latencies, failures=failures):
			if page == "/login":  # anonymous, a browser without the session
				session = requests.Session()
				session.headers.update(server.headers())
				client = None
			else:
				session, client = sessions[index], clients[index]
			session.get(f"{server.url}{page}", allow_redirects=False, timeout=120)  # warm, not counted
			barrier.wait()
			for _ in range(requests_each):
				started = time.perf_counter()
				response = session.get(f"{server.url}{page}", allow_redirects=False, timeout=120)
				elapsed = time.perf_counter() - started
				(latencies if check(page, client, response) else failures).append(elapsed)

		threads = [threading.Thread(target=work, args=(index,)) for index in range(len(clients))]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()
		if not latencies:
			raise RuntimeError(f"no request of {page} passed its check")
		results[page] = {
			"p50": statistics.median(latencies),
			"p95": statistics.quantiles(latencies, n=20, method="inclusive")[-1],
			"n": len(latencies),
			"failed": len(failures),
		}
	for session in sessions:
		session.get(f"{server.url}/api/method/logout", timeout=120)
	return results
