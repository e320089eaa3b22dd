"""Meeting memo (客户沟通备忘录, 000 II-2.3.3-2.3.4): what was agreed with the visiting customer,
with the copy the customer signed; each decision is followed up as a to-do and closed by the CS
manager."""

import frappe
from frappe import _
from frappe.utils import formatdate, now_datetime

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.customer_visit import visits_site as site
from cs_procedures.notifications import assign, close_assignments, notify
from cs_procedures.procedures import visits as rules

STAMPS = ("closed_by", "closed_on")


class CustomerMeetingMemo(guards.ProcedureDocument):
	STATUS_MAP = guards.issued_status_map(
		"Open", "Closed", lambda doc: not rules.open_decisions([r.closed_by for r in doc.decisions])
	)

	def validate(self):
		site.refuse_stamps_on_new_rows(self, "decisions", STAMPS)
		if self.liaison:
			customer = frappe.db.get_value("Customer Visit Liaison", self.liaison, "customer")
			if customer != self.customer:
				frappe.throw(
					_("Liaison note {0} is about another customer.").format(self.liaison),
					title=_("Meeting Memo"),
				)

	def before_submit(self):
		if not self.signed_copy:
			frappe.throw(
				_("Attach the copy of the memo signed by the customer before issuing it."),
				title=_("Customer's Signature Missing"),
			)

	def on_submit(self):
		decisions = {}
		for row in self.decisions:  # one to-do per person, naming each of their decisions
			due = f" ({formatdate(row.due_date)})" if row.due_date else ""
			decisions.setdefault(row.assigned_to, []).append(f"{row.decision}{due}")
		for user, lines in decisions.items():
			assign(
				self,
				[user],
				_("Decisions of the meeting with {0} to carry out: {1}").format(
					self.customer_name or self.customer, "; ".join(lines)
				),
			)

	def on_cancel(self):
		close_assignments(self)

	def on_trash(self):
		guards.refuse_deletion(
			self, None if self.docstatus == 0 else _("an issued meeting memo is kept as evidence.")
		)

	@frappe.whitelist()
	def close_decision(self, row: str):
		"""The CS manager closes a decision once it is carried out (000 II-2.3.4), on the stored memo."""
		if not guards.has_role(site.CS_MANAGER):
			guards.refuse(_("Only a CS manager closes the decisions of a meeting memo."))
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		target = next((r for r in doc.decisions if r.name == row), None)
		if doc.docstatus != 1 or target is None or target.closed_by:
			frappe.throw(_("Only an open decision of an issued memo can be closed."))
		now = now_datetime().replace(microsecond=0)
		guards.stamp(doc, {"closed_by": frappe.session.user, "closed_on": now}, row=target)
		doc.reload()
		still_open = {r.assigned_to for r in doc.decisions if not r.closed_by}
		close_assignments(doc, {target.assigned_to} - still_open)
		doc.set_status(update=True)
		if doc.status == "Closed":
			guards.stamp(doc, {"closed_on": now})
			close_assignments(doc)
		notify({target.assigned_to}, _("Decision closed: {0}").format(target.decision), doc)
		self.reload()
