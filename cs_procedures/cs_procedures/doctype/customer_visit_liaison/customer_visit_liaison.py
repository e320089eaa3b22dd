"""Liaison note (内部联络单, 000 II-2.1, 003 HT-QR-MA-06) for a customer visiting the factory.

Sales tells each department what to prepare and when to attend; issuing the note (submit) puts it
on each department head's to-do list, and each head acknowledges their own department's row (the
paper copy "signed by the receiver"). The stamps are written by the procedure only.
"""

import frappe
from frappe import _
from frappe.utils import add_days, format_datetime, get_datetime, getdate, now_datetime

from cs_procedures import guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.customer_visit import visits_site as site
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.after_sales import one_customer_survey
from cs_procedures.notifications import assign, close_assignments, notify
from cs_procedures.people import department_heads, user_department
from cs_procedures.procedures import visits as rules

STAMPS = ("acknowledged_by", "acknowledged_on")


class CustomerVisitLiaison(guards.ProcedureDocument):
	STATUS_MAP = guards.issued_status_map(
		"Issued",
		"Acknowledged",
		lambda doc: rules.all_acknowledged([r.acknowledged_by for r in doc.departments]),
	)

	def validate(self):
		site.refuse_stamps_on_new_rows(self, "departments", STAMPS)
		if self.departure and get_datetime(self.departure) < get_datetime(self.arrival):
			frappe.throw(_("The customer leaves after arriving."), title=_("Liaison Note"))
		departments = [row.department for row in self.departments]
		for department in {d for d in departments if departments.count(d) > 1}:
			frappe.throw(_("Department {0} is named twice.").format(department), title=_("Liaison Note"))

	def on_submit(self):
		for row in self.departments:
			heads = department_heads(row.department)
			if not heads:
				frappe.msgprint(
					_(
						"No active department head with a user is found for {0}: tell the department yourself."
					).format(row.department),
					indicator="orange",
					alert=True,
				)
				continue
			assign(
				self,
				heads,
				_("Customer {0} visits on {1}: acknowledge liaison note {2} for {3}.").format(
					self.customer_name or self.customer,
					format_datetime(self.arrival),
					self.name,
					row.department,
				),
			)

	def on_cancel(self):
		close_assignments(self)

	def on_trash(self):
		guards.refuse_deletion(
			self, None if self.docstatus == 0 else _("an issued liaison note is kept as evidence.")
		)

	def acknowledge(self, row: str | None = None):
		"""The head of a department acknowledges their own department's row, on the stored note.

		The desk calls `acknowledge` (below): Frappe's `run_doc_method` on a submitted document
		demands the submit permission, which department heads do not hold."""
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("read")
		own = user_department()
		if not guards.has_role(site.DEPARTMENT_HEAD) or not own:
			guards.refuse(_("Only the head of a department acknowledges its row of a liaison note."))
		rows = [r for r in doc.departments if r.department == own]
		target = next((r for r in doc.departments if r.name == row), None) if row else None
		if (row and (target is None or target.department != own)) or not rows:
			guards.refuse(
				_("You may only acknowledge the row of your own department ({0}).").format(own),
				title=_("Not Your Department"),
			)
		if doc.docstatus != 1:
			frappe.throw(_("Only an issued liaison note is acknowledged."))
		target = target or rows[0]
		if target.acknowledged_by:
			frappe.throw(_("{0} has already acknowledged this liaison note.").format(own))
		now = now_datetime().replace(microsecond=0)
		guards.stamp(doc, {"acknowledged_by": frappe.session.user, "acknowledged_on": now}, row=target)
		close_assignments(doc, department_heads(own) + [frappe.session.user])
		doc.reload()
		doc.set_status(update=True)
		notify(
			{doc.organiser},
			_("{0} acknowledged liaison note {1}.").format(own, doc.name),
			doc,
		)
		self.reload()


@frappe.whitelist(methods=["POST"])
def acknowledge(liaison: str, row: str | None = None) -> None:
	"""*Acknowledge for My Department* on an issued liaison note."""
	if not isinstance(liaison, str) or not frappe.db.exists("Customer Visit Liaison", liaison):
		frappe.throw(
			_("Customer Visit Liaison {0} does not exist.").format(liaison), frappe.DoesNotExistError
		)
	frappe.get_doc("Customer Visit Liaison", liaison).acknowledge(row if isinstance(row, str) else None)


@frappe.whitelist(methods=["POST"])
def make_visitor_survey(liaison: str) -> str:
	"""000 II-3: a customer visiting the factory answers the satisfaction survey on leaving. One click
	on the issued liaison note makes the survey (once per note) on the template CS Settings names: the
	customer answers its link on the portal, or fills the printed questionnaire (HT-QR-MA-01) that the
	organiser takes down. Returns the campaign."""
	if not guards.has_role(site.CS_MANAGER, people.CS_OFFICER):
		guards.refuse(_("Only CS staff make the visitor's survey."))
	doc = frappe.get_doc("Customer Visit Liaison", liaison, for_update=True)
	doc.check_permission("read")
	template = get_settings().visitor_survey_template
	if doc.docstatus != 1 or not template:
		frappe.throw(
			_(
				"The visitor's survey is made from an issued liaison note, with a Visitor Survey Template in CS Settings."
			),
			title=_("Visitor's Survey"),
		)
	left = getdate(doc.departure or doc.arrival)
	return one_customer_survey(
		doc.customer,
		template,
		_("Visitor's survey: {0} ({1})").format(doc.customer_name or doc.customer, doc.name),
		f"visit|{doc.name}",
		period_start=min(getdate(doc.arrival), getdate()),
		reply_by=add_days(max(left, getdate()), VISITOR_SURVEY_DAYS),
		follower=doc.organiser,
		what=_("the visitor's survey"),
		survey_method="Visit",
		survey_staff=frappe.utils.get_fullname(doc.organiser),
	)


VISITOR_SURVEY_DAYS = 7  # the visitor answers on leaving; the link stays open a week
