"""Order reviews made before the Order Review workflow get the state their record stands for."""

import frappe

from cs_procedures.procedures import order_review as rules


def execute():
	decisions = {decision: state for state, decision in rules.DECISIONS.items()}
	for review in frappe.get_all(
		"Order Review",
		filters={"workflow_state": ("is", "not set")},
		fields=["name", "docstatus", "gm_decision", "change_origin", "vp_approved_by"],
	):
		if review.docstatus == 2:
			state = rules.WITHDRAWN
		elif review.docstatus == 1:
			state = decisions.get(review.gm_decision, rules.APPROVED_STATE)
		elif rules.change_needs_vice_president(review.change_origin) and not review.vp_approved_by:
			state = rules.AWAITING_VP
		else:
			state = rules.UNDER_REVIEW  # the departments reviewed drafts directly before
		frappe.db.set_value("Order Review", review.name, "workflow_state", state, update_modified=False)
