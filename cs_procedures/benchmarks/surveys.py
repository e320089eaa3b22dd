"""Benchmark of a satisfaction survey campaign over many customers.

    bench --site dev.localhost execute cs_procedures.benchmarks.surveys.run
    bench --site dev.localhost execute cs_procedures.benchmarks.surveys.run --kwargs "{'sizes': [10, 200, 2000]}"

The first size only warms the caches up. For each size it bulk-seeds that many customers (each with a contact and e-mail) in a
customer group, sends a campaign to the group (responses and queued e-mails), lets 80 %
answer with good scores, then closes the campaign and counts the SQL statements of the
close. Everything it seeded is removed afterwards.
"""

import random
import time
from contextlib import contextmanager

import frappe
from frappe.utils import add_days, getdate, now_datetime

GROUP = "_CS Bench Customers"
PREFIX = "_CS Bench Customer "
ACCOUNT = "_CS Bench Outgoing"


def run(sizes=(10, 200, 2000)):
	frappe.only_for("System Manager")
	from cs_procedures.install import DEFAULT_SURVEY, create_default_survey_template

	create_default_survey_template()
	cleanup()
	try:
		outgoing_account()
		for size in sizes:
			seed_customers(size)
			campaign = frappe.get_doc(
				{
					"doctype": "Satisfaction Survey Campaign",
					"title": f"Benchmark {size}",
					"template": DEFAULT_SURVEY["template_name"],
					"period_start": add_days(getdate(), -180),
					"period_end": getdate(),
					"reply_by": add_days(getdate(), 14),
					"audience": "Customer Group",
					"customer_group": GROUP,
				}
			).insert()
			started = time.perf_counter()
			campaign.send_invitations()
			invite = time.perf_counter() - started
			answer(campaign.name, share=0.8)
			with counted_queries() as queries:
				started = time.perf_counter()
				campaign.reload().close()
				close = time.perf_counter() - started
			campaign.reload()
			print(
				("warm-up " if size == sizes[0] else "")
				+ f"{size:>5} customers: invitations {invite:6.1f} s ({invite / size * 1000:4.1f} ms each); "
				f"close and score {close:5.2f} s with {queries[0]} SQL statements; "
				f"response rate {campaign.response_rate} %, valid {campaign.is_valid}"
			)
			frappe.db.commit()
			cleanup(keep_account=True)
	finally:
		cleanup()


def outgoing_account():
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": ACCOUNT,
			"email_id": "bench@cs-bench.example",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "127.0.0.1",
		}
	)
	account.flags.ignore_validate = True  # no SMTP server to check: mails stay in the queue
	account.insert()


def seed_customers(size: int):
	if not frappe.db.exists("Customer Group", GROUP):
		frappe.get_doc(
			{
				"doctype": "Customer Group",
				"customer_group_name": GROUP,
				"parent_customer_group": "All Customer Groups",
			}
		).insert()
	now, territory = now_datetime(), frappe.db.get_value("Territory", {"is_group": 0}) or "All Territories"
	customers, contacts, links = [], [], []
	for i in range(size):
		name, contact = f"{PREFIX}{i:05d}", f"_CS Bench Contact {i:05d}"
		customers.append(
			(name, now, now, "Administrator", "Administrator", name, "Company", GROUP, territory, 0)
		)
		contacts.append(
			(contact, now, now, "Administrator", "Administrator", name, f"buyer{i}@cs-bench.example", 1)
		)
		links.append(
			(frappe.generate_hash(length=10), now, now, "Administrator", "Administrator", contact)
			+ ("Contact", "links", "Customer", name)
		)
	frappe.db.bulk_insert(
		"Customer",
		(
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"customer_name",
			"customer_type",
			"customer_group",
			"territory",
			"disabled",
		),
		customers,
	)
	frappe.db.bulk_insert(
		"Contact",
		(
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"first_name",
			"email_id",
			"is_primary_contact",
		),
		contacts,
	)
	frappe.db.bulk_insert(
		"Dynamic Link",
		(
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"parent",
			"parenttype",
			"parentfield",
			"link_doctype",
			"link_name",
		),
		links,
	)


def answer(campaign: str, share: float):
	"""Let a share of the invited customers answer 16-20 points on every question."""
	names = frappe.get_all("Satisfaction Survey Response", {"campaign": campaign}, pluck="name")
	answered = random.Random(7).sample(names, int(len(names) * share))
	frappe.db.sql(
		"""update `tabSatisfaction Survey Answer` set score = 16 + (idx %% 3) * 2
		where parenttype = 'Satisfaction Survey Response' and parent in %s""",
		[answered],
	)
	frappe.db.sql(
		"""update `tabSatisfaction Survey Response` r set status = 'Answered', channel = 'Portal',
		answered_on = now(), score = (select sum(a.score) from `tabSatisfaction Survey Answer` a where a.parent = r.name)
		where r.name in %s""",
		[answered],
	)


@contextmanager
def counted_queries():
	count = [0]
	sql = frappe.db.sql

	def counting(*args, **kwargs):
		count[0] += 1
		return sql(*args, **kwargs)

	frappe.db.sql = counting
	try:
		yield count
	finally:
		frappe.db.sql = sql


def cleanup(keep_account: bool = False):
	campaigns = frappe.get_all("Satisfaction Survey Campaign", {"customer_group": GROUP}, pluck="name")
	if campaigns:
		responses = frappe.get_all(
			"Satisfaction Survey Response", {"campaign": ("in", campaigns)}, pluck="name"
		)
		for table, column, values in (
			("tabSatisfaction Survey Answer", "parent", responses),
			(
				"tabEmail Queue Recipient",
				"parent",
				frappe.get_all("Email Queue", {"reference_name": ("in", responses or [""])}, pluck="name"),
			),
			("tabEmail Queue", "reference_name", responses),
			("tabSatisfaction Survey Response", "name", responses),
			("tabSatisfaction Survey Campaign", "name", campaigns),
		):
			if values:
				frappe.db.sql(f"delete from `{table}` where `{column}` in %s", [values])
	frappe.db.sql(
		"delete from `tabDynamic Link` where link_name like %s and parenttype = 'Contact'", f"{PREFIX}%"
	)
	frappe.db.sql("delete from `tabContact` where name like '\\_CS Bench Contact %%'")
	frappe.db.sql("delete from `tabCustomer` where name like %s", f"{PREFIX}%")
	if not keep_account:
		frappe.db.sql("delete from `tabEmail Account` where name = %s", ACCOUNT)
	frappe.db.commit()
