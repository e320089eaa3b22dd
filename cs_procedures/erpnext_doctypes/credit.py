"""Credit on ERPNext's own Customer (issue 22): the credit grade, the watch list and the credit limits
per company change only through the procedures (an approved Credit Change, the monthly watch-list
review); a closed account disables the Customer, and ERPNext then refuses its new orders and invoices.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, nowdate

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings

PROCEDURE_FIELDS = ("cs_credit_grade", "cs_watch_status")
LIMIT_GATE = "credit_limits_need_approval"


def current_limit(customer: str, company: str) -> tuple[float, int]:
	"""(credit limit, bypass at Sales Order) of `customer` for `company`; (0, 0) when none is set."""
	row = frappe.db.get_value(
		"Customer Credit Limit",
		{"parenttype": "Customer", "parent": customer, "company": company},
		["credit_limit", "bypass_credit_limit_check"],
		as_dict=True,
	)
	return (flt(row.credit_limit), cint(row.bypass_credit_limit_check)) if row else (0.0, 0)


def annual_sales(customer: str, company: str) -> float:
	"""年度交易额: the submitted sales invoices of the last twelve months, returns deducted."""
	return flt(
		frappe.db.sql(
			"""select sum(base_net_total) from `tabSales Invoice`
			where customer = %s and company = %s and docstatus = 1 and posting_date > %s""",
			(customer, company, add_days(nowdate(), -365)),
		)[0][0]
	)


def outstanding(customer: str) -> float:
	"""What the customer still owes: the outstanding amounts of its submitted sales invoices."""
	return flt(
		frappe.db.sql(
			"""select sum(outstanding_amount) from `tabSales Invoice` where customer = %s and docstatus = 1""",
			customer,
		)[0][0]
	)


def apply_credit_change(change) -> None:
	"""An approved Credit Change written on the Customer: its credit grade and its limit for the company."""
	customer = frappe.get_doc("Customer", change.customer, for_update=True)
	if change.new_grade:
		customer.cs_credit_grade = change.new_grade
	if flt(change.new_limit) > 0:
		row = next((r for r in customer.credit_limits if r.company == change.company), None)
		if row is None:
			row = customer.append("credit_limits", {"company": change.company})
		row.credit_limit = flt(change.new_limit)
		row.bypass_credit_limit_check = cint(change.bypass_credit_limit_check)
	customer.flags.cs_credit_by_procedure = change.name
	customer.save(ignore_permissions=True)


def close_account(closure) -> None:
	"""An approved Customer Account Closure disables the Customer (客户注销): ERPNext refuses a
	disabled customer's new orders and invoices; everything recorded stays."""
	customer = frappe.get_doc("Customer", closure.customer, for_update=True)
	customer.disabled = 1
	customer.flags.cs_credit_by_procedure = closure.name
	customer.save(ignore_permissions=True)
	customer.add_comment(
		"Info", _("Account closed by {0} {1}: {2}").format(_(closure.doctype), closure.name, closure.reason)
	)


def guard_customer_credit(customer) -> None:
	"""Customer validate: the credit grade and watch list, and (for the companies following these
	procedures) the credit limits, are written by the procedures only."""
	if customer.flags.cs_credit_by_procedure or guards.is_administrator():
		return
	before = customer.get_doc_before_save()
	changed = [
		field
		for field in PROCEDURE_FIELDS
		if (customer.get(field) or "") != ((before.get(field) if before else "") or "")
	]
	if changed:
		guards.refuse(
			_(
				"{0} are set by an approved Credit Change and the monthly watch-list review, not by hand."
			).format(", ".join(_(customer.meta.get_label(field)) for field in changed)),
			title=_("Written by the Procedure"),
		)
	settings = get_settings()
	stored = {
		r.company: (flt(r.credit_limit), cint(r.bypass_credit_limit_check))
		for r in (before.credit_limits if before else [])
	}
	sent = {
		r.company: (flt(r.credit_limit), cint(r.bypass_credit_limit_check)) for r in customer.credit_limits
	}
	touched = {company for company in set(stored) | set(sent) if stored.get(company) != sent.get(company)}
	gated = sorted(company for company in touched if settings.gate_applies(LIMIT_GATE, company))
	if gated:
		guards.refuse(
			_(
				"The credit limit of {0} for {1} changes only through an approved Credit Change (客户信用度变更表): make one from the customer's Credit Investigation or with New Credit Change."
			).format(customer.name, ", ".join(gated)),
			title=_("Credit Change Needed"),
		)
