"""The improvement loop of a closed campaign (000 II-5, 001 4.4/4.8, 003 §5.3.4): the corrective actions
the CS manager approves as Quality Actions, where each stands, and the reply telling the customers."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import add_days, cstr, flt, getdate, now_datetime

from cs_procedures import guards, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scoring import answered_items
from cs_procedures.footprint import IMPROVEMENT_REPLY_TEMPLATE
from cs_procedures.notifications import assign, can_email
from cs_procedures.people import department_heads
from cs_procedures.procedures import satisfaction as rules

CAMPAIGN = "Satisfaction Survey Campaign"
RESPONSE = "Satisfaction Survey Response"
FOLLOW_UP_FIELDS = ("question", "category", "average_score", "department", "quality_action")


def follow_ups(campaign) -> list[tuple]:
	"""The follow-up rows as comparable values."""
	return [
		tuple(flt(row.get(f)) if f == "average_score" else cstr(row.get(f)) for f in FOLLOW_UP_FIELDS)
		for row in campaign.get("follow_ups") or []
	]


FOLLOW_UP = "Satisfaction Survey Follow Up"


def closed_campaign(campaign: str):
	"""The stored campaign, locked, checked for write permission; closed."""
	doc = frappe.get_doc(CAMPAIGN, campaign, for_update=True)
	doc.check_permission("write")
	if doc.status != rules.CLOSED:
		frappe.throw(_("Close the campaign first."), title=_("Campaign Not Closed"))
	return doc


@frappe.whitelist()
def approve_actions(campaign: str, follower: str | None = None, rows=None) -> list[str]:
	"""The CS manager approves the proposed corrective actions (000 II-5, 001 4.4): one Quality
	Action per question, a resolution per proposal, assigned to the heads of the department its
	category routes to; the follower tracks them. `rows`: the proposals to approve (all when empty)."""
	if not guards.has_role(people.CS_MANAGER):
		guards.refuse(
			_("Only a CS Manager approves the corrective actions of a survey."), title=_("Not a CS Manager")
		)
	doc = closed_campaign(campaign)
	wanted = set(frappe.parse_json(rows) or []) if rows else None
	proposed = [
		row for row in doc.follow_ups if row.status == "Proposed" and (wanted is None or row.name in wanted)
	]
	if not proposed:
		frappe.throw(_("No proposed corrective action to approve."), title=_("Nothing to Approve"))
	if follower:
		if not frappe.db.exists("User", {"name": follower, "enabled": 1}):
			frappe.throw(_("The follower must be an active user."), title=_("Invalid Follower"))
		guards.stamp(doc, {"follower": follower})
	follower = doc.follower or doc.owner
	template = frappe.get_cached_doc("Satisfaction Survey Template", doc.template)
	by_question = defaultdict(list)
	for row in proposed:
		by_question[row.question].append(row)
	actions = [raise_quality_action(doc, group, template.pass_mark) for group in by_question.values()]
	# a closed campaign is not saved again: the approval is written on the stored record
	guards.stamp(doc, {"actions_approved_by": frappe.session.user, "actions_approved_on": now_datetime()})
	assign(
		doc,
		[follower],
		_(
			"Track the corrective actions of satisfaction survey {0} ({1}) and reply to the customers what was improved."
		).format(doc.name, doc.title),
	)
	doc.add_comment(
		"Info",
		_(
			"{0} corrective actions approved: Quality Actions {1} sent to the departments; {2} follows them up."
		).format(len(proposed), ", ".join(actions), follower),
	)
	return actions


def raise_quality_action(campaign, group, pass_mark) -> str:
	"""One Quality Action for the proposals of one question, a resolution each, assigned to the heads
	of the department the category routes to; the proposals are marked approved against it."""
	heads = department_heads(group[0].department)
	problems = [proposal_problem(campaign, row, pass_mark) for row in group]
	action = frappe.get_doc(
		{
			"doctype": "Quality Action",
			"corrective_preventive": "Corrective",
			"date": getdate(),
			"status": "Open",
			"cs_survey_campaign": campaign.name,
			"resolutions": [
				{
					"problem": problem,
					"status": "Open",
					"responsible": heads[0] if heads else None,
					"completion_by": add_days(getdate(), 30),
				}
				for problem in problems
			],
		}
	).insert(ignore_permissions=True)
	if not assign(action, heads, "\n".join(problems)) and not heads:
		frappe.msgprint(
			_(
				"No active department head with a user is found for {0}: tell the department of Quality Action {1} yourself."
			).format(group[0].department or _("category {0}").format(_(group[0].category)), action.name),
			indicator="orange",
			alert=True,
		)
	for row, resolution in zip(group, action.resolutions, strict=True):
		frappe.db.set_value(
			FOLLOW_UP,
			row.name,
			{"status": "Approved", "quality_action": action.name, "resolution_row": resolution.name},
			update_modified=False,
		)
	return action.name


def proposal_problem(campaign, row, pass_mark) -> str:
	if row.customer:
		return _('Satisfaction survey {0}: {1} scored "{2}" {3} (pass mark {4}).').format(
			campaign.name,
			frappe.get_cached_value("Customer", row.customer, "customer_name") or row.customer,
			row.question,
			flt(row.average_score),
			pass_mark,
		)
	return _('Satisfaction survey {0}: "{1}" averaged {2} over the customers (pass mark {3}).').format(
		campaign.name, row.question, flt(row.average_score), pass_mark
	)


def follow_up_state(rows) -> dict[str, dict]:
	"""Where each approved follow-up stands: its Quality Action's resolution, status and verification."""
	actions = {row.quality_action for row in rows if row.quality_action}
	resolutions = {row.resolution_row for row in rows if row.resolution_row}
	action_values = {
		a.name: a
		for a in frappe.get_all(
			"Quality Action",
			filters={"name": ("in", list(actions) or [""])},
			fields=["name", "status", "cs_effect_verified", "cs_effect_note"],
		)
	}
	resolution_values = {
		r.name: r
		for r in frappe.get_all(
			"Quality Action Resolution",
			filters={"name": ("in", list(resolutions) or [""])},
			fields=["name", "resolution", "status", "responsible", "completion_by"],
		)
	}
	state = {}
	for row in rows:
		action = action_values.get(row.quality_action) or frappe._dict()
		resolution = resolution_values.get(row.resolution_row) or frappe._dict()
		state[row.name] = frappe._dict(
			resolution=frappe.utils.strip_html_tags(resolution.resolution or "").strip(),
			resolution_status=resolution.status,
			responsible=resolution.responsible,
			completion_by=resolution.completion_by,
			action_status=action.status,
			verified=int(action.cs_effect_verified or 0),
			effect_note=action.cs_effect_note,
		)
	return state


@frappe.whitelist()
def send_improvement_reply(campaign: str) -> dict:
	"""Tell the answering contacts what was improved (001 4.8, 003 §5.3.4: 反馈给顾客), worded by the
	Email Template "Satisfaction Survey Improvement Reply": each customer hears of the actions on the
	questions as a whole and on its own items, never of another customer's."""
	if not guards.has_role(people.CS_MANAGER, people.CS_OFFICER):
		guards.refuse(_("Only CS staff reply to the customers."), title=_("Not Permitted"))
	doc = closed_campaign(campaign)
	if not can_email():
		frappe.throw(
			_(
				"No default outgoing Email Account: the improvement reply cannot be e-mailed. Set one up under Email Account, or tell the customers by phone or letter."
			),
			frappe.OutgoingEmailError,
			title=_("No Outgoing E-mail"),
		)
	approved = [row for row in doc.follow_ups if row.status == "Approved" and row.quality_action]
	if not approved:
		frappe.throw(
			_("No approved corrective action to tell the customers about yet."), title=_("Nothing to Reply")
		)
	state = follow_up_state(approved)
	answered = frappe.get_all(
		RESPONSE,
		filters={"campaign": doc.name, "status": "Answered"},
		fields=["name", "customer", "customer_name", "email"],
		order_by="customer asc, name asc",
	)
	template = frappe.get_doc("Email Template", IMPROVEMENT_REPLY_TEMPLATE)
	replied, addressed, mails = set(), set(), 0
	for response in answered:
		items = reply_items(approved, state, response.customer)
		key = (response.customer, (response.email or "").lower())
		if not items or not response.email or key in addressed:
			continue
		addressed.add(key)
		mail = template.get_formatted_email(
			{"customer_name": response.customer_name or response.customer, "title": doc.title, "items": items}
		)
		frappe.sendmail(
			recipients=[response.email],
			subject=mail["subject"],
			message=mail["message"],
			reference_doctype=RESPONSE,
			reference_name=response.name,
		)
		replied.add(response.customer)
		mails += 1
	if not mails:
		frappe.throw(
			_("None of the answering contacts has an e-mail address: tell the customers by phone or letter."),
			title=_("No E-mail Address"),
		)
	by_phone = sorted({r.customer for r in answered} - replied)
	record_reply(doc, approved, replied, mails, by_phone)
	return {"mails": mails, "customers": len(replied), "by_phone": by_phone}


def reply_items(approved, state, customer) -> list[dict]:
	"""What one customer hears of: each question once, its own action on it, else the one for all."""
	items = {}
	for row in approved:
		if row.customer in (None, "", customer) and not (
			row.question in items and items[row.question]["own"]
		):
			items[row.question] = {
				"question": row.question,
				"own": bool(row.customer),
				"action": state[row.name].resolution,
				"done": state[row.name].resolution_status == "Completed",
				"verified": state[row.name].verified,
			}
	return list(items.values())


def record_reply(doc, approved, replied: set, mails: int, by_phone: list) -> None:
	"""The reply is written on the stored campaign and its follow-ups, and said on its timeline."""
	now = now_datetime()
	for row in approved:
		if not row.customer or row.customer in replied:
			frappe.db.set_value(FOLLOW_UP, row.name, "replied_on", now, update_modified=False)
	guards.stamp(doc, {"improvement_replied_on": now})
	doc.add_comment(
		"Info",
		_("Improvement reply e-mailed to {0} contacts of {1} customers.").format(mails, len(replied))
		+ (
			" "
			+ _("Tell these customers by phone or letter (no e-mail address): {0}.").format(
				", ".join(by_phone)
			)
			if by_phone
			else ""
		),
	)


def propose_actions(campaign, template):
	"""Propose a corrective action for each question whose average over the customers is under the pass
	mark, and for each customer's item under it (003 §5.3.3-5.3.4): the CS manager approves them
	(`approve_actions`) before Quality Actions go to the departments (000 II-5)."""
	questions, customer_items = answered_items(campaign.name)
	averages = rules.item_averages(customer_items, questions)
	pass_mark = flt(template.pass_mark)
	proposals = [(None, question, averages[question]) for question in rules.low_items(averages, pass_mark)]
	proposals += rules.low_customer_items(customer_items, pass_mark)
	order = {question: position for position, question in enumerate(questions)}
	proposals.sort(key=lambda p: (order.get(p[1], len(order)), p[0] or ""))  # the average first
	categories = {item.question: item.category for item in template.items}
	routing = get_settings().department_map()
	for customer, question, score in proposals:
		category = categories.get(question, "Other")
		campaign.append(
			"follow_ups",
			{
				"question": question,
				"customer": customer,
				"category": category,
				"average_score": score,
				"department": routing.get(rules.complaint_type_for(category)),
				"status": "Proposed",
			},
		)
