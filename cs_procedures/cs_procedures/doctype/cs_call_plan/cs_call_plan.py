"""A plan of calls to customers (电话访谈计划, 002 ch8 §6-7): its purpose (a survey, a visit's follow-up,
collection …), its period and agent, and a row per customer to call by a date, with the result of the
call and the Call Log that recorded it (呼出记录表). The non-responders of a survey campaign come from
its chase list (`fill_from_chase_list`)."""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from cs_procedures import guards
from cs_procedures.procedures import calls as rules

MESSAGES = {
	"period": lambda _idx: _("The plan's period must end after it starts."),
	"outside_period": lambda idx: _("Row {0}: the call date is outside the plan's period.").format(idx),
	"duplicate": lambda idx: _("Row {0}: this customer is already in the plan.").format(idx),
	"other_customer": lambda idx: _("Row {0}: the Call Log recorded is a call with another customer.").format(
		idx
	),
	"no_campaign": lambda: _(
		"Select the satisfaction survey campaign whose non-responders are to be called."
	),
}


class CSCallPlan(guards.ProcedureDocument):
	STATUS_MAP = (
		(rules.PLAN_OPEN, None),
		(
			rules.PLAN_COMPLETED,
			lambda doc: rules.plan_status(row.result for row in doc.calls) == rules.PLAN_COMPLETED,
		),
	)

	def validate(self):
		logged = {row.call_log for row in self.calls if row.call_log}
		call_customers = dict(
			frappe.get_all(
				"Call Log",
				filters={"name": ("in", sorted(logged))},
				fields=["name", "customer"],
				as_list=True,
			)
			if logged
			else []
		)
		problems = rules.plan_problems(
			getdate(self.period_start),
			getdate(self.period_end),
			[
				(
					row.idx,
					row.customer,
					getdate(row.due_date) if row.due_date else None,
					row.result,
					(call_customers.get(row.call_log) or "") if row.call_log else None,
				)
				for row in self.calls
			],
		)
		for code, idx in problems:
			guards.rule_error(MESSAGES, code, idx, title=_("Call Plan"))
		self.stamp_results()

	def stamp_results(self):
		"""The time a row's result was recorded (`called_on`), kept while the result stands."""
		before = self.get_doc_before_save()
		stored = {row.name: row for row in before.calls} if before else {}
		now = now_datetime().replace(microsecond=0)
		for row in self.calls:
			old = stored.get(row.name)
			if not row.result:
				row.called_on = None
			elif old is None or old.result != row.result:
				row.called_on = now
			else:
				row.called_on = old.called_on

	def on_trash(self):
		guards.refuse_deletion(
			self,
			_("the results of its calls are recorded.") if any(row.result for row in self.calls) else None,
		)


@frappe.whitelist(methods=["POST"])
def fill_from_chase_list(plan: str) -> int:
	"""Add the customers of the plan's survey campaign who have not answered (the chase list report's
	rows: their contact and phone), each due by the end of the plan's period; returns how many were added."""
	from cs_procedures.cs_procedures.report.satisfaction_survey_chase_list import (
		satisfaction_survey_chase_list as chase_list,
	)

	doc = frappe.get_doc("CS Call Plan", plan, for_update=True)
	doc.check_permission("write")
	if not doc.survey_campaign:
		guards.rule_error(MESSAGES, "no_campaign", title=_("Call Plan"))
	_columns, rows, *_rest = chase_list.execute({"campaign": doc.survey_campaign})
	first = {}
	for row in rows:
		first.setdefault(row.customer, row)
	added = rules.rows_to_add((row.customer for row in doc.calls), (row.customer for row in rows))
	for customer in added:
		row = first[customer]
		doc.append(
			"calls",
			{"customer": customer, "contact": row.contact, "phone": row.phone, "due_date": doc.period_end},
		)
	if added:
		doc.save()
	return len(added)
