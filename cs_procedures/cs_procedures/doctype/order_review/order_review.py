"""Contract / order review record (合同/订单评审记录, 003 §5.1, form HT-QR-MA-03)."""

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc
from frappe.model.workflow import apply_workflow
from frappe.utils import now_datetime

from cs_procedures import guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.notifications import assign, close_assignments, notify
from cs_procedures.procedures import order_review as rules

MESSAGES = {
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
	"vp_first": lambda: _("An internal change must be approved by the vice president first."),
	"final": lambda: _("This review is closed: nothing in it changes any more."),
	"requirements_fixed": lambda: _(
		"The order and the customer's requirements are fixed once the review has started; raise a change instead."
	),
	"not_under_review": lambda: _("The departments give their conclusions while the review is under way."),
	"not_deciding": lambda: _("The general manager writes the remarks while the review awaits the decision."),
}


class OrderReview(guards.ProcedureDocument):
	def onload(self):
		"""The changes the user may raise on this version (the form's *Request Change*)."""
		approved = self.docstatus == 1 and self.workflow_state in (rules.APPROVED_STATE, rules.MEASURES_STATE)
		self.set_onload(
			"change_origins",
			[origin for origin in rules.CHANGE_ORIGINS if approved and may_raise_change(origin)],
		)

	def validate(self):
		before = self.get_doc_before_save()
		if before is None:
			self.set_opinion_rows()
			# 问题客户 (002 ch7 §13): an at-risk customer's order is flagged to its reviewers
			self.customer_watch_status = (
				frappe.db.get_value("Customer", self.customer, "cs_watch_status") or None
			)
		else:
			self.check_rows_kept(before)
			self.check_editing(before)
			self.check_opinion_edits()
			self.check_transition(before)

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

	def check_editing(self, before):
		"""What may change in the stored state: requirements in Draft, conclusions under review,
		the general manager's remarks while deciding, nothing once closed."""
		changed = {
			field
			for field in ("sales_order", "order_type", "customer_requirements", "gm_remarks")
			if (self.get(field) or None) != (before.get(field) or None)
		}
		if people.changed_rows(self, "opinions"):
			changed.add("opinions")
		guards.rule_error(MESSAGES, rules.editing_problem(before.workflow_state, changed))
		if "gm_remarks" in changed and not guards.has_role(people.GENERAL_MANAGER_ROLE):
			guards.refuse(_("Only the general manager writes the remarks of the decision."))

	def check_opinion_edits(self):
		"""Each department gives its own conclusion; sales (CS officers) fill the sales row.

		The row's function and department are the stored ones (permlevel 1): a reviewer cannot
		move a row to their own department."""
		now = now_datetime()
		for row in people.check_own_rows(
			self,
			"opinions",
			self.concluded_by,
			lambda row: _("Row {0}: only the {1} department gives this conclusion.").format(
				row.idx, row.department or _(row.function)
			),
		):
			row.reviewed_by, row.reviewed_on = frappe.session.user, now

	@staticmethod
	def concluded_by(row, user, department) -> bool:
		if user == guards.ADMINISTRATOR:
			return True
		if row.function == "Sales" and people.CS_OFFICER in frappe.get_roles(user):
			return True
		return bool(row.department) and row.department == department

	def review_problem(self) -> str | None:
		return rules.review_problem(
			[
				(
					row.function,
					row.conclusion,
					bool(row.reviewed_by)
					and self.concluded_by(row, row.reviewed_by, people.user_department(row.reviewed_by)),
				)
				for row in self.opinions
			]
		)

	def check_transition(self, before):
		"""A move of the workflow, judged against the stored review; who moved it and when."""
		old, new = before.workflow_state, self.workflow_state
		if not new or new == old:
			return
		guards.rule_error(
			MESSAGES,
			rules.transition_problem(
				old, new, self.change_origin, bool(self.vp_approved_by), self.review_problem()
			),
			title=_("Not Ready"),
		)
		if old == rules.AWAITING_VP and new == rules.DRAFT:
			self.vp_approved_by, self.vp_approved_on = frappe.session.user, now_datetime()

	def before_submit(self):
		self.gm_decision = rules.decision_for(self.workflow_state)
		guards.rule_error(
			MESSAGES,
			self.review_problem()
			or rules.approval_problem(
				[row.conclusion for row in self.opinions], self.gm_decision, self.gm_remarks
			),
			title=_("Not Ready for Approval"),
		)
		if rules.change_needs_vice_president(self.change_origin) and not self.vp_approved_by:
			guards.rule_error(MESSAGES, "vp_first", title=_("Vice President's Approval Needed"))
		self.approved_by, self.approved_on = frappe.session.user, now_datetime()

	def on_trash(self):
		guards.keep_after_first_state(
			self, rules.DRAFT, _("a review that has left Draft is kept as evidence.")
		)

	def on_update(self):
		if self.has_value_changed("workflow_state"):
			self.assign_for_state()
		elif self.workflow_state == rules.UNDER_REVIEW:
			self.follow_conclusions()

	def on_submit(self):
		self.assign_for_state()
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

	def reviewers(self, row) -> list[str]:
		if row.function == "Sales":
			return [self.owner]
		return people.department_members(row.department)

	def assign_for_state(self):
		"""Who has the review on their to-do list in each state."""
		state = self.workflow_state
		close_assignments(self)
		if state == rules.UNDER_REVIEW:
			for row in self.opinions:
				assign(
					self,
					self.reviewers(row),
					_("Review order {0} of {1}: {2}.").format(
						self.sales_order, self.customer_name or self.customer, _(row.aspect or row.function)
					),
				)
		elif state == rules.AWAITING_GM:
			assign(
				self,
				people.users_with_role(people.GENERAL_MANAGER_ROLE),
				_("Decide on the review of order {0}.").format(self.sales_order),
			)
		elif state == rules.AWAITING_VP:
			assign(
				self,
				people.vice_presidents(),
				_("Approve or reject the internal change of order {0}: {1}").format(
					self.sales_order, self.change_reason or ""
				),
			)
		elif state == rules.DRAFT and self.vp_approved_by:
			self.withdraw_previous()
			assign(
				self,
				[self.owner],
				_(
					"The vice president approved the change of order {0}: agree it with the customer, then send it for review."
				).format(self.sales_order),
			)
		elif state in (rules.CHANGE_REJECTED, *rules.DECISIONS):
			notify(
				{self.owner},
				_("Order review {0}: {1}.").format(self.name, _(state)),
				self,
			)

	def follow_conclusions(self):
		"""A department that concluded has done its part; sales hear once the last one has."""
		before = self.get_doc_before_save()
		stored = {row.name: row.conclusion for row in (before.opinions if before else [])}
		concluded = [
			row
			for row in self.opinions
			if row.conclusion not in (None, "", rules.PENDING) and stored.get(row.name) != row.conclusion
		]
		for row in concluded:
			close_assignments(self, self.reviewers(row))
		if concluded and not self.review_problem():
			notify(
				{self.owner},
				_("Every department concluded on order {0}: send the review to the general manager.").format(
					self.sales_order
				),
				self,
			)

	def withdraw_previous(self):
		"""The approved version this one replaces is withdrawn, through its workflow (5.1.5.2 B)."""
		previous = self.amended_from
		if not previous or frappe.db.get_value(self.doctype, previous, "docstatus") != 1:
			return
		guards.stamp(frappe.get_doc(self.doctype, previous), {"superseded_by": self.name})
		apply_workflow(frappe.get_doc(self.doctype, previous), "Withdraw")

	def raise_change(self, reason: str, origin: str) -> str:
		"""A change request (5.1.5): a new version of the approved review.

		A customer's change (5.1.5.1, sales or the CS manager) withdraws this version at once; an
		internal change (5.1.5.2 A, the materials department or the CS manager) goes to the vice
		president first and this version stays valid until the vice president approves it.
		Acts on the stored review (locked)."""
		if (
			origin not in (rules.CUSTOMER_CHANGE, rules.INTERNAL_CHANGE)
			or not isinstance(reason, str)
			or not reason.strip()
		):
			frappe.throw(_("Say who asks for the change and why."), title=_("Change Request"))
		review = frappe.get_doc(self.doctype, self.name, for_update=True)
		review.check_permission("read")
		if not may_raise_change(origin):
			guards.refuse(
				_("A customer's change is raised by sales; an internal change by the materials department.")
			)
		if review.docstatus != 1 or review.workflow_state not in (rules.APPROVED_STATE, rules.MEASURES_STATE):
			frappe.throw(_("Only an approved review can be changed; edit this one instead."))
		pending = frappe.db.get_value(
			self.doctype,
			{"amended_from": review.name, "workflow_state": ("not in", rules.FINAL_STATES)},
			"name",
		)
		if pending:
			frappe.throw(
				_("Version {0} of this review is already under way.").format(pending),
				title=_("Change Request"),
			)
		new = frappe.copy_doc(review)
		new.update(
			{
				"docstatus": 0,
				"workflow_state": rules.DRAFT,
				"amended_from": review.name,
				"version": rules.next_version(review.version),
				"change_origin": origin,
				"change_reason": reason.strip(),
			}
		)
		new.insert(
			ignore_permissions=True,
			set_name=rules.next_version_name(
				review.name, review.amended_from, lambda name: bool(frappe.db.exists(self.doctype, name))
			),
		)
		if rules.change_needs_vice_president(origin):
			apply_workflow(new, "Send to Vice President")
		else:
			guards.stamp(review, {"superseded_by": new.name})
			apply_workflow(frappe.get_doc(self.doctype, review.name), "Withdraw")
		return new.name


def may_raise_change(origin: str) -> bool:
	"""Sales raise a customer's change; the materials department an internal one; the CS manager either."""
	if guards.has_role(people.CS_MANAGER):
		return True
	if origin == rules.CUSTOMER_CHANGE:
		return guards.has_role(people.CS_OFFICER)
	materials = {row.department for row in get_settings().review_departments if row.function == "Materials"}
	return people.user_department() in materials


@frappe.whitelist(methods=["POST"])
def request_change(review: str, reason: str, origin: str) -> str:
	"""*Request Change* on an approved review: the next version (see `OrderReview.raise_change`)."""
	if not isinstance(review, str) or not frappe.db.exists("Order Review", review):
		frappe.throw(_("Order Review {0} does not exist.").format(review), frappe.DoesNotExistError)
	return frappe.get_doc("Order Review", review).raise_change(reason, origin)


def check_sales_order_reviewed(sales_order, method=None):
	"""Sales Order before_submit: an approved order review is needed where CS Settings ask for it."""
	if not get_settings().gate_applies("require_order_review", sales_order.company):
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
				"Sales Order {0} needs an order review approved by the general manager before it is submitted (003 5.1.3.1): make one with Create > Order Review. CS Settings lists the companies that follow this procedure."
			).format(sales_order.name),
			title=_("Order Review Needed"),
		)


@frappe.whitelist()
def make_order_review(source_name: str, target_doc=None):
	"""*Create > Order Review* on a Sales Order: the order's items are the requirements to review."""

	def requirements(order, review):
		lines = "".join(
			f"<li>{frappe.utils.escape_html(item.item_name or item.item_code)}: {item.get_formatted('qty')} {frappe.utils.escape_html(item.uom or '')}"
			f" — {frappe.format(item.delivery_date, 'Date')}</li>"
			for item in order.items
		)
		review.customer_requirements = f"<ul>{lines}</ul>" if lines else ""

	return get_mapped_doc(
		"Sales Order",
		source_name,
		{
			"Sales Order": {
				"doctype": "Order Review",
				"field_map": {"name": "sales_order", "po_no": "customer_po"},
				"field_no_map": ["order_type", "naming_series", "amended_from", "workflow_state"],
				"validation": {"docstatus": ["<", 2]},
			}
		},
		target_doc,
		requirements,
	)
