"""客户信用度变更表 (002 ch7 §11): the CS Manager changes a customer's grade, with its reason and the
strategy that follows; the change applies once the CS General Manager approves it (submits it).

000 I-2.1: the manager rates a new customer's category: a change for a customer without a grade
record for the year makes that record, sales 0 and no computed grade.
"""

import frappe
from frappe import _
from frappe.utils import cint, getdate, now_datetime

from cs_procedures import approvals, guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record import (
	RECORD,
	set_customer_grade,
)

REQUESTER = people.CS_MANAGER
REQUESTED_FIELDS = ("customer", "grading_year", "new_grade", "change_reason", "strategy", "remarks")


def grade_record(customer: str, year: int, for_update: bool = False):
	name = frappe.db.get_value(RECORD, {"customer": customer, "grading_year": cint(year)}, "name")
	return frappe.get_doc(RECORD, name, for_update=for_update) if name else None


class CustomerGradeChange(approvals.ApprovedRecord):
	def validate(self):
		if self.docstatus == 0 and not guards.has_role(REQUESTER):
			guards.refuse(
				_("Only a CS Manager can request a change of a customer's grade."),
				title=_("Not a CS Manager"),
			)
		year = cint(self.grading_year)
		if year < 1900 or year > getdate().year:
			frappe.throw(
				_("Grade a year that has begun: {0} is not one.").format(year), title=_("Invalid Year")
			)
		for field in ("change_reason", "strategy"):
			if not (self.get(field) or "").strip():
				frappe.throw(
					_("{0} is required.").format(_(self.meta.get_label(field))), title=_("Missing Value")
				)
		if self.docstatus == 0:
			record = grade_record(self.customer, year)
			self.grade_record = record.name if record else None
			self.previous_grade = record.grade if record else None
			self.annual_sales = record.sales if record else 0
			if self.is_new():
				self.requested_by, self.requested_on = frappe.session.user, now_datetime()
		if self.new_grade == self.previous_grade:
			frappe.throw(
				_("{0} already has grade {1} for {2}.").format(self.customer, self.new_grade, year),
				title=_("Nothing to Change"),
			)

	def before_submit(self):
		approvals.check_approval(self, grade_change_approver(), REQUESTED_FIELDS)
		record = grade_record(self.customer, self.grading_year, for_update=True)
		if (record.grade if record else None) != self.previous_grade:
			frappe.throw(
				_(
					"The grade of {0} for {1} has changed since this request ({2} to {3}): request the change again."
				).format(self.customer, self.grading_year, self.previous_grade or "-", record.grade),
				title=_("Grade Changed Meanwhile"),
			)

	def on_submit(self):
		record = grade_record(self.customer, self.grading_year, for_update=True)
		if not record:
			record = frappe.new_doc(RECORD)
			record.update(
				{
					"customer": self.customer,
					"grading_year": cint(self.grading_year),
					"sales": 0,
					"graded_on": now_datetime(),
					"graded_by": self.requested_by,
				}
			)
		record.update(
			{
				"grade": self.new_grade,
				"overridden": 1,
				"grade_change": self.name,
				"change_reason": self.change_reason,
			}
		)
		record.flags.cs_procedure = True
		record.flags.ignore_permissions = True
		record.save()
		guards.stamp(self, {"grade_record": record.name})
		set_customer_grade(self.customer, self.grading_year, self.new_grade)


def grade_change_approver() -> str:
	"""The role that approves grade changes: CS Settings, the CS manager by default (000 I-2.1, 002 ch7 §11)."""
	return get_settings().get("grade_change_approver") or people.CS_MANAGER
