"""优秀客户统计表 / 危险客户统计表 (002 ch7 §12–13): the customers on the watch lists now, with the
figures the rules read (overdue receivables, complaints and returns of the last 12 months, the
customer and credit grades) and why each is listed. The figures come from the same grouped
statement as the monthly review that stores Customer.cs_watch_status (`erpnext_doctypes.watch_list`)."""

import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures.cs_procedures.report.columns import (
	bar_chart,
	declared,
	escape_values,
	translate_values,
)
from cs_procedures.cs_procedures.report.sales_per_customer.sales_per_customer import known_company
from cs_procedures.erpnext_doctypes import watch_list
from cs_procedures.procedures import watch_list as rules

ALL = "All"
SHOWN = (rules.EXCELLENT, rules.AT_RISK, ALL)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	shown = filters.status or ALL
	if shown not in SHOWN:
		frappe.throw(_("Cannot show the watch list {0}.").format(frappe.utils.escape_html(shown)))
	company = filters.company or None
	if company:
		known_company(company)
	currency = frappe.get_cached_value("Company", company, "default_currency") if company else None
	data, counts = [], {rules.EXCELLENT: 0, rules.AT_RISK: 0}
	for row in watch_list.customer_facts(company):
		classification = watch_list.classify(row)
		if classification.status:
			counts[classification.status] += 1
		if shown != ALL and classification.status != shown:
			continue
		data.append(
			{
				"customer": row.customer,
				"customer_name": row.customer_name,
				"status": classification.status,
				"reason": watch_list.reason_text(classification, currency),
				"overdue_amount": flt(row.overdue_amount, 2),
				"oldest_overdue_days": row.oldest_overdue_days if flt(row.overdue_amount) > 0 else 0,
				"complaints": row.complaints,
				"returns": row.returns,
				"grade": row.grade,
				"credit_grade": row.credit_grade,
				"stored_status": row.watch_status,
			}
		)
	order = {rules.AT_RISK: 0, rules.EXCELLENT: 1, "": 2}
	data.sort(key=lambda row: (order[row["status"]], -row["overdue_amount"], row["customer"]))
	translate_values(data, ("status", "stored_status", "grade", "credit_grade"))
	escape_values(data, ("customer_name", "reason"))
	return columns(), data, None, chart(counts)


def columns():
	return declared(__file__)


def chart(counts: dict):
	rows = [frappe._dict(grp=status, customers=counts[status]) for status in (rules.EXCELLENT, rules.AT_RISK)]
	return bar_chart(rows, {_("Customers"): "customers"}, translate=True)
