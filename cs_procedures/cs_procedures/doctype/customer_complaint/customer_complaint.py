import frappe
from frappe import _
from frappe.contacts.doctype.contact.contact import get_contact_name
from frappe.model.mapper import get_mapped_doc
from frappe.model.workflow import apply_workflow
from frappe.utils import flt, get_datetime, getdate, now_datetime

from cs_procedures import complaint_summary, guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.customer_complaint import workflow
from cs_procedures.cs_procedures.doctype.customer_complaint.customer_answer import apply_customer_answer
from cs_procedures.notifications import assign, notify
from cs_procedures.people import user_department
from cs_procedures.procedures import complaint as rules


class CustomerComplaint(guards.ProcedureDocument):
	EDITABLE_IN = rules.EDITABLE_IN
	NOT_IN_FUTURE = ("received_on",)

	def before_insert(self):
		if self.contact_email and not self.customer:
			# created from an incoming e-mail (Email Account "Append To"): nobody has taken it yet
			self.flags.from_email = True
			self.channel = "E-mail"
			self.received_by = self.follower = None
			self.fill_from_sender()
		elif self.flags.via_portal:  # filed by the customer (customer_complaint/portal_api.file_complaint)
			self.received_by = self.follower = None  # the CS manager names the follower

	def after_insert(self):
		"""A complaint that came in by e-mail or on the portal waits on the CS managers' to-do lists."""
		if self.flags.from_email:
			message = _(
				"New complaint by e-mail from {0}: check it, name the follower and issue the sheet."
			).format(self.customer_name or self.contact_email)
		elif self.flags.via_portal:
			message = _(
				"New complaint on the portal from {0}: check it, name the follower and issue the sheet."
			).format(self.customer_name or self.customer)
		else:
			return
		assign(self, people.managers(), message)

	def onload(self):
		"""What the form needs to offer a department head the approval of their part."""
		named, approved = workflow.named_departments(self), workflow.approved_departments(self)
		own = user_department()
		self.set_onload(
			"may_sign_claim",
			self.docstatus == 0
			and any(
				not row.signed_by and workflow.may_sign(row, frappe.session.user, own)
				for row in self.sign_offs
			),
		)
		self.set_onload(
			"may_approve_part",
			self.workflow_state == rules.SHEET_ISSUED
			and people.DEPARTMENT_HEAD_ROLE in frappe.get_roles()
			and rules.may_approve_part(named, approved, own)
			and not rules.completes_approval(named, approved, own),  # the last part: the workflow action
		)

	def validate(self):
		settings = get_settings()
		before = self.get_doc_before_save()
		for field in ("received_on", "customer_required_by"):  # to the second, as the form edits it
			if self.get(field):
				self.set(field, get_datetime(self.get(field)).replace(microsecond=0))
		workflow.check_routing(self, before)
		self.responsible_department = self.responsible_department or rules.route_department(
			self.complaint_type, settings.department_map()
		)
		self.validate_quantities()
		workflow.sync_responsibilities(self, before)
		workflow.check_countermeasure_edit(self, before)
		workflow.check_claim(self, before, settings)
		self.set_sheet_due_by(settings)

		old_state = before.workflow_state if before else None
		if old_state == rules.REPLIED and self.workflow_state in (rules.SHEET_ISSUED, rules.RECEIVED):
			if not self.flags.customer_answer:  # Reopen: the customer's "no" only (customer_answer.py)
				guards.refuse(
					_(
						"A replied complaint is reopened only by the customer's answer that the reply does not satisfy them."
					),
					title=_("Reopen"),
				)
		if self.workflow_state and self.workflow_state != old_state and before:
			workflow.check_transition(self, old_state, settings)
			workflow.stamp_transition(self, settings)
		self.track_deadline(settings)

	def validate_workflow(self):
		if self.flags.customer_answer:
			# Reopen on the customer's "no": customer_answer.apply_customer_answer checked the
			# stored state (Replied) and the customer; the move is the procedure's, not a user's role
			return
		super().validate_workflow()

	def on_trash(self):
		guards.keep_after_first_state(
			self, rules.RECEIVED, _("a complaint that has left Received is dismissed with Not Accept.")
		)
		complaint_summary.before_write(self)  # a submitted one (deleted by force) leaves the summary

	@frappe.whitelist()
	def approve_part(self):
		"""A department head approves their department's part of the countermeasure (000 III-2.2).

		Acts on the stored complaint (locked). The last part to be approved approves the whole
		countermeasure: the complaint moves on through the workflow action."""
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		own = user_department()
		named, approved = workflow.named_departments(doc), workflow.approved_departments(doc)
		if (
			doc.workflow_state != rules.SHEET_ISSUED
			or people.DEPARTMENT_HEAD_ROLE not in frappe.get_roles()
			or not rules.may_approve_part(named, approved, own)
		):
			guards.refuse(
				_(
					"Only the head of a responsible department that has not approved yet can approve its part."
				),
				title=_("Not Your Department"),
			)
		if own not in [row.department for row in doc.countermeasures]:
			frappe.throw(
				_("Fill in the 5W1H rows of {0} before approving them.").format(own),
				title=_("Countermeasure Incomplete"),
			)
		if rules.completes_approval(named, approved, own):
			apply_workflow(doc, "Approve Countermeasure")
		else:
			workflow.stamp_part(doc, own, frappe.session.user, now_datetime().replace(microsecond=0))
			doc.flags.ignore_permissions = True  # the approval stamps are written by the procedure only
			doc.save()
			notify(
				{doc.follower},
				_("{0} approved its part of the countermeasure of complaint {1}.").format(own, doc.name),
				doc,
			)
		self.reload()

	@frappe.whitelist()
	def sign_claim(self, opinion: str | None = None):
		"""The departments, the vice president and the general manager sign off a large claim, each
		their own line with their opinion (002 ch6 §9), on the stored complaint (locked)."""
		doc = frappe.get_doc(self.doctype, self.name, for_update=True)
		doc.check_permission("read")
		own = user_department()
		rows = [
			row
			for row in doc.sign_offs
			if not row.signed_by and workflow.may_sign(row, frappe.session.user, own)
		]
		if doc.docstatus != 0 or not rows:
			guards.refuse(
				_("No line of this claim's sign-off waits for you."), title=_("Claim Not Signed Off")
			)
		now = now_datetime().replace(microsecond=0)
		opinion = opinion.strip() if isinstance(opinion, str) else ""
		for row in rows:
			guards.stamp(
				doc, {"signed_by": frappe.session.user, "signed_on": now, "opinion": opinion}, row=row
			)
		doc.add_comment(
			"Info",
			frappe.utils.escape_html(
				_("{0} signed off the claim ({1}): {2}").format(
					frappe.utils.get_fullname(), ", ".join(_(row.function) for row in rows), opinion or "-"
				)
			),
		)
		self.reload()

	@frappe.whitelist()
	def record_customer_answer(self, satisfied: str, feedback: str | None = None):
		"""CS records the customer's answer to the reply given by phone or in a visit (002 ch6 §17):
		the same rules as the portal's answer; a "No" reopens the complaint."""
		if not guards.has_role(people.CS_OFFICER, people.CS_MANAGER):
			guards.refuse(_("Only CS staff can record the customer's answer."))
		feedback = feedback if isinstance(feedback, str) else None
		apply_customer_answer(
			self.name, satisfied, feedback, recorded_for=self.customer_name or self.customer
		)
		self.reload()

	def on_update(self):
		if self.has_value_changed("workflow_state"):
			workflow.assign_for_state(self)

	# the statistics summed per month follow every write (complaint_summary.py), history included
	def db_update(self):
		complaint_summary.before_write(self)
		super().db_update()

	def run_post_save_methods(self):
		complaint_summary.after_write(self)
		super().run_post_save_methods()

	def after_delete(self):
		complaint_summary.after_delete(self)

	def fill_from_sender(self):
		contact = get_contact_name(self.contact_email)
		if not contact:
			return
		self.contact_person = contact
		self.customer = frappe.db.get_value(
			"Dynamic Link",
			{"parenttype": "Contact", "parent": contact, "link_doctype": "Customer"},
			"link_name",
		)

	def validate_quantities(self):
		if flt(self.defect_qty) > flt(self.qty) > 0:
			frappe.throw(
				_("The defective quantity ({0}) cannot exceed the quantity concerned ({1}).").format(
					flt(self.defect_qty), flt(self.qty)
				),
				title=_("Invalid Quantity"),
			)
		self.defect_rate = rules.defect_rate(flt(self.qty), flt(self.defect_qty))

	def set_sheet_due_by(self, settings):
		if self.received_on and (not self.sheet_due_by or self.has_value_changed("received_on")):
			self.sheet_due_by = rules.sheet_due_by(
				get_datetime(self.received_on), settings.sheet_issue_hours, settings.calendar()
			)

	def track_deadline(self, settings):
		"""Keep the current stage's deadline and the sweep's next check up to date.

		A new stage or a moved deadline starts the breach escalation afresh.
		"""
		open_dues = [row.due_date for row in self.countermeasures if row.status != "Done" and row.due_date]
		if open_dues:
			closes = settings.calendar().end
			open_dues = [get_datetime(f"{getdate(due)} {closes}") for due in open_dues]
		sales_reply_due = None
		if self.handled_by_sales_alone and settings.allow_sales_only_handling and self.received_on:
			sales_reply_due = rules.sales_reply_due_by(
				get_datetime(self.received_on),
				_as_datetime(self.customer_required_by),
				flt(settings.sales_reply_hours) or rules.DEFAULT_SALES_REPLY_HOURS,
				settings.calendar(),
			)
		deadline = rules.current_deadline(
			self.workflow_state,
			_as_datetime(self.sheet_due_by),
			_as_datetime(self.countermeasure_due_by),
			_as_datetime(self.customer_required_by),
			open_dues,
			sales_reply_due,
		)
		stage, due = (deadline.stage, deadline.due) if deadline else (None, None)
		if stage == (self.deadline_stage or None) and due == _as_datetime(self.next_deadline):
			return
		self.deadline_stage, self.next_deadline, self.next_sweep_at = stage, due, due
		self.breach_level, self.is_overdue = rules.ON_TIME, 0


def _as_datetime(value):
	return get_datetime(value) if value else None


SOURCE_FIELDS = {
	"Customer": "customer",
	"Sales Order": "sales_order",
	"Delivery Note": "delivery_note",
	"Sales Invoice": "sales_invoice",
}


@frappe.whitelist()
def make_complaint(source_doctype: str, source_name: str, target_doc=None):
	"""A new complaint pre-filled from a Customer, Sales Order, Delivery Note (or return) or Sales Invoice."""
	if source_doctype not in SOURCE_FIELDS:
		frappe.throw(_("A complaint cannot be made from {0}.").format(_(source_doctype)))

	def fill(source, complaint):
		if source_doctype == "Customer":
			complaint.customer = source.name
			return
		if source.get("is_return"):
			complaint.channel = "Returned Goods"
			complaint.handling_method = "Return"
			if source_doctype == "Delivery Note":
				complaint.return_delivery_note = source.name
			complaint.set(SOURCE_FIELDS[source_doctype], source.return_against)
		else:
			complaint.set(SOURCE_FIELDS[source_doctype], source.name)
		items = source.get("items") or []
		if items:
			first = items[0]
			complaint.sales_order = (
				complaint.sales_order or first.get("against_sales_order") or first.get("sales_order")
			)
			complaint.delivery_note = complaint.delivery_note or first.get("delivery_note")
			if len({row.item_code for row in items}) == 1:
				complaint.item_code = first.item_code
				complaint.qty = abs(sum(flt(row.qty) for row in items))
				complaint.batch_no = first.get("batch_no")

	return get_mapped_doc(
		source_doctype,
		source_name,
		{source_doctype: {"doctype": "Customer Complaint", "field_no_map": ["naming_series"]}},
		target_doc,
		fill,
	)


@frappe.whitelist()
def make_complaint_from(source_name: str, target_doc=None):
	"""*Create > Customer Complaint* on an ERPNext form (`frappe.model.open_mapped_doc`, whose `args`
	name the source doctype)."""
	return make_complaint((frappe.flags.args or {}).get("source_doctype"), source_name, target_doc)


def on_doctype_update():
	# repeat-complaint look-ups in Complaint Statistics: same customer and type, earlier dates
	frappe.db.add_index("Customer Complaint", ["customer", "complaint_type", "received_on"])
	# Complaint Statistics reads the open complaints and the edges of a period live (complaint_summary.py)
	frappe.db.add_index("Customer Complaint", ["docstatus", "received_on"])
	# the ledger's views: a customer's complaints of a period, the overdue ones
	frappe.db.add_index("Customer Complaint", ["customer", "received_on"])
	frappe.db.add_index("Customer Complaint", ["is_overdue", "received_on"])
