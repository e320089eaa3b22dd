"""Periodic visit plan of a salesperson (客户拜访计划表, 000 II-1.2, 002 ch2 §11), approved by the
CS manager through the workflow "Customer Visit Plan"; each approved visit is a calendar Event."""

import frappe
from frappe import _
from frappe.utils import add_to_date, escape_html, get_datetime, getdate, now_datetime

from cs_procedures import guards, people
from cs_procedures.cs_procedures.doctype.customer_visit import visits_site as site
from cs_procedures.notifications import approval_step, close_assignments, notify
from cs_procedures.procedures import visits as rules

ROW_MESSAGES = {
	"outside_period": lambda idx: _("Row {0}: the visit date is outside the plan's period.").format(idx),
	"duplicate": lambda idx: _("Row {0}: this customer is already planned on that day.").format(idx),
	"period": lambda idx: _("The plan's period must end after it starts."),
}


class CustomerVisitPlan(guards.ProcedureDocument):
	def validate(self):
		before = self.get_doc_before_save()
		site.check_own_record(self)
		site.refuse_stamps_on_new_rows(self, "visits", ("event",))
		moving = guards.approval_lock(
			self,
			before,
			rules.SUBMITTED,
			site.CS_MANAGER,
			_("The plan is waiting for the CS manager's approval and cannot be changed."),
		)
		problems = rules.plan_row_problems(
			[
				(row.idx, row.customer, getdate(row.visit_date) if row.visit_date else None)
				for row in self.visits
			],
			getdate(self.period_start),
			getdate(self.period_end),
		)
		for idx, problem in problems:
			guards.rule_error(ROW_MESSAGES, problem, idx, title=_("Visit Plan"))
		if moving:
			self.stamp_transition()

	def stamp_transition(self):
		now = now_datetime().replace(microsecond=0)
		if self.workflow_state == rules.SUBMITTED:
			self.submitted_on = now
			self.approved_by = self.approved_on = None
		elif self.workflow_state == rules.APPROVED:
			self.approved_by, self.approved_on = frappe.session.user, now

	def on_update(self):
		approval_step(
			self,
			rules,
			people.managers,
			_("Visit plan {0} of {1} ({2} visits) waits for your approval.").format(
				self.name, self.salesperson_name or self.salesperson, len(self.visits)
			),
			self.salesperson,
			_("Visit plan {0} was rejected: revise it and submit it again.").format(self.name),
		)

	def on_submit(self):
		close_assignments(self)
		self.create_events()
		notify(
			{self.salesperson},
			_("Visit plan {0} is approved: the visits are in your calendar.").format(self.name),
			self,
		)

	def create_events(self):
		"""A calendar entry per planned visit, owned by the salesperson, shown to the team."""
		for row in self.visits:
			if row.event:
				continue
			starts = get_datetime(f"{row.visit_date} {row.visit_time or '09:00:00'}")
			event = frappe.get_doc(
				{
					"doctype": "Event",
					"subject": _("Customer visit: {0}").format(row.customer_name or row.customer),
					"event_category": "Meeting",
					"event_type": "Public",
					"send_reminder": 0,  # nothing here depends on outgoing e-mail
					"starts_on": starts,
					"ends_on": add_to_date(starts, hours=1),
					"description": escape_html(row.key_points or ""),
					"event_participants": [
						{"reference_doctype": "Customer", "reference_docname": row.customer},
						{"reference_doctype": self.doctype, "reference_docname": self.name},
					],
				}
			).insert(ignore_permissions=True)
			frappe.db.set_value("Event", event.name, "owner", self.salesperson, update_modified=False)
			guards.stamp(self, {"event": event.name}, row=row)

	def on_trash(self):
		guards.keep_after_first_state(self, rules.DRAFT, _("a plan that was submitted for approval is kept."))
