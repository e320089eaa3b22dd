"""客户注销管理流程 (002 ch7 §18): a customer account is closed with its reason once its balance is
settled; the role CS Settings names (the general manager by default) approves by submitting, and the
Customer is disabled in ERPNext, which then refuses its new orders and invoices. Its records stay."""

import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures import approvals
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.erpnext_doctypes import credit

REQUESTED_FIELDS = ("customer", "reason", "settlement")


def approver() -> str:
	return get_settings().get("account_closure_approver") or "CS General Manager"


class CustomerAccountClosure(approvals.ApprovedRecord):
	def validate(self):
		if self.docstatus == 0:
			self.outstanding_amount = credit.outstanding(self.customer)
			approvals.stamp_request(self)
		if frappe.db.get_value("Customer", self.customer, "disabled") and self.docstatus == 0:
			frappe.throw(_("{0} is closed already.").format(self.customer), title=_("Account Closed"))

	def before_submit(self):
		approvals.check_approval(self, approver(), REQUESTED_FIELDS)
		balance = credit.outstanding(self.customer)
		if flt(balance) > 0:
			frappe.throw(
				_("{0} still owes {1}: settle the balance before the account is closed.").format(
					self.customer, frappe.format_value(balance, {"fieldtype": "Currency"})
				),
				title=_("Balance Not Settled"),
			)

	def on_submit(self):
		credit.close_account(self)
