"""Customer visit record (客户拜访记录表 / 日报表, 000 II-1.1, 002 ch3 §15-16).

A visit outside an approved plan needs the CS manager's permission before it is recorded
(000 II-1.3); follow-up actions become to-dos; a complaint heard becomes a Customer Complaint.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.contacts.doctype.address.address import get_address_display, get_default_address
from frappe.model.mapper import get_mapped_doc
from frappe.utils import escape_html, flt, formatdate, getdate, now_datetime

from cs_procedures import guards, people
from cs_procedures.cs_procedures.doctype.customer_visit import visits_site as site
from cs_procedures.notifications import assign, close_assignments, notify
from cs_procedures.procedures import visits as rules

VISIT_KEYS = ("customer", "salesperson", "visit_date")


class CustomerVisit(guards.ProcedureDocument):
	def validate(self):
		site.check_own_record(self)
		self.set_address()
		self.total_expense = sum(flt(row.amount) for row in self.expenses)
		self.set_plan()

	def set_address(self):
		if self.customer and (not self.address or self.has_value_changed("customer")):
			address = get_default_address("Customer", self.customer)
			self.address = get_address_display(address) if address else None

	def set_plan(self):
		"""Which approved plan covers the visit, judged by the procedure; a permission given for
		another customer, salesperson or day does not carry over."""
		self.visit_plan = site.covering_plan(self.salesperson, self.customer, self.visit_date)
		self.unplanned = 0 if self.visit_plan else 1
		before = self.get_doc_before_save()
		if before is not None and any(
			str(before.get(key) or "") != str(self.get(key) or "") for key in VISIT_KEYS
		):
			self.permitted_by = self.permitted_on = self.permission_requested_on = None

	def before_submit(self):
		guards.rule_error(
			PERMISSION_MESSAGES,
			rules.permission_problem(
				bool(self.visit_plan),
				getdate(self.visit_date),
				getdate(self.permitted_on) if self.permitted_by and self.permitted_on else None,
			),
			title=_("Unplanned Visit"),
		)

	def on_submit(self):
		self.assign_follow_ups()
		self.close_reminders()

	def on_trash(self):
		guards.refuse_deletion(
			self, None if self.docstatus == 0 else _("a recorded visit is kept as evidence.")
		)

	def assign_follow_ups(self):
		"""Each follow-up action on the to-do list of whoever must do it (one to-do per person)."""
		actions = defaultdict(list)
		for row in self.follow_ups:
			due = f" ({formatdate(row.due_date)})" if row.due_date else ""
			actions[row.assigned_to].append(f"{row.action}{due}")
		for user, lines in actions.items():
			assign(
				self,
				[user],
				_("Follow-up of the visit to {0} ({1}): {2}").format(
					self.customer_name or self.customer, self.name, "; ".join(lines)
				),
			)

	def close_reminders(self):
		"""The visit answers the customer's open overdue-visit reminders."""
		for name in frappe.get_all(
			"Customer Visit Reminder", filters={"customer": self.customer, "status": "Open"}, pluck="name"
		):
			reminder = frappe.get_doc("Customer Visit Reminder", name)
			guards.stamp(reminder, {"visit": self.name})
			reminder.set_status(update=True)
			close_assignments(reminder)

	@frappe.whitelist()
	def request_permission(self):
		"""The salesperson asks the CS manager's permission for an unplanned visit (000 II-1.3)."""
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("write")
		site.check_own_record(doc)
		if doc.docstatus != 0 or doc.visit_plan or doc.permitted_by:
			frappe.throw(_("Only an unplanned visit not yet permitted needs the CS manager's permission."))
		guards.rule_error(PERMISSION_MESSAGES, too_late(doc), title=_("Unplanned Visit"))
		guards.stamp(doc, {"permission_requested_on": now_datetime().replace(microsecond=0)})
		assign(
			doc,
			people.managers(),
			_("{0} asks your permission for an unplanned visit to {1} on {2}.").format(
				frappe.utils.get_fullname(doc.salesperson),
				doc.customer_name or doc.customer,
				formatdate(doc.visit_date),
			),
		)
		self.reload()

	@frappe.whitelist()
	def permit(self):
		"""The CS manager permits an unplanned visit, on the stored record."""
		if not guards.has_role(site.CS_MANAGER):
			guards.refuse(_("Only a CS manager permits an unplanned visit."))
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		if doc.docstatus != 0 or doc.visit_plan or doc.permitted_by:
			frappe.throw(_("Only an unplanned visit not yet permitted needs the CS manager's permission."))
		guards.rule_error(PERMISSION_MESSAGES, too_late(doc), title=_("Unplanned Visit"))
		guards.stamp(
			doc, {"permitted_by": frappe.session.user, "permitted_on": now_datetime().replace(microsecond=0)}
		)
		close_assignments(doc, people.managers())
		notify(
			{doc.salesperson},
			_("Your unplanned visit to {0} is permitted.").format(doc.customer_name or doc.customer),
			doc,
		)
		self.reload()


PERMISSION_MESSAGES = {
	"not_permitted": lambda: _(
		"This visit is not in an approved visit plan: ask the CS manager's permission before recording it."
	),
	"permitted_after_visit": lambda: _(
		"The CS manager's permission came after the visit: an unplanned visit is permitted before it takes place (000 II-1.3)."
	),
	"visit_past": lambda: _(
		"The visit's date has passed: the CS manager permits an unplanned visit before it takes place (000 II-1.3)."
	),
}


def too_late(doc) -> str | None:
	return "visit_past" if rules.too_late_to_permit(getdate(doc.visit_date), getdate()) else None


@frappe.whitelist()
def make_complaint(source_name: str, target_doc=None):
	"""A Customer Complaint (channel Visit) from a complaint heard during the visit."""
	visit = frappe.get_doc("Customer Visit", source_name)
	visit.check_permission("read")
	frappe.has_permission("Customer Complaint", "create", throw=True)
	if visit.docstatus == 2:
		frappe.throw(_("The visit is cancelled."))

	def set_complaint(source, target):
		target.channel = "Visit"
		target.customer_visit = source.name
		target.received_by = frappe.session.user
		target.subject = _("Complaint heard during the visit of {0}").format(formatdate(source.visit_date))
		target.description = (
			"<p>" + escape_html(source.complaints_heard or source.problems_open or "") + "</p>"
		)
		if source.contact:
			target.contact_email = frappe.db.get_value("Contact", source.contact, "email_id")
			target.contact_phone = frappe.db.get_value(
				"Contact", source.contact, "phone"
			) or frappe.db.get_value("Contact", source.contact, "mobile_no")

	return get_mapped_doc(
		"Customer Visit",
		source_name,
		{
			"Customer Visit": {
				"doctype": "Customer Complaint",
				"field_map": {"contact": "contact_person"},
				"field_no_map": ["naming_series", "amended_from", "address", "visit_date", "status"],
			}
		},
		target_doc,
		set_complaint,
	)
