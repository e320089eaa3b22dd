"""重点客户管理表 (002 ch3 §9, ch4 §3): the CS Manager chooses a key customer for a year, with its
sales target, why it is key and the actions to reach the target; the general manager adds advice.

Submitting the plan marks the customer as a Key Customer (the audience of the December
satisfaction survey, 000 §2.4); cancelling the last submitted plan of a customer clears the mark.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, now_datetime

from cs_procedures import guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import grading_settings
from cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record import RECORD

PLANNER = people.CS_MANAGER
GENERAL_MANAGER = people.GENERAL_MANAGER_ROLE


class KeyAccountPlan(guards.ProcedureDocument):
	def validate(self):
		year = cint(self.plan_year)
		if year < 1900 or year > getdate().year + 1:
			frappe.throw(
				_("Plan for this year or the next: {0} is not one.").format(year), title=_("Invalid Year")
			)
		if flt(self.sales_target) <= 0:
			frappe.throw(_("Give the sales target of the year."), title=_("Sales Target"))
		duplicate = frappe.db.get_value(
			self.doctype,
			{
				"customer": self.customer,
				"plan_year": year,
				"docstatus": ("<", 2),
				"name": ("!=", self.name),
			},
		)
		if duplicate:
			frappe.throw(
				_("{0} already has key account plan {1} for {2}.").format(self.customer, duplicate, year),
				title=_("Duplicate Plan"),
			)
		if self.docstatus == 0:
			self.grade = frappe.db.get_value(
				RECORD, {"customer": self.customer, "grading_year": year - 1}, "grade"
			) or frappe.db.get_value("Customer", self.customer, "cs_grade")
			company = grading_settings().company
			self.previous_year_sales = flt(
				frappe.db.sql(
					"""select sum(base_net_total) from `tabSales Invoice` where docstatus = 1
					and customer = %(customer)s and posting_date between %(start)s and %(end)s
					{company}""".format(company="and company = %(company)s" if company else ""),
					{
						"customer": self.customer,
						"start": f"{year - 1}-01-01",
						"end": f"{year - 1}-12-31",
						"company": company,
					},
				)[0][0]
			)

	def on_submit(self):
		frappe.db.set_value("Customer", self.customer, "cs_key_customer", 1)

	def on_cancel(self):
		if not frappe.db.exists(
			self.doctype, {"customer": self.customer, "docstatus": 1, "name": ("!=", self.name)}
		):
			frappe.db.set_value("Customer", self.customer, "cs_key_customer", 0)

	def on_trash(self):
		if self.docstatus:
			guards.refuse_deletion(self, _("it was submitted."))


@frappe.whitelist(methods=["POST"])
def give_advice(plan: str, advice: str):
	"""The general manager's advice (总经理建议) on a plan, on the stored plan, stamped."""
	if not guards.has_role(GENERAL_MANAGER):
		guards.refuse(
			_("Only the CS General Manager gives the general manager's advice."),
			title=_("Not the General Manager"),
		)
	advice = (advice or "").strip()
	if not advice:
		frappe.throw(_("Write the advice."), title=_("Missing Value"))
	doc = frappe.get_doc("Key Account Plan", plan, for_update=True)
	doc.check_permission("read")
	if doc.docstatus == 2:
		frappe.throw(_("The plan is cancelled."), title=_("Cancelled"))
	guards.stamp(
		doc, {"gm_advice": advice, "gm_advice_by": frappe.session.user, "gm_advice_on": now_datetime()}
	)
	doc.add_comment("Info", _("General manager's advice recorded."))
	return doc.gm_advice
