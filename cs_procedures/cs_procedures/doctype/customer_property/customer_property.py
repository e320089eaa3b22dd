"""顾客财产登记表 (HT-QR-MA-10): one lot of customer-supplied property, from receipt to its end.

The lot moves through the workflow "Customer Property" (Received, Inspected, Nonconforming,
Customer Notified, In Store, then Returned, Consumed or Disposed); `status` mirrors the state.
Each move is judged against the stored record: the procedure's rules
(cs_procedures.procedures.property) say what it needs, the Workflow who may take it.
"""

import frappe
from frappe import _
from frappe.model.workflow import WorkflowPermissionError
from frappe.utils import get_datetime, getdate, today

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.customer_property import workflow
from cs_procedures.procedures import property as rules


class CustomerProperty(guards.ProcedureDocument):
	def validate(self):
		before = self.get_doc_before_save()
		old_state = workflow.stored_state(before)
		if old_state in rules.FINAL_STATUSES:
			workflow.check_closed_record_kept(self, before)
		self.follow_quality_inspection()
		self.validate_data()
		if before is None:
			workflow.check_first_state(self)
		elif (self.workflow_state or old_state) != old_state:
			workflow.check_move(self, before, old_state, self.workflow_state)
			workflow.stamp_move(self, old_state, self.workflow_state)
		else:
			self.workflow_state = old_state
			workflow.check_facts_kept(self, old_state)
		workflow.check_closing_date(self)
		self.retention_until = rules.retention_until(getdate(self.closed_on) if self.closed_on else None)
		self.status = self.workflow_state
		self.flags.anomaly_recorded = rules.anomaly_recorded(
			workflow.facts(before) if before else None, workflow.facts(self)
		)

	def on_update(self):
		if self.flags.anomaly_recorded:
			workflow.tell_materials(self)
		if self.has_value_changed("workflow_state"):
			workflow.assign_for_state(self)

	def before_submit(self):
		frappe.throw(
			_(
				"Customer property is not submitted: it is closed by the workflow actions Return to Customer, Consume or Dispose."
			),
			WorkflowPermissionError,
			title=_("Use the Workflow Actions"),
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

	def on_trash(self):
		guards.refuse_deletion(self, self.kept_because())

	def kept_because(self) -> str | None:
		"""Why the register keeps the record (HT-QR-MA-10), or None once it may go."""
		if not self.retention_until:
			return _("the register keeps the record of a lot the company still holds.")
		if not rules.record_deletable(getdate(self.retention_until), getdate(today())):
			return _("the register keeps it until its retention ends on {0}.").format(
				frappe.format(self.retention_until, "Date")
			)
		return None


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
