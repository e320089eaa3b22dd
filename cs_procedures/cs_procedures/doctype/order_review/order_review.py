"""Contract / order review record (合同/订单评审记录, 003 §5.1, form HT-QR-MA-03)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.people import changed_rows, user_department
from cs_procedures.procedures import order_review as rules

MANAGERS = {"System Manager", "CS Manager"}
APPROVAL_MESSAGES = {
	"open_reviews": lambda: _(
		"Every department must give its conclusion before the general manager decides."
	),
	"no_decision": lambda: _("Choose the general manager's decision."),
	"objection_needs_measures": lambda: _(
		"A department found the order not feasible: approve it with coordinated measures, or cancel the order."
	),
	"remarks_required": lambda: _(
		"Write the coordinated measures or the reason for cancelling in the remarks."
	),
}


class OrderReview(Document):
	def validate(self):
		if not self.opinions:
			departments = {row.function: row.department for row in get_settings().review_departments}
			for function, aspect in rules.ASPECTS.items():
				self.append(
					"opinions",
					{
						"function": function,
						"aspect": aspect,
						"department": departments.get(function),
						"conclusion": rules.PENDING,
					},
				)
		self.check_opinion_edits()

	def check_opinion_edits(self):
		"""Each department gives its own conclusion; sales (CS officers) fill the sales row."""
		user, roles = frappe.session.user, set(frappe.get_roles())
		own = user_department(user)
		current = {id(row) for row in self.opinions}
		for row in changed_rows(self, "opinions"):
			if row.conclusion == rules.PENDING and not row.comments:
				continue  # no opinion given (a new review's empty rows)
			allowed = (
				MANAGERS & roles
				or (row.department and row.department == own)
				or (row.function == "Sales" and "CS Officer" in roles)
			)
			if not allowed:
				frappe.throw(
					_("Row {0}: only the {1} department gives this conclusion.").format(
						row.idx, row.department or _(row.function)
					),
					frappe.PermissionError,
					title=_("Not Your Department"),
				)
			if id(row) in current:
				row.reviewed_by, row.reviewed_on = user, now_datetime()

	def before_submit(self):
		problem = rules.approval_problem(
			[row.conclusion for row in self.opinions], self.gm_decision, self.gm_remarks
		)
		if problem:
			frappe.throw(APPROVAL_MESSAGES[problem](), title=_("Not Ready for Approval"))
		if rules.change_needs_vice_president(self.change_origin) and not self.vp_approved_by:
			frappe.throw(
				_("An internal change must be approved by the vice president first."),
				title=_("Vice President's Approval Needed"),
			)
		self.approved_by, self.approved_on = frappe.session.user, now_datetime()

	def on_submit(self):
		if self.gm_decision == rules.CANCEL_ORDER:
			order = frappe.get_doc("Sales Order", self.sales_order)
			if order.docstatus == 1:
				order.update_status("Closed")
			frappe.msgprint(
				_("The general manager cancelled the order: Sales Order {0} is closed.").format(order.name)
				if order.docstatus == 1
				else _("The general manager cancelled the order: do not submit Sales Order {0}.").format(
					order.name
				),
				indicator="orange",
				alert=True,
			)

	@frappe.whitelist()
	def raise_change(self, reason: str, origin: str) -> str:
		"""A change request: the approved version is withdrawn and a new version goes to review (5.1.5)."""
		self.check_permission("cancel")
		if self.docstatus != 1:
			frappe.throw(_("Only an approved review can be changed; edit this one instead."))
		if origin not in (rules.CUSTOMER_CHANGE, rules.INTERNAL_CHANGE) or not (reason or "").strip():
			frappe.throw(_("Say who asks for the change and why."), title=_("Change Request"))
		self.flags.ignore_permissions = True
		self.cancel()
		new = frappe.copy_doc(self)
		new.update(
			{
				"docstatus": 0,
				"amended_from": self.name,
				"version": rules.next_version(self.version),
				"change_origin": origin,
				"change_reason": reason.strip(),
				"vp_approved_by": None,
				"vp_approved_on": None,
			}
		)
		for row in new.opinions:
			row.update(
				{"conclusion": rules.PENDING, "comments": None, "reviewed_by": None, "reviewed_on": None}
			)
		new.insert(ignore_permissions=True)
		return new.name

	@frappe.whitelist()
	def approve_change(self):
		"""The vice president approves an internal change request (5.1.5.2 A)."""
		if "CS Vice President" not in frappe.get_roles():
			frappe.throw(
				_("Only the vice president approves an internal change."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		if not rules.change_needs_vice_president(self.change_origin) or self.docstatus != 0:
			frappe.throw(_("Only an internal change waiting for review needs the vice president's approval."))
		self.db_set({"vp_approved_by": frappe.session.user, "vp_approved_on": now_datetime()})


def check_sales_order_reviewed(sales_order, method=None):
	"""Sales Order before_submit: an approved order review is needed when CS Settings ask for it."""
	if not get_settings().require_order_review:
		return
	approved = frappe.db.exists(
		"Order Review",
		{
			"sales_order": sales_order.name,
			"docstatus": 1,
			"gm_decision": ("in", (rules.APPROVED, rules.APPROVED_WITH_MEASURES)),
		},
	)
	if not approved:
		frappe.throw(
			_(
				"Sales Order {0} needs an order review approved by the general manager before it is submitted."
			).format(sales_order.name),
			title=_("Order Review Needed"),
		)


@frappe.whitelist()
def make_order_review(sales_order: str):
	"""A new review for a Sales Order, its items listed as the requirements to review."""
	order = frappe.get_doc("Sales Order", sales_order)
	order.check_permission("read")
	review = frappe.new_doc("Order Review")
	review.sales_order = order.name
	lines = "".join(
		f"<li>{frappe.utils.escape_html(item.item_name or item.item_code)}: {item.get_formatted('qty')} {item.uom or ''}"
		f" — {frappe.format(item.delivery_date, 'Date')}</li>"
		for item in order.items
	)
	review.customer_requirements = f"<ul>{lines}</ul>" if lines else ""
	return review
