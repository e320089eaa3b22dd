"""Benchmark of a satisfaction survey campaign over many customers.

    bench --site dev.localhost execute cs_procedures.benchmarks.surveys.run
    bench --site dev.localhost execute cs_procedures.benchmarks.surveys.run --kwargs "{'sizes': [10, 200, 2000]}"

The first size only warms the caches up. For each size it bulk-seeds that many customers (each with
a contact and e-mail) in a customer group and sends a campaign to the group: the invitation work
(responses and queued e-mails) is timed and its SQL statements counted, as the background job runs
it. Then every invited customer is due for a reminder and the reminders job is timed and counted;
then 80 % answer with good scores and the campaign is closed (its statements counted too).
Everything it seeded is removed afterwards, and the site's default outgoing account is put back.
"""

import random

import frappe
from frappe.utils import add_days, getdate, now_datetime

from cs_procedures.benchmarks import table

GROUP = "_CS Bench Customers"
PREFIX = "_CS Bench Customer "
ACCOUNT = "_CS Bench Outgoing"


def run(sizes=(10, 200, 2000)):
	frappe.only_for("System Manager")
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scheduled import (
		remind_survey_non_responders,
	)
	from cs_procedures.install import create_default_survey_template

	create_default_survey_template()
	cleanup()
	defaults = outgoing_account()
	try:
		for size in sizes:
			today = getdate()
			campaign = new_campaign(size)
			with table.measured() as invite:
				invite_all(campaign)
			frappe.db.commit()
			mails = queued_mails(campaign.name)
			# a week later: every invited customer is due for the first reminder
			frappe.db.set_value(campaign.doctype, campaign.name, "send_date", add_days(today, -8))
			with table.measured() as remind:
				reminded = remind_survey_non_responders(today)
			frappe.db.commit()
			answer(campaign.name, share=0.8)
			with table.measured() as close:
				campaign.reload().close()
			campaign.reload()
			print(
				("warm-up " if size == sizes[0] else "")
				+ f"{size:>5} customers: invitations {invite.seconds:6.2f} s ({invite.seconds / size * 1000:5.2f} ms each, "
				f"{invite.statements} SQL statements, {mails} e-mails queued); "
				f"reminders {remind.seconds:6.2f} s ({reminded} reminded, {remind.seconds / max(reminded, 1) * 1000:5.2f} ms each, "
				f"{remind.statements} SQL statements); "
				f"close and score {close.seconds:5.2f} s with {close.statements} SQL statements; "
				f"response rate {campaign.response_rate} %, valid {campaign.is_valid}"
			)
			frappe.db.commit()
			cleanup(keep_account=True)
	finally:
		cleanup()
		restore_defaults(defaults)


def measure_invitations(scale: float = 1.0) -> list[dict]:
	"""Rows of the benchmark table: one campaign to `20,000 × scale` customers (a contact with an e-mail
	each): the invitations as the background job sends them, the first reminders to all of them, and
	the close with 80 % answered; each with peak memory and SQL statements."""
	frappe.only_for("System Manager")
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scheduled import (
		remind_survey_non_responders,
	)
	from cs_procedures.install import create_default_survey_template

	size = int(20_000 * scale)
	create_default_survey_template()
	cleanup()
	defaults = outgoing_account()
	rows = []
	try:
		today = getdate()
		campaign = new_campaign(size)
		with table.measured() as measure:
			invite_all(campaign)
		frappe.db.commit()
		invited = frappe.db.count("Satisfaction Survey Response", {"campaign": campaign.name})
		rows.append(
			measure.row(
				"survey invitations (background job)",
				f"{size:,} customers",
				f"{measure.statements} SQL statements, {invited:,} responses, "
				f"{queued_mails(campaign.name):,} e-mails queued",
			)
		)
		# a week later: every invited customer is due for the first reminder
		frappe.db.set_value(campaign.doctype, campaign.name, "send_date", add_days(today, -8))
		with table.measured() as measure:
			reminded = remind_survey_non_responders(today)
		frappe.db.commit()
		rows.append(
			measure.row(
				"survey reminders (first, to all)",
				f"{size:,} customers",
				f"{measure.statements} SQL statements, {reminded:,} reminded",
			)
		)
		answer(campaign.name, share=0.8)
		frappe.db.commit()
		with table.measured() as measure:
			campaign.reload().close()
		frappe.db.commit()
		campaign.reload()
		rows.append(
			measure.row(
				"survey close and score (80 % answered)",
				f"{size:,} customers",
				f"{measure.statements} SQL statements, response rate {campaign.response_rate} %",
			)
		)
	finally:
		cleanup()
		restore_defaults(defaults)
	return rows


def new_campaign(size: int):
	"""`size` customers seeded with a contact each, and a campaign to their group (committed)."""
	from cs_procedures.install import DEFAULT_SURVEY

	seed_customers(size)
	today = getdate()
	campaign = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Campaign",
			"title": f"Benchmark {size}",
			"template": DEFAULT_SURVEY["template_name"],
			"period_start": add_days(today, -180),
			"period_end": today,
			"reply_by": add_days(today, 14),
			"audience": "Customer Group",
			"customer_group": GROUP,
		}
	).insert()
	frappe.db.commit()
	return campaign


def invite_all(campaign):
	"""The invitation work as the background job does it (before the job existed: the request's)."""
	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import (
		satisfaction_survey_campaign as module,
	)

	job = getattr(module, "run_invitations", None)
	if job:
		campaign.db_set("status", "Sending")
		job(campaign.name)
	else:
		campaign.send_invitations()


def outgoing_account() -> list[str]:
	"""A default outgoing account that is never contacted; returns the defaults it replaced."""
	defaults = frappe.get_all("Email Account", {"default_outgoing": 1}, pluck="name")
	for name in defaults:  # not through save(): that would check their SMTP server
		frappe.db.set_value("Email Account", name, "default_outgoing", 0)
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
	frappe.db.commit()
	forget_email_accounts()
	return defaults


def restore_defaults(defaults):
	for name in defaults:
		frappe.db.set_value("Email Account", name, "default_outgoing", 1)
	frappe.db.commit()
	forget_email_accounts()


def forget_email_accounts():
	for cache in ("outgoing_email_account", "incoming_email_account"):
		if hasattr(frappe.local, cache):
			delattr(frappe.local, cache)


STANDARD = ("name", "creation", "modified", "owner", "modified_by")
CUSTOMER_FIELDS = ("customer_name", "customer_type", "customer_group", "territory", "disabled")
CONTACT_FIELDS = ("first_name", "email_id", "is_primary_contact")
LINK_FIELDS = ("parent", "parenttype", "parentfield", "link_doctype", "link_name")


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
	frappe.db.bulk_insert("Customer", (*STANDARD, *CUSTOMER_FIELDS), customers)
	frappe.db.bulk_insert("Contact", (*STANDARD, *CONTACT_FIELDS), contacts)
	frappe.db.bulk_insert("Dynamic Link", (*STANDARD, *LINK_FIELDS), links)
	frappe.db.commit()


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


def queued_mails(campaign: str) -> int:
	return frappe.db.sql(
		"""select count(*) from `tabEmail Queue` q
		join `tabSatisfaction Survey Response` r on r.name = q.reference_name
		where q.reference_doctype = 'Satisfaction Survey Response' and r.campaign = %s""",
		campaign,
	)[0][0]


def cleanup(keep_account: bool = False):
	campaigns = frappe.get_all("Satisfaction Survey Campaign", {"customer_group": GROUP}, pluck="name")
	if campaigns:
		responses = frappe.get_all(
			"Satisfaction Survey Response", {"campaign": ("in", campaigns)}, pluck="name"
		)
		for rows_of, column, values in (
			("tabSatisfaction Survey Answer", "parent", responses),
			(
				"tabEmail Queue Recipient",
				"parent",
				frappe.get_all("Email Queue", {"reference_name": ("in", responses or [""])}, pluck="name"),
			),
			("tabEmail Queue", "reference_name", responses),
			("tabComment", "reference_name", campaigns),
			("tabSatisfaction Survey Response", "name", responses),
			("tabSatisfaction Survey Campaign", "name", campaigns),
		):
			if values:
				frappe.db.sql(f"delete from `{rows_of}` where `{column}` in %s", [values])
	frappe.db.sql(
		"delete from `tabDynamic Link` where link_name like %s and parenttype = 'Contact'", f"{PREFIX}%"
	)
	frappe.db.sql("delete from `tabContact` where name like '\\_CS Bench Contact %%'")
	frappe.db.sql("delete from `tabCustomer` where name like %s", f"{PREFIX}%")
	if not keep_account:
		frappe.db.sql("delete from `tabEmail Account` where name = %s", ACCOUNT)
	frappe.db.commit()
