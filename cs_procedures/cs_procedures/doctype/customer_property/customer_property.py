"""顾客财产登记表 (HT-QR-MA-10): one lot of customer-supplied property, from receipt to its end.

The status is not edited: it follows the facts (inspection, nonconformity,
notice to the customer, storage) and the closing actions. The rules are in
cs_procedures.procedures.property.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, today

from cs_procedures import guards
from cs_procedures.procedures import property as rules


class CustomerProperty(guards.ProcedureDocument):
	def validate(self):
		before = self.get_doc_before_save()
		old_status = before.status if before else None
		self.follow_quality_inspection()
		self.validate_data()
		self.retention_until = rules.retention_until(getdate(self.received_on))
		facts = self.facts()
		outcome = self.flags.close_as
		if outcome:
			self.check_closure(old_status, outcome, facts)
			self.status = outcome
		elif old_status in rules.FINAL_STATUSES:
			self.status = old_status
		else:
			if self.closed_on:
				frappe.throw(
					_("Close the record with Returned, Consumed or Disposed; the closing date is set by it."),
					title=_("Not Closed"),
				)
			if facts.stored and (self.is_new() or self.has_value_changed("warehouse")):
				self.check_storing(
					facts
				)  # putting it into store; an anomaly found later makes it Nonconforming
			self.status = rules.derive_status(facts, old_status)

	def facts(self) -> rules.Facts:
		return rules.Facts(
			inspection_result=self.inspection_result,
			nonconformity=self.nonconformity,
			customer_notified=bool(self.customer_notified_on),
			stored=bool(self.warehouse),
		)

	def follow_quality_inspection(self):
		"""The result of a linked ERPNext Quality Inspection is the inspection result."""
		if not self.quality_inspection:
			return
		inspection = frappe.db.get_value(
			"Quality Inspection",
			self.quality_inspection,
			["status", "docstatus", "item_code"],
			as_dict=True,
		)
		result = rules.result_from_quality_inspection(inspection.status, inspection.docstatus)
		if result is None:
			frappe.throw(
				_("Quality Inspection {0} is cancelled; link the inspection that replaces it.").format(
					self.quality_inspection
				),
				title=_("Cancelled Inspection"),
			)
		if self.item_code and inspection.item_code != self.item_code:
			frappe.throw(
				_("Quality Inspection {0} is for item {1}, not {2}.").format(
					self.quality_inspection, inspection.item_code, self.item_code
				),
				title=_("Wrong Inspection"),
			)
		self.item_code = inspection.item_code
		self.inspection_result = result

	def validate_data(self):
		received = getdate(self.received_on)
		if received > getdate(today()):
			frappe.throw(_("The received date cannot be in the future."), title=_("Invalid Date"))
		if self.qty is not None and self.qty < 0:
			frappe.throw(_("The quantity cannot be negative."), title=_("Invalid Quantity"))
		if self.inspection_result == rules.REJECTED and not (self.nonconformity or "").strip():
			frappe.throw(
				_("Describe the nonconformity of the rejected lot, as in the IQC inspection report."),
				title=_("Nonconformity Missing"),
			)
		if self.customer_notified_on:
			if getdate(self.customer_notified_on) < received:
				frappe.throw(
					_("The customer cannot have been notified before the property was received."),
					title=_("Invalid Date"),
				)
			if get_datetime(self.customer_notified_on) > get_datetime():
				frappe.throw(_("The notification time cannot be in the future."), title=_("Invalid Date"))
			if not self.notification_method:
				frappe.throw(
					_("Say how the customer was notified (phone, e-mail or inspection report)."),
					title=_("Notification Method Missing"),
				)
		elif self.notification_method:
			frappe.throw(
				_("Enter when the customer was notified, or clear the notification method."),
				title=_("Notification Date Missing"),
			)

	def check_storing(self, facts):
		blockers = rules.storing_blockers(facts)
		if rules.NOT_INSPECTED in blockers:
			frappe.throw(
				_("The lot can go into store only after its incoming inspection (or marked Not Required)."),
				title=_("Not Inspected"),
			)
		if rules.CUSTOMER_NOT_NOTIFIED in blockers:
			frappe.throw(
				_(
					"A rejected or nonconforming lot cannot go into store before the customer has been notified."
				),
				title=_("Customer Not Notified"),
			)

	def check_closure(self, old_status, outcome, facts):
		closed_on = getdate(self.closed_on)
		if closed_on < getdate(self.received_on) or closed_on > getdate(today()):
			frappe.throw(
				_("The closing date must lie between the received date and today."), title=_("Invalid Date")
			)
		blockers = rules.closure_blockers(old_status, outcome, facts)
		if rules.NOT_ALLOWED in blockers:
			frappe.throw(
				_("A record in status {0} cannot become {1}.").format(_(old_status or ""), _(outcome)),
				title=_("Not Allowed"),
			)
		if rules.CUSTOMER_NOT_NOTIFIED in blockers:
			frappe.throw(
				_("A rejected or nonconforming lot cannot be closed before the customer has been notified."),
				title=_("Customer Not Notified"),
			)
		if rules.NOT_INSPECTED in blockers:
			frappe.throw(
				_("Only a lot that passed its incoming inspection can be consumed."), title=_("Not Inspected")
			)

	@frappe.whitelist()
	def close(self, outcome: str, closed_on: str | None = None):
		"""Close the record: returned to the customer, consumed, or disposed of.

		Acts on the stored record (locked), whatever copy the client sent."""
		record = frappe.get_doc(self.doctype, self.name, for_update=True)
		record.check_permission("write")
		if outcome not in rules.FINAL_STATUSES:
			frappe.throw(_("Close the record with Returned, Consumed or Disposed."), title=_("Not Closed"))
		record.flags.close_as = outcome
		record.closed_on = getdate(closed_on) if closed_on else getdate(today())
		record.flags.ignore_permissions = True  # closed_on and status are written by the procedure only
		record.save()
		self.reload()  # the caller's copy (and the desk's, through run_doc_method) shows the stored result
		return record.status

	def on_trash(self):
		guards.refuse_deletion(
			self,
			None
			if rules.record_deletable(getdate(self.retention_until), getdate(today()))
			else _("the register keeps it until its retention ends on {0}.").format(
				frappe.format(self.retention_until, "Date")
			),
		)


@frappe.whitelist()
def make_quality_inspection(source_name: str):
	"""A new incoming Quality Inspection pre-filled from the record (the reference document is left to the inspector)."""
	source = frappe.get_doc("Customer Property", source_name)
	source.check_permission("read")
	if not source.item_code:
		frappe.throw(_("Set the item before making a Quality Inspection."), title=_("Item Missing"))
	inspection = frappe.new_doc("Quality Inspection")
	inspection.update(
		{
			"inspection_type": "Incoming",
			"item_code": source.item_code,
			"sample_size": source.qty or 1,
			"description": source.description,
			"remarks": _("Customer property {0} ({1}), customer delivery note {2}").format(
				source.name, source.customer_name or source.customer, source.delivery_reference or "-"
			),
		}
	)
	return inspection
