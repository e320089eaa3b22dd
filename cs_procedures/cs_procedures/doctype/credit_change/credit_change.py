"""客户信用度变更表 (002 ch7 §11; 信用政策 §19–20): the CS Manager requests a change of a customer's
credit grade or credit limit for a company, with its reason and strategy; the role CS Settings names
(the sales department by default) approves it by submitting it, and only then does it reach the
Customer, where ERPNext's own order and invoice checks enforce the limit. Each change stays."""

import frappe
from frappe import _

from cs_procedures import approvals, guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.erpnext_doctypes import credit
from cs_procedures.procedures import credit as rules

REQUESTED_FIELDS = (
	"customer",
	"company",
	"new_grade",
	"new_limit",
	"bypass_credit_limit_check",
	"change_reason",
	"strategy",
)
MESSAGES = {
	rules.NOTHING_CHANGES: lambda: _("Change the credit grade or set a new credit limit."),
	rules.LIMIT_NEGATIVE: lambda: _("A credit limit cannot be negative."),
}


def approver() -> str:
	return get_settings().get("credit_change_approver") or "Sales Manager"


class CreditChange(approvals.ApprovedRecord):
	def validate(self):
		if self.docstatus == 0:
			if not guards.has_role(people.CS_MANAGER):
				guards.refuse(_("A credit change is requested by a CS Manager."), title=_("Not a CS Manager"))
			self.previous_grade = frappe.db.get_value("Customer", self.customer, "cs_credit_grade")
			self.previous_limit = credit.current_limit(self.customer, self.company)[0]
			self.annual_sales = credit.annual_sales(self.customer, self.company)
			approvals.stamp_request(self)
		if self.credit_investigation and frappe.db.get_value(
			"Credit Investigation", self.credit_investigation, ["customer", "docstatus"]
		) != (self.customer, 1):
			frappe.throw(
				_("{0} is not a reviewed investigation of {1}.").format(
					self.credit_investigation, self.customer
				),
				title=_("Invalid Investigation"),
			)
		problem = rules.change_problem(
			self.previous_grade, self.new_grade, self.previous_limit, self.new_limit or None
		)
		guards.rule_error(MESSAGES, problem, title=_("Nothing to Change"))

	def before_submit(self):
		approvals.check_approval(self, approver(), REQUESTED_FIELDS)
		now = (
			frappe.db.get_value("Customer", self.customer, "cs_credit_grade"),
			credit.current_limit(self.customer, self.company)[0],
		)
		if now != (self.previous_grade, self.previous_limit):
			frappe.throw(
				_("The credit of {0} has changed since this request: request the change again.").format(
					self.customer
				),
				title=_("Credit Changed Meanwhile"),
			)

	def on_submit(self):
		credit.apply_credit_change(self)
