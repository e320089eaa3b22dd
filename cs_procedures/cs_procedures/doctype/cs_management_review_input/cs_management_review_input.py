"""The customer service's input to the management review (ISO 9001 9.3; 000 II-6, 001 §4.14-4.15,
002 ch6 §13): a record per review period that keeps, as they were when it was made, the period's
figures (complaints, satisfaction, returns and repairs, visits, calls), the results of the measured
quality goals reviewed in the period and the actions still open; the CS manager prepares it, the
general manager approves it by submitting, and each decision of the review becomes an ERPNext
Quality Action, owned and due, whose closure is written back on the record."""

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, strip_html

from cs_procedures import approvals, guards, people
from cs_procedures.cs_procedures.doctype.cs_management_review_input.period_figures import (
	figure,
	period_figures,
)
from cs_procedures.erpnext_doctypes.quality_goals import PERIOD_MESSAGES
from cs_procedures.notifications import assign
from cs_procedures.procedures import complaint as complaint_rules
from cs_procedures.procedures import management_review as rules

APPROVER = people.GENERAL_MANAGER_ROLE
REQUESTED_FIELDS = ("company", "from_date", "to_date")
# a complaint whose countermeasure is issued but not yet verified effective (000 III-2.5)
UNVERIFIED = (
	complaint_rules.SHEET_ISSUED,
	complaint_rules.ESCALATED,
	complaint_rules.APPROVED,
	complaint_rules.REPLIED,
	complaint_rules.AWAITING_VERIFICATION,
)
MESSAGES = {
	**PERIOD_MESSAGES,
	"no_decision": lambda idx: _("Decision {0}: say what is decided.").format(idx),
	"no_owner": lambda idx: _("Decision {0}: name who is responsible for it.").format(idx),
	"no_due_date": lambda idx: _("Decision {0}: give the date it is due.").format(idx),
	"due_in_past": lambda idx: _("Decision {0}: its due date has already passed.").format(idx),
}


class CSManagementReviewInput(approvals.ApprovedRecord):
	STATUS_MAP = guards.issued_status_map(
		"Approved",
		"Actions Closed",
		lambda doc: rules.all_actions_closed(row.action_status for row in doc.decisions),
	)

	def validate(self):
		if self.docstatus == 0:
			approvals.stamp_request(self)
		if self.is_new():
			self.company = self.company or frappe.defaults.get_user_default("Company")
			problem = rules.period_problem(getdate(self.from_date), getdate(self.to_date), getdate())
			guards.rule_error(MESSAGES, problem, title=_("Review Period"))
			self.gather()

	def gather(self) -> None:
		"""The snapshot: the figures of the period, the measured goals reviewed in it and what is open."""
		self.set("figures", [*period_figures(self.from_date, self.to_date), *goal_figures(self)])
		self.set("open_items", [*open_quality_actions(), *unverified_complaints()])

	def before_submit(self):
		approvals.check_approval(self, APPROVER, REQUESTED_FIELDS)
		decisions = [
			rules.Decision(
				row.idx, row.decision, row.responsible, getdate(row.due_date) if row.due_date else None
			)
			for row in self.decisions
		]
		for idx, code in rules.decision_problems(decisions, getdate()):
			guards.rule_error(MESSAGES, code, idx, title=_("Decisions"))
		for row in self.decisions:
			raise_quality_action(self, row)


def goal_figures(doc) -> list[dict]:
	"""The measured objectives of the Quality Reviews whose period lies within the record's."""
	reviews = frappe.get_all(
		"Quality Review",
		filters={"cs_period_from": (">=", doc.from_date), "cs_period_to": ("<=", doc.to_date)},
		fields=["name", "goal"],
		order_by="cs_period_from asc, name asc",
	)
	goals = {review.name: review.goal for review in reviews}
	rows = frappe.get_all(
		"Quality Review Objective",
		filters={"parenttype": "Quality Review", "parent": ("in", list(goals) or [""]), "cs_measure": ("is", "set")},
		fields=["parent", "idx", "target", "cs_measure", "cs_measured_value", "status"],
		order_by="parent asc, idx asc",
	)  # fmt: skip
	figures = []
	for row in rows:
		measured = row.status != rules.OPEN
		line = figure(
			rules.GOALS, row.cs_measure, row.cs_measured_value if measured else None, goals[row.parent]
		)
		line.update(
			reference_doctype="Quality Review",
			reference_name=row.parent,
			target=row.target,
			result=row.status,
		)
		figures.append(line)
	return figures


def open_quality_actions() -> list[dict]:
	"""The Quality Actions still open, each with its first open resolution: what, who, by when."""
	actions = frappe.get_all(
		"Quality Action", filters={"status": "Open"}, fields=["name", "corrective_preventive"], order_by="date asc, name asc"
	)  # fmt: skip
	resolutions = {}
	for row in frappe.get_all(
		"Quality Action Resolution",
		filters={"parenttype": "Quality Action", "parent": ("in", [a.name for a in actions] or [""])},
		fields=["parent", "problem", "responsible", "completion_by", "status"],
		order_by="completion_by asc, idx asc",
	):
		if row.status != "Completed":
			resolutions.setdefault(row.parent, row)
	items = []
	for action in actions:
		first = resolutions.get(action.name) or frappe._dict()
		items.append(
			{
				"reference_doctype": "Quality Action",
				"reference_name": action.name,
				"description": strip_html(first.problem or "").strip() or action.corrective_preventive,
				"responsible": first.responsible,
				"due_date": first.completion_by,
				"state": "Open",
			}
		)
	return items


def unverified_complaints() -> list[dict]:
	complaints = frappe.get_all(
		"Customer Complaint",
		filters={"docstatus": 0, "workflow_state": ("in", UNVERIFIED)},
		fields=["name", "subject", "follower", "next_deadline", "workflow_state"],
		order_by="received_on asc",
	)
	return [
		{
			"reference_doctype": "Customer Complaint",
			"reference_name": c.name,
			"description": c.subject,
			"responsible": c.follower,
			"due_date": getdate(c.next_deadline) if c.next_deadline else None,
			"state": c.workflow_state,
		}
		for c in complaints
	]


def raise_quality_action(doc, row) -> None:
	"""A decision of the review as an ERPNext Quality Action, on its responsible's to-do list."""
	review = row.quality_review
	action = frappe.get_doc(
		{
			"doctype": "Quality Action",
			"corrective_preventive": row.corrective_preventive or "Corrective",
			"date": getdate(),
			"status": "Open",
			"review": review,
			"goal": frappe.db.get_value("Quality Review", review, "goal") if review else None,
			"cs_management_review": doc.name,
			"resolutions": [
				{
					"problem": row.decision,
					"responsible": row.responsible,
					"completion_by": row.due_date,
					"status": "Open",
				}
			],
		}
	).insert(ignore_permissions=True)
	row.quality_action, row.action_status, row.completed_on = action.name, action.status, None
	assign(
		action,
		[row.responsible],
		_("Management review {0}: {1}").format(doc.name, row.decision),
		date=row.due_date,
	)


def report_action(action, method=None) -> None:
	"""`on_update` of Quality Action: the closure of an action a review raised shows on the review."""
	review = action.get("cs_management_review")
	if not review or not frappe.db.exists("CS Management Review Input", review):
		return
	doc = frappe.get_doc("CS Management Review Input", review)
	for row in doc.decisions:
		if row.quality_action == action.name and row.action_status != action.status:
			completed = getdate(now_datetime()) if action.status == "Completed" else None
			guards.stamp(doc, {"action_status": action.status, "completed_on": completed}, row=row)
	doc.set_status(update=True)
