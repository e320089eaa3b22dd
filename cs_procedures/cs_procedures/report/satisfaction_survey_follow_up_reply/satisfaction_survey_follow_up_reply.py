"""顾客满意度调查跟踪回复表 (001 4.8, 附件五): what each survey raised, the department, the corrective
action and its status, whether its effect is verified, and when the customers were told."""

import frappe
from frappe import _

from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.improvement import follow_up_state
from cs_procedures.cs_procedures.report.columns import declared, escape_values
from cs_procedures.procedures import satisfaction as rules


def execute(filters=None):
	filters = frappe._dict(filters or {})
	campaign_filters = {"status": rules.CLOSED}
	if filters.campaign:
		frappe.get_doc("Satisfaction Survey Campaign", filters.campaign).check_permission("read")
		campaign_filters["name"] = filters.campaign
	campaigns = frappe.get_list(  # the campaigns the user may read
		"Satisfaction Survey Campaign",
		filters=campaign_filters,
		fields=["name", "title"],
		order_by="closed_on desc",
		limit_page_length=0,
	)
	if not campaigns:
		return columns(), []
	order = {campaign.name: position for position, campaign in enumerate(campaigns)}
	rows = frappe.get_all(
		"Satisfaction Survey Follow Up",
		filters={"parenttype": "Satisfaction Survey Campaign", "parent": ("in", list(order))},
		fields=[
			"name", "parent as campaign", "question", "customer", "category", "average_score", "department",
			"status", "quality_action", "resolution_row", "replied_on", "idx",
		],
	)  # fmt: skip
	rows.sort(key=lambda row: (order[row.campaign], row.idx))
	state = follow_up_state(rows)
	for row in rows:
		done = state[row.name]
		row.update(
			action=done.resolution or None,
			responsible=done.responsible,
			completion_by=done.completion_by,
			action_status=_(done.resolution_status) if done.resolution_status else None,
			verified=done.verified,
			effect_note=done.effect_note,
		)
		row.category = _(row.category) if row.category else None
		row.status = _(row.status) if row.status else None
	escape_values(rows, ("question", "category", "status", "action", "action_status", "effect_note"))
	return columns(), rows


def columns():
	return declared(__file__)
