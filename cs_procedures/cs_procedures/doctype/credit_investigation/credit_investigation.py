"""客户信用调查表 / 信用调查总表 (002 ch2 §8–9, §16): the investigator rates the seed's criteria; the
weighted score gives the credit grade (procedures/credit.py); the CS Manager reviews it by submitting
it. An approved credit grade and limit reach the customer only through a Credit Change made from it."""

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc
from frappe.utils import now_datetime

from cs_procedures import approvals, guards, people
from cs_procedures.procedures import credit as rules

MESSAGES = {
	rules.MISSING_CRITERIA: lambda: _("Rate every criterion of the investigation on one of its levels.")
}


class CreditInvestigation(approvals.ApprovedRecord):
	NOT_IN_FUTURE = ("investigated_on",)

	def validate(self):
		if self.is_new():
			self.investigated_by = frappe.session.user
		value, problem = rules.score({key: self.get(key) for key in rules.CRITERIA})
		guards.rule_error(MESSAGES, problem, title=_("Investigation Incomplete"))
		self.score, self.credit_grade = value, rules.grade_for_score(value)

	def before_submit(self):
		"""The CS Manager reviews (审批) another's investigation."""
		if not guards.has_role(people.CS_MANAGER):
			guards.refuse(
				_("A credit investigation is reviewed by a CS Manager."), title=_("Not a CS Manager")
			)
		if self.investigated_by == frappe.session.user and not guards.is_administrator():
			guards.refuse(_("A credit investigation is reviewed by someone other than who made it."))
		self.reviewed_by, self.reviewed_on = frappe.session.user, now_datetime().replace(microsecond=0)


@frappe.whitelist()
def make_credit_change(source_name: str, target_doc=None):
	"""Create > Credit Change: the investigation's grade and proposed limit, as a request to approve."""
	source = frappe.get_doc("Credit Investigation", source_name)
	source.check_permission("read")
	if source.docstatus != 1:
		frappe.throw(_("Make a credit change from a reviewed investigation."), title=_("Not Reviewed"))
	return get_mapped_doc(
		"Credit Investigation",
		source_name,
		{
			"Credit Investigation": {
				"doctype": "Credit Change",
				"field_map": {
					"name": "credit_investigation",
					"credit_grade": "new_grade",
					"proposed_limit": "new_limit",
				},
				"field_no_map": ["naming_series", "amended_from"],
			}
		},
		target_doc,
	)
