"""The watch lists on ERPNext's Customer (优秀客户 / 危险客户统计表, 002 ch7 §12–13; 002 ch3 §10–11):
what the rules of `procedures.watch_list` read of every customer, in one grouped statement, for the
Customer Watch List report and for the monthly review that stores each customer's status in
Customer.cs_watch_status.

- Overdue receivables: the submitted Sales Invoices with an outstanding amount whose due date is past
  (as ERPNext's Accounts Receivable ages an invoice by its due date), summed per customer in the
  company's currency; the oldest overdue days are counted from the earliest such due date. Credit
  notes and unallocated payments are not set off against them (Accounts Receivable lists them as
  separate negative rows), and an invoice with a payment schedule is aged by its own due date.
- Complaints: Customer Complaints received in the last 365 days, not cancelled (every company).
- Returns: submitted return Delivery Notes posted in the last 365 days.
"""

import frappe
from frappe import _
from frappe.utils import add_days, fmt_money, getdate

from cs_procedures.procedures import watch_list as rules

WINDOW_DAYS = 365

# Each grouped part is read in one pass over its table: with the `customer` index MariaDB evaluates
# the invoices customer by customer (a lateral derived table), a random read per invoice; on the
# benchmark (200,000 invoices, a 128 MB buffer pool smaller than the table) 9 s against 1.4 s.
CHUNK = 5000

FACTS = """
	select c.name as customer, c.customer_name, c.disabled, c.cs_grade as grade,
		c.cs_credit_grade as credit_grade, c.cs_watch_status as watch_status,
		coalesce(o.overdue_amount, 0) as overdue_amount,
		coalesce(datediff(%(today)s, o.oldest_due_date), 0) as oldest_overdue_days,
		coalesce(k.complaints, 0) as complaints,
		coalesce(r.returns, 0) as returns
	from `tabCustomer` c
	left join (
		select si.customer,
			-- outstanding_amount is in the receivable account's currency: the company's, or the invoice's
			sum(si.outstanding_amount * if(
				si.party_account_currency is null or si.party_account_currency = co.default_currency,
				1, si.conversion_rate)) as overdue_amount,
			min(si.due_date) as oldest_due_date
		from `tabSales Invoice` si ignore index (customer)
		join `tabCompany` co on co.name = si.company
		where si.docstatus = 1 and si.outstanding_amount > 0 and si.due_date < %(today)s {company}
		group by si.customer
	) o on o.customer = c.name
	left join (
		select customer, count(*) as complaints
		from `tabCustomer Complaint`
		where docstatus < 2 and received_on >= %(since)s
		group by customer
	) k on k.customer = c.name
	left join (
		select customer, count(*) as returns
		from `tabDelivery Note` ignore index (customer)
		where is_return = 1 and docstatus = 1 and posting_date >= %(since)s {company}
		group by customer
	) r on r.customer = c.name
	{where}"""


def customer_facts(company: str | None = None, on=None, only_enabled: bool = True) -> list:
	"""Every customer (the enabled ones unless told) with its grades, stored status and the figures
	the watch-list rules read, as of `on` (today): one statement, whatever the number of customers."""
	today = getdate(on)
	values = {"today": today, "since": add_days(today, -WINDOW_DAYS), "company": company}
	query = FACTS.format(
		company="and company = %(company)s" if company else "",
		where="where c.disabled = 0" if only_enabled else "",
	)
	return frappe.db.sql(query, values, as_dict=True)


def classify(row) -> rules.Classification:
	"""The watch list of a row of `customer_facts`; a disabled customer is on none."""
	if row.get("disabled"):
		return rules.Classification("")
	return rules.classify(
		rules.Facts(
			overdue_amount=row.overdue_amount,
			oldest_overdue_days=row.oldest_overdue_days,
			complaints=row.complaints,
			returns=row.returns,
			grade=row.grade or None,
			credit_grade=row.credit_grade or None,
		)
	)


def reason_text(classification: rules.Classification, currency: str | None = None) -> str:
	"""The reasons of a classification, in the user's language."""
	texts = []
	for reason in classification.reasons:
		if reason.code == rules.OVERDUE_DAYS:
			texts.append(_("Overdue {0} days (more than {1})").format(reason.value, reason.threshold))
		elif reason.code == rules.OVERDUE_AMOUNT:
			texts.append(
				_("Overdue amount {0} (from {1})").format(
					fmt_money(reason.value, currency=currency), fmt_money(reason.threshold, currency=currency)
				)
			)
		elif reason.code == rules.COMPLAINTS:
			texts.append(_("{0} complaints in 12 months (from {1})").format(reason.value, reason.threshold))
		elif reason.code == rules.RETURNS:
			texts.append(_("{0} returns in 12 months (from {1})").format(reason.value, reason.threshold))
		elif reason.code == rules.CREDIT_GRADE_OVERDUE:
			texts.append(_("Credit grade {0} with an amount overdue").format(reason.value))
		elif reason.code == rules.GOOD_STANDING:
			texts.append(
				_("Grade {0}, credit grade {1}, nothing overdue, few complaints and returns").format(
					reason.value, reason.threshold
				)
			)
	return "; ".join(texts)


def review_watch_lists(on=None) -> dict:
	"""The monthly review (scheduler, monthly): every customer classified from its figures across all
	companies, Customer.cs_watch_status written only where it changed, with one UPDATE per new status
	and CHUNK customers (`modified` left alone). Returns the counts."""
	rows = customer_facts(on=on, only_enabled=False)
	computed = {row.customer: classify(row).status for row in rows}
	current = {row.customer: row.watch_status for row in rows}
	changed = rules.changes(current, computed)
	for status, names in changed.items():
		for start in range(0, len(names), CHUNK):
			part = names[start : start + CHUNK]
			frappe.db.sql(
				f"""update `tabCustomer` set cs_watch_status = %s
				where name in ({", ".join(["%s"] * len(part))})""",
				[status, *part],
			)
	statuses = list(computed.values())
	return {
		"customers": len(rows),
		rules.EXCELLENT: statuses.count(rules.EXCELLENT),
		rules.AT_RISK: statuses.count(rules.AT_RISK),
		"changed": sum(len(names) for names in changed.values()),
	}
