"""Return / exchange request (退换货申请, 001 4.12.2): approved by the CS department through the
workflow "Return Request" before the return Delivery Note or the credit note is made from it; the
approved quantities bound those returns (cs_procedures.erpnext_doctypes.returns)."""

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc
from frappe.utils import flt, now_datetime

from cs_procedures import guards, people
from cs_procedures.notifications import approval_step, close_assignments, notify
from cs_procedures.procedures import after_sales as rules

MESSAGES = {
	"qty_not_positive": lambda idx: _("Row {0}: the requested quantity must be more than zero.").format(idx),
	"qty_over_returnable": lambda idx: _(
		"Row {0}: more is asked back than was delivered on the delivery note and not yet returned."
	).format(idx),
	"approved_negative": lambda idx: _("Row {0}: the approved quantity cannot be negative.").format(idx),
	"approved_over_requested": lambda idx: _(
		"Row {0}: the approved quantity cannot exceed the requested quantity."
	).format(idx),
	"nothing_approved": lambda idx: _(
		"Nothing is approved: approve a quantity on at least one row, or reject the request."
	),
}


class ReturnRequest(guards.ProcedureDocument):
	def validate(self):
		before = self.get_doc_before_save()
		moving = guards.approval_lock(
			self,
			before,
			rules.SUBMITTED,
			people.CS_MANAGER,
			_("The request is waiting for the CS manager's approval and cannot be changed."),
		)
		self.check_references()
		self.fill_rows()
		self.check_rows(rules.request_row_problems)
		if moving and self.workflow_state == rules.SUBMITTED:
			# what was asked is what the manager starts from; a lower figure is theirs to set
			for row in self.items:
				row.approved_qty = row.qty
			self.submitted_on = now_datetime().replace(microsecond=0)
			self.approved_by = self.approved_on = None
		if self.workflow_state == rules.SUBMITTED:
			self.check_rows(rules.approved_row_problems)
		if moving and self.workflow_state == rules.REJECTED and not (self.approval_note or "").strip():
			frappe.throw(
				_("Say why the request is rejected in the Approval Note."), title=_("Reason Required")
			)
		if moving and self.workflow_state == rules.APPROVED:
			self.check_rows(rules.approval_problems)
			self.approved_by, self.approved_on = frappe.session.user, now_datetime().replace(microsecond=0)
			self.return_status = rules.NOT_RETURNED

	def check_references(self):
		"""The delivery, invoice and complaint are the customer's own, read from the database."""
		dn = frappe.db.get_value(
			"Delivery Note",
			self.delivery_note,
			["customer", "docstatus", "is_return", "company", "currency"],
			as_dict=True,
		)
		if not dn or dn.docstatus != 1 or dn.is_return:
			frappe.throw(
				_("Choose a submitted delivery note (not a return) for the goods to take back."),
				title=_("Delivery Note"),
			)
		if dn.customer != self.customer:
			frappe.throw(
				_("Delivery note {0} is not one of {1}'s.").format(self.delivery_note, self.customer),
				title=_("Other Customer"),
			)
		self.company, self.currency = dn.company, dn.currency
		if self.sales_invoice:
			si = frappe.db.get_value(
				"Sales Invoice", self.sales_invoice, ["customer", "docstatus", "is_return"], as_dict=True
			)
			if not si or si.docstatus != 1 or si.is_return or si.customer != self.customer:
				frappe.throw(
					_("Sales invoice {0} is not a submitted invoice of {1}.").format(
						self.sales_invoice, self.customer
					),
					title=_("Sales Invoice"),
				)
		if self.customer_complaint:
			if (
				frappe.db.get_value("Customer Complaint", self.customer_complaint, "customer")
				!= self.customer
			):
				frappe.throw(
					_("Complaint {0} is not one of {1}'s.").format(self.customer_complaint, self.customer),
					title=_("Other Customer"),
				)

	def fill_rows(self):
		"""Each row is a line of the stored delivery note: rate, unit and the quantity still returnable
		come from there, never from the request."""
		lines = frappe.get_all(
			"Delivery Note Item",
			filters={"parent": self.delivery_note, "parenttype": "Delivery Note"},
			fields=["name", "item_code", "qty", "returned_qty", "rate", "uom"],
			order_by="idx",
		)
		by_name = {line.name: line for line in lines}
		for row in self.items:
			line = by_name.get(row.dn_detail) or next(
				(line for line in lines if line.item_code == row.item_code), None
			)
			if not line or line.item_code != row.item_code:
				frappe.throw(
					_("Row {0}: item {1} is not on delivery note {2}.").format(
						row.idx, row.item_code, self.delivery_note
					),
					title=_("Not Delivered"),
				)
			row.dn_detail, row.uom, row.rate = line.name, line.uom, line.rate
			row.delivered_qty = flt(line.qty) - flt(line.returned_qty)
			row.amount = flt(row.qty) * flt(row.rate)
		self.total_qty = sum(flt(row.qty) for row in self.items)
		self.total_amount = sum(flt(row.amount) for row in self.items)

	def check_rows(self, check):
		for idx, problem in check(self.request_rows()):
			guards.rule_error(MESSAGES, problem, idx, title=_("Return Request"))

	def request_rows(self) -> list[rules.RequestRow]:
		return [
			rules.RequestRow(
				row.idx, row.item_code, flt(row.qty), flt(row.delivered_qty), flt(row.approved_qty)
			)
			for row in self.items
		]

	def before_cancel(self):
		returns = linked_returns(self.name)
		if returns:
			frappe.throw(
				_("Cancel the returns made against this request first: {0}").format(", ".join(returns)),
				title=_("Returns Made"),
			)

	def on_update(self):
		approval_step(
			self,
			rules,
			people.managers,
			_("{0} request {1} of {2} waits for your approval.").format(
				_(self.request_type), self.name, self.customer_name or self.customer
			),
			self.owner,
			_("Return request {0} was rejected: {1}").format(self.name, self.approval_note or ""),
		)

	def on_submit(self):
		close_assignments(self)
		notify(
			{self.owner, self.complaint_follower()} - {None},
			_("Return request {0} is approved: the return can be made from it.").format(self.name),
			self,
		)
		if self.customer_complaint:
			frappe.get_doc("Customer Complaint", self.customer_complaint).add_comment(
				"Info",
				_("{0} request {1} approved by {2}.").format(
					_(self.request_type), self.name, frappe.utils.get_fullname(frappe.session.user)
				),
			)

	def complaint_follower(self):
		if self.customer_complaint:
			return frappe.db.get_value("Customer Complaint", self.customer_complaint, "follower")

	def on_trash(self):
		guards.keep_after_first_state(
			self, rules.DRAFT, _("a request that was submitted for approval is kept.")
		)


def linked_returns(request: str) -> list[str]:
	return [
		name
		for doctype in ("Delivery Note", "Sales Invoice")
		for name in frappe.get_all(
			doctype, filters={"cs_return_request": request, "docstatus": 1}, pluck="name"
		)
	]


@frappe.whitelist()
def make_from_complaint(source_name: str, target_doc=None):
	"""*Create > Return Request* on a complaint: its customer, delivery, invoice and item."""

	def fill(complaint, request):
		request.customer_complaint = complaint.name
		request.request_type = "Exchange" if complaint.customer_request == "Replacement" else "Return"
		request.reason = COMPLAINT_REASONS.get(complaint.complaint_type, "Other")
		request.reason_details = complaint.subject
		if not complaint.delivery_note:
			return
		lines = frappe.get_all(
			"Delivery Note Item",
			filters={"parent": complaint.delivery_note, "parenttype": "Delivery Note"},
			fields=["name", "item_code", "qty", "returned_qty"],
			order_by="idx",
		)
		for line in lines:
			if complaint.item_code and line.item_code != complaint.item_code:
				continue
			returnable = flt(line.qty) - flt(line.returned_qty)
			asked = flt(complaint.defect_qty) or flt(complaint.qty) or returnable
			request.append(
				"items", {"item_code": line.item_code, "dn_detail": line.name, "qty": min(asked, returnable)}
			)

	return get_mapped_doc(
		"Customer Complaint",
		source_name,
		{
			"Customer Complaint": {
				"doctype": "Return Request",
				"field_map": {"customer": "customer"},
				"field_no_map": ["naming_series", "workflow_state", "items"],
			}
		},
		target_doc,
		fill,
	)


# complaint type -> the request's reason it most likely is
COMPLAINT_REASONS = {
	"Quality": "Quality Defect",
	"Quantity": "Wrong Quantity",
	"Delivery": "Damaged in Transit",
}


def _approved_request(name: str):
	request = frappe.get_doc("Return Request", name)
	request.check_permission("read")
	if rules.request_problem(request.workflow_state, request.docstatus, request.customer, request.customer):
		frappe.throw(_("Return request {0} is not approved.").format(name), title=_("Not Approved"))
	return request


def _keep_request_lines(target, request, done_field: str, line_field: str):
	"""The mapped return keeps the request's lines only, each at what the approval still allows
	(negative: a return)."""
	left = {
		row.dn_detail: rules.remaining(flt(row.approved_qty), flt(row.get(done_field)))
		for row in request.items
	}
	by_item = {row.item_code: row.dn_detail for row in request.items}
	keep = []
	for line in target.items:
		key = line.get(line_field) if line.get(line_field) in left else by_item.get(line.item_code)
		qty = left.get(key, 0.0)
		if qty > 0:
			left[key] = 0.0
			line.qty = -qty
			line.stock_qty = -qty * flt(line.conversion_factor or 1)
			keep.append(line)
	if not keep:
		frappe.throw(
			_("Everything approved on {0} has been returned already.").format(request.name),
			title=_("Nothing Left to Return"),
		)
	target.set("items", keep)
	target.cs_return_request = request.name
	target.run_method("calculate_taxes_and_totals")


@frappe.whitelist()
def make_return_delivery_note(source_name: str, target_doc=None):
	"""The return Delivery Note of an approved request: ERPNext's own return of the delivery, holding
	the approved quantities not yet returned."""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	request = _approved_request(source_name)
	target = make_sales_return(request.delivery_note, target_doc)
	_keep_request_lines(target, request, "returned_qty", "dn_detail")
	return target


@frappe.whitelist()
def make_credit_note(source_name: str, target_doc=None):
	"""The credit note (return Sales Invoice) of an approved request against its invoice."""
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	request = _approved_request(source_name)
	if not request.sales_invoice:
		frappe.throw(
			_("Return request {0} names no sales invoice.").format(source_name), title=_("No Invoice")
		)
	target = make_sales_return(request.sales_invoice, target_doc)
	_keep_request_lines(target, request, "credited_qty", "dn_detail")
	return target


@frappe.whitelist()
@frappe.read_only()  # a replica may lag: the return is checked again on the primary when saved
def returnable_lines(delivery_note: str) -> list[dict]:
	"""The delivery note's lines that can still come back, to start a request from."""
	frappe.get_doc("Delivery Note", delivery_note).check_permission("read")
	lines = frappe.get_all(
		"Delivery Note Item",
		filters={"parent": delivery_note, "parenttype": "Delivery Note"},
		fields=["name", "item_code", "item_name", "qty", "returned_qty", "rate", "uom"],
		order_by="idx",
	)
	return [
		{
			"item_code": line.item_code,
			"item_name": line.item_name,
			"dn_detail": line.name,
			"delivered_qty": flt(line.qty) - flt(line.returned_qty),
			"qty": flt(line.qty) - flt(line.returned_qty),
			"rate": line.rate,
			"uom": line.uom,
		}
		for line in lines
		if flt(line.qty) - flt(line.returned_qty) > 0
	]
