"""顾客满意度调查跟踪回复表 (001 4.8, 附件五): what each survey raised, the department, the corrective
action and its status, whether its effect is verified, and when the customers were told."""

import frappe
from frappe import _

from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.improvement import follow_up_state
from cs_procedures.cs_procedures.report.columns import column, escape_values
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
	return [
		column("campaign", _("Campaign"), "Link", "Satisfaction Survey Campaign", 130),
		column("question", _("Raised"), "Data", width=240),
		column("customer", _("Customer"), "Link", "Customer", 140),
		column("category", _("Category"), "Data", width=110),
		column("average_score", _("Score"), "Float", width=70),
		column("department", _("Department"), "Link", "Department", 150),
		column("status", _("Status"), "Data", width=90),
		column("quality_action", _("Quality Action"), "Link", "Quality Action", 130),
		column("action", _("Action Taken"), "Data", width=240),
		column("responsible", _("Responsible"), "Link", "User", 150),
		column("completion_by", _("Complete By"), "Date", width=100),
		column("action_status", _("Action Status"), "Data", width=100),
		column("verified", _("Effect Verified"), "Check", width=80),
		column("effect_note", _("Verification"), "Data", width=180),
		column("replied_on", _("Replied to the Customer On"), "Datetime", width=150),
	]
