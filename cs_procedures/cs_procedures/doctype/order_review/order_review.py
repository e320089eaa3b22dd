"""Contract / order review record (合同/订单评审记录, 003 §5.1, form HT-QR-MA-03)."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.people import changed_rows, user_department
from cs_procedures.procedures import order_review as rules

SALES_ROLE = "CS Officer"
APPROVAL_MESSAGES = {
	"rows_missing": lambda: _(
		"The review needs exactly one opinion of engineering, quality, materials and sales."
	),
	"not_by_department": lambda: _(
		"Every conclusion must be given by a user of the department it belongs to."
	),
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


class OrderReview(guards.ProcedureDocument):
	def validate(self):
		before = self.get_doc_before_save()
		if before is None:
			self.set_opinion_rows()
		else:
			self.check_rows_kept(before)
		self.check_opinion_edits(before)

	def set_opinion_rows(self):
		"""One row per reviewing function, for the department CS Settings names (never the client's)."""
		departments = {row.function: row.department for row in get_settings().review_departments}
		self.set(
			"opinions",
			[
				{
					"function": function,
					"aspect": aspect,
					"department": departments.get(function),
					"conclusion": rules.PENDING,
				}
				for function, aspect in rules.ASPECTS.items()
			],
		)

	def check_rows_kept(self, before):
		if {row.name for row in self.opinions} != {row.name for row in before.opinions}:
			guards.refuse(
				_("The opinion rows of the reviewing departments cannot be added or removed."),
				title=_("Not Your Department"),
			)

	def check_opinion_edits(self, before):
		"""Each department gives its own conclusion; sales (CS officers) fill the sales row.

		The row's function and department are the stored ones (permlevel 1): a reviewer cannot
		move a row to their own department."""
		if before is None:
			return
		user = frappe.session.user
		own = user_department(user)
		for row in changed_rows(self, "opinions"):
			if not self.concluded_by(row, user, own):
				frappe.throw(
					_("Row {0}: only the {1} department gives this conclusion.").format(
						row.idx, row.department or _(row.function)
					),
					frappe.PermissionError,
					title=_("Not Your Department"),
				)
			row.reviewed_by, row.reviewed_on = user, now_datetime()

	@staticmethod
	def concluded_by(row, user, department) -> bool:
		if user == guards.ADMINISTRATOR:
			return True
		if row.function == "Sales" and SALES_ROLE in frappe.get_roles(user):
			return True
		return bool(row.department) and row.department == department

	def before_submit(self):
		problem = rules.review_problem(
			[
				(
					row.function,
					row.conclusion,
					bool(row.reviewed_by)
					and self.concluded_by(row, row.reviewed_by, user_department(row.reviewed_by)),
				)
				for row in self.opinions
			]
		) or rules.approval_problem(
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

	def on_trash(self):
		guards.refuse_deletion(
			self, None if self.docstatus == 0 else _("an approved or withdrawn review is kept as evidence.")
		)

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

	def raise_change(self, reason: str, origin: str) -> str:
		"""A change request: the approved version is withdrawn and a new version goes to review (5.1.5).

		Acts on the stored review (locked). The desk calls `request_change` (below): Frappe's
		`run_doc_method` on a submitted document demands the submit permission, which the sales
		staff who raise changes do not hold."""
		if (
			origin not in (rules.CUSTOMER_CHANGE, rules.INTERNAL_CHANGE)
			or not isinstance(reason, str)
			or not reason.strip()
		):
			frappe.throw(_("Say who asks for the change and why."), title=_("Change Request"))
		review = frappe.get_doc(self.doctype, self.name, for_update=True)
		review.check_permission("cancel")
		if review.docstatus != 1:
			frappe.throw(_("Only an approved review can be changed; edit this one instead."))
		review.flags.ignore_permissions = True
		review.cancel()
		new = frappe.copy_doc(review)
		new.update(
			{
				"docstatus": 0,
				"amended_from": review.name,
				"version": rules.next_version(review.version),
				"change_origin": origin,
				"change_reason": reason.strip(),
				"vp_approved_by": None,
				"vp_approved_on": None,
			}
		)
		new.insert(ignore_permissions=True)
		return new.name

	@frappe.whitelist()
	def approve_change(self):
		"""The vice president approves an internal change request (5.1.5.2 A), on the stored review."""
		review = frappe.get_doc(self.doctype, self.name, for_update=True)
		if "CS Vice President" not in frappe.get_roles():
			frappe.throw(
				_("Only the vice president approves an internal change."),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
		review.check_permission("write")
		if (
			not rules.change_needs_vice_president(review.change_origin)
			or review.docstatus != 0
			or review.vp_approved_by
		):
			frappe.throw(_("Only an internal change waiting for review needs the vice president's approval."))
		review.db_set({"vp_approved_by": frappe.session.user, "vp_approved_on": now_datetime()})
		review.add_comment("Info", _("The vice president approved the internal change."))


@frappe.whitelist(methods=["POST"])
def request_change(review: str, reason: str, origin: str) -> str:
	"""*Request Change* on an approved review: the next version, for users who may cancel reviews."""
	if not isinstance(review, str) or not frappe.db.exists("Order Review", review):
		frappe.throw(_("Order Review {0} does not exist.").format(review), frappe.DoesNotExistError)
	return frappe.get_doc("Order Review", review).raise_change(reason, origin)


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
