"""A satisfaction survey campaign: who is asked, the invitations, and the result (003 §5.3, 001)."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import add_days, cstr, flt, get_datetime, get_url, getdate, now_datetime

from cs_procedures import bulk, guards, people
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import invitations, sign_off
from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	link_token,
)
from cs_procedures.notifications import assign, can_email
from cs_procedures.people import department_heads
from cs_procedures.procedures import satisfaction as rules

# customers invited within a web request; more are invited by a background job on the long queue
INVITE_IN_REQUEST = 200
INVITATION_JOB_TIMEOUT = 3600
# the realtime event the campaign form listens to: the background job has ended
INVITATIONS_DONE = "cs_survey_invitations_done"
# what the invitations were sent for: fixed once they are sent
SENT_FIELDS = ("template", "send_date", "audience", "customer_group", "territory")
FOLLOW_UP_FIELDS = ("question", "category", "average_score", "department", "quality_action")


class SatisfactionSurveyCampaign(guards.ProcedureDocument):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign_customer.satisfaction_survey_campaign_customer import (
			SatisfactionSurveyCampaignCustomer,
		)
		from cs_procedures.cs_procedures.doctype.satisfaction_survey_follow_up.satisfaction_survey_follow_up import (
			SatisfactionSurveyFollowUp,
		)

		actions_approved_by: DF.Link | None
		actions_approved_on: DF.Datetime | None
		audience: DF.Literal[
			"All Active Customers", "Customer Group", "Territory", "Key Customers", "Selected Customers"
		]
		average_satisfaction: DF.Float
		closed_on: DF.Datetime | None
		customer_group: DF.Link | None
		customers: DF.Table[SatisfactionSurveyCampaignCustomer]
		follow_ups: DF.Table[SatisfactionSurveyFollowUp]
		follower: DF.Link | None
		improvement_replied_on: DF.Datetime | None
		invited_customers: DF.Int
		is_valid: DF.Check
		naming_series: DF.Literal["SSC-.YYYY.-.###"]
		period_end: DF.Date
		period_start: DF.Date
		reply_by: DF.Date
		responded_customers: DF.Int
		response_rate: DF.Percent
		schedule_key: DF.Data | None
		send_date: DF.Date
		status: DF.Literal["Draft", "Sending", "Sent", "Closed"]
		template: DF.Link
		territory: DF.Link | None
		title: DF.Data

	# end: auto-generated types
	def onload(self):
		self.set_onload("can_email", can_email())
		self.set_onload("sign_step", sign_off.next_step_for_user(self))

	def validate_higher_perm_levels(self):
		"""The follow-ups are raised by the procedure: a request that sends others is refused."""
		if not (self.flags.ignore_permissions or guards.is_administrator()):
			before = None if self.is_new() else self.get_latest()
			if follow_ups(self) != (follow_ups(before) if before else []):
				guards.refuse(
					_("The follow-ups are raised by the procedure when the campaign is closed."),
					title=_("Written by the Procedure"),
				)
		super().validate_higher_perm_levels()

	def validate(self):
		if getdate(self.period_start) > getdate(self.period_end):
			frappe.throw(_("The period must end after it starts."), title=_("Invalid Period"))
		if getdate(self.reply_by) < getdate(self.send_date):
			frappe.throw(_("Reply By cannot be before Send On."), title=_("Invalid Dates"))
		if self.audience == "Selected Customers" and not self.customers:
			frappe.throw(_("Select the customers to ask."), title=_("No Customers"))
		before = self.get_doc_before_save()
		if before and before.status == rules.CLOSED:
			frappe.throw(_("A closed campaign cannot be changed."), title=_("Campaign Closed"))
		if before and before.status != rules.DRAFT:
			changed = [f for f in SENT_FIELDS if cstr(self.get(f)) != cstr(before.get(f))]
			if [row.customer for row in self.customers] != [row.customer for row in before.customers]:
				changed.append("customers")
			if changed:
				guards.refuse(
					_("The invitations are sent: {0} can no longer change.").format(
						", ".join(_(self.meta.get_label(f)) for f in changed)
					),
					title=_("Invitations Sent"),
				)

	def on_trash(self):
		if self.status != rules.DRAFT:
			guards.refuse_deletion(self, _("its invitations have been sent."))

	def stored_for_update(self):
		"""The stored campaign, locked: the methods act on it, never on the copy a client sent."""
		campaign = frappe.get_doc(self.doctype, self.name, for_update=True)
		campaign.check_permission("write")
		return campaign

	def audience_customers(self) -> list[str]:
		filters = {"disabled": 0}
		if self.audience == "Customer Group":
			filters["customer_group"] = self.customer_group
		elif self.audience == "Territory":
			filters["territory"] = self.territory
		elif self.audience == "Key Customers":
			filters["cs_key_customer"] = 1
		elif self.audience == "Selected Customers":
			filters["name"] = ("in", [row.customer for row in self.customers])
		return frappe.get_all("Customer", filters=filters, pluck="name", order_by="name")

	@frappe.whitelist()
	def send_invitations(self) -> int:
		"""One response per customer contact with an e-mail (one without e-mail for a phone survey).

		Up to INVITE_IN_REQUEST customers are invited at once (returns how many); a larger audience
		is invited by a background job on the long queue (returns 0, the campaign shows Sending)."""
		invited = self.stored_for_update().start_sending()
		self.reload()
		return invited

	def start_sending(self) -> int:
		self.check_can_send(rules.DRAFT)
		customers = self.audience_customers()
		if len(customers) <= INVITE_IN_REQUEST:
			return self.invite(rules.DRAFT)
		# the audience is fixed from now on (validate refuses changes once it is not a Draft)
		guards.stamp(self, {"status": rules.SENDING, "invited_customers": len(customers)})
		self.add_comment(
			"Info",
			_("Sending the invitations to {0} customers in the background.").format(len(customers)),
		)
		enqueue_invitations(self.name)
		return 0

	def check_can_send(self, status: str):
		if self.status == rules.SENDING and status == rules.DRAFT:
			frappe.throw(
				_("The invitations of this campaign are being sent in the background."),
				title=_("Already Sending"),
			)
		if self.status != status:
			frappe.throw(
				_("The invitations of this campaign have been sent already."), title=_("Already Sent")
			)

	def invite(self, status: str = rules.DRAFT, progress=None) -> int:
		"""Invite the audience of a campaign in `status` (locked by the caller): Draft in a request,
		Sending in the background job. Everything is written in the caller's transaction."""
		self.check_can_send(status)
		customers = self.audience_customers()
		if not customers:
			frappe.throw(_("No active customer matches the audience."), title=_("No Customers"))
		contacts = contacts_by_customer(customers)
		if contacts and not can_email():
			frappe.throw(
				_("Set up a default outgoing Email Account before sending the invitations."),
				frappe.OutgoingEmailError,
				title=_("No Outgoing E-mail"),
			)
		expires = get_datetime(f"{self.reply_by} 23:59:59")
		guards.stamp(
			self, {"status": rules.SENT, "invited_customers": len(customers)}
		)  # responses join a sent campaign
		invitees = [
			(customer, contact, email)
			for customer in customers
			for contact, email in contacts.get(customer) or [(None, None)]
		]
		invitations.invite(self, invitees, expires, progress)
		self.add_comment("Info", _("Invitations sent: {0} customers invited.").format(len(customers)))
		return len(customers)

	@frappe.whitelist()
	def close(self):
		"""Score each customer once, compute the response rate and validity, propose the follow-ups."""
		self.stored_for_update().score_and_close()
		self.reload()

	def score_and_close(self):
		"""003 §5.3.3 scores the customer: the scores of a customer's answered responses are averaged
		first, its complaints and returns deducted once, and one call-back made per customer whose
		answers ask for it (001 4.4). A campaign at or under 70 % answered is not valid: it proposes no
		corrective actions (003 §5.3.2)."""
		if self.status != rules.SENT:
			frappe.throw(_("Only a campaign whose invitations are sent can be closed."), title=_("Not Sent"))
		template = frappe.get_cached_doc("Satisfaction Survey Template", self.template)
		# an "Every December" campaign counts the complaints and returns up to the day it closes
		self.period_end = rules.period_end_at_close(
			rules.schedule_frequency(self.schedule_key), getdate(self.period_end), getdate()
		)
		responses = frappe.get_all(
			"Satisfaction Survey Response",
			filters={"campaign": self.name, "status": "Answered"},
			fields=["name", "customer", "score"],
			order_by="customer asc, name asc",
		)
		scores = rules.customer_scores((r.customer, flt(r.score)) for r in responses)
		complaints, returns = count_complaints(self, scores), count_returns(self, scores)
		results = rules.customer_results(scores, complaints, returns)
		answered = defaultdict(list)
		for response in responses:
			answered[response.customer].append(response.name)
		bulk.set_values(
			"Satisfaction Survey Response",
			{
				r.name: {
					"customer_score": scores[r.customer],
					"customer_responses": len(answered[r.customer]),
					"complaint_count": complaints.get(r.customer, 0),
					"complaint_deduction": results[r.customer].complaint_deduction,
					"return_count": returns.get(r.customer, 0),
					"return_deduction": results[r.customer].return_deduction,
					"satisfaction": results[r.customer].satisfaction,
				}
				for r in responses
			},
		)
		rate = rules.response_rate(len(scores), self.invited_customers)
		valid = rules.is_valid(rate)
		callbacks = self.make_callbacks(template, results, answered)
		if rules.raises_follow_ups(valid):
			self.raise_quality_actions(template)
		self.status, self.closed_on = rules.CLOSED, now_datetime()
		self.responded_customers, self.response_rate = len(scores), rate
		self.is_valid = int(valid)
		self.average_satisfaction = rules.mean(result.satisfaction for result in results.values())
		self.flags.ignore_permissions = True  # the procedure writes the results; write permission checked
		self.save()
		# the scores were written without saving each response: the timeline says what was written
		self.add_comment(
			"Info",
			_(
				"Closed and scored {0} answered responses of {1} customers: each customer's responses averaged, the complaints and returns from {2} to {3} deducted once per customer, the customer's result written to each of its responses; {4} call-backs raised. Response rate {5} %, average satisfaction {6}."
			).format(
				len(responses),
				len(scores),
				frappe.format(self.period_start, "Date"),
				frappe.format(self.period_end, "Date"),
				callbacks,
				rate,
				self.average_satisfaction,
			),
		)
		if not valid:
			self.add_comment(
				"Info",
				_(
					"Not valid: only {0} % of the invited customers answered (more than 70 % needed). An invalid survey proposes no corrective actions and is not the baseline of the next campaign's trend; the customers who answered are still called back where their answers ask for it."
				).format(rate),
			)
		elif self.follow_ups:
			self.add_comment(
				"Info",
				_(
					"{0} corrective actions proposed: the CS manager approves them before the Quality Actions go to the departments."
				).format(len(self.follow_ups)),
			)

	def make_callbacks(self, template, results, answered) -> int:
		"""A call-back for each customer with a reason (001 4.4), valid campaign or not."""
		_questions, items = answered_items(self.name)
		remarks = customer_remarks(self.name)
		callbacks = 0
		for customer, result in results.items():
			reasons = rules.callback_reasons(
				result.satisfaction,
				flt(template.callback_mark),
				items.get(customer, {}),
				flt(template.pass_mark),
				remarks.get(customer, []),
			)
			if reasons:
				create_callback(answered[customer], customer, reasons)
				callbacks += 1
		return callbacks

	def item_averages(self) -> dict[str, float]:
		"""Each question's average over the customers: a customer's answers are averaged first."""
		questions, customer_items = answered_items(self.name)
		return rules.item_averages(customer_items, questions)

	def raise_quality_actions(self, template):
		"""Propose a corrective action for each question whose average over the customers is under the
		pass mark, and for each customer's item under it (003 §5.3.3-5.3.4): the CS manager approves
		them (`approve_actions`) before Quality Actions go to the departments (000 II-5)."""
		from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings

		questions, customer_items = answered_items(self.name)
		averages = rules.item_averages(customer_items, questions)
		pass_mark = flt(template.pass_mark)
		proposals = [
			(None, question, averages[question]) for question in rules.low_items(averages, pass_mark)
		]
		proposals += rules.low_customer_items(customer_items, pass_mark)
		order = {question: position for position, question in enumerate(questions)}
		proposals.sort(key=lambda p: (order.get(p[1], len(order)), p[0] or ""))  # the average first
		categories = {item.question: item.category for item in template.items}
		routing = get_settings().department_map()
		for customer, question, score in proposals:
			category = categories.get(question, "Other")
			self.append(
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


def on_doctype_update():
	"""A scheduled campaign is created once per period: `schedule_key` is unique in the table.

	Frappe adds a unique field's index as `ADD UNIQUE INDEX IF NOT EXISTS schedule_key`, which
	does nothing where the plain index of the same name (from the former search index) was."""
	table = "tabSatisfaction Survey Campaign"
	if not frappe.db.get_column_index(table, "schedule_key", unique=True):
		if plain := frappe.db.get_column_index(table, "schedule_key", unique=False):
			frappe.db.sql_ddl(f"alter table `{table}` drop index `{plain.Key_name}`")
		frappe.db.add_unique("Satisfaction Survey Campaign", ["schedule_key"], "unique_schedule_key")


def invitation_job_id(campaign: str) -> str:
	return f"cs_survey_invitations::{campaign}"


def enqueue_invitations(campaign: str):
	"""The background job of a Sending campaign, once: a job already queued or running is not repeated.

	It is queued after the commit, so that it finds the campaign Sending."""
	frappe.enqueue(
		run_invitations,
		queue="long",
		timeout=INVITATION_JOB_TIMEOUT,
		job_id=invitation_job_id(campaign),
		deduplicate=True,
		enqueue_after_commit=True,
		campaign=campaign,
	)


def run_invitations(campaign: str) -> int:
	"""The background job: invite the audience of a Sending campaign, in one transaction.

	The campaign is locked for the job: an overlapping run waits, then finds it Sent and does nothing.
	If the job fails, nothing it wrote stays (no half-sent invitations); the campaign goes back to
	Draft with a comment and the error in the Error Log, to be sent again. Returns the customers invited."""
	doc = frappe.get_doc("Satisfaction Survey Campaign", campaign, for_update=True)
	if doc.status != rules.SENDING:
		return 0  # sent by an earlier run, or given up

	def progress(done: int, total: int):
		frappe.publish_progress(
			done * 100 / total,
			title=_("Sending Invitations"),
			doctype=doc.doctype,
			docname=doc.name,
			description=_("{0} of {1} contacts invited").format(done, total),
		)

	try:
		invited = doc.invite(rules.SENDING, progress)
	except Exception:
		frappe.db.rollback()
		error = frappe.log_error(
			title=_("Sending survey invitations failed"),
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)
		doc = frappe.get_doc(doc.doctype, doc.name, for_update=True)
		if doc.status == rules.SENDING:
			guards.stamp(doc, {"status": rules.DRAFT})
		doc.add_comment(
			"Info",
			_(
				"Sending the invitations failed: nothing was sent. The error is in Error Log {0}; correct it and send the invitations again."
			).format(error.name),
		)
		frappe.db.commit()
		frappe.publish_realtime(
			INVITATIONS_DONE, {"campaign": doc.name, "failed": 1}, doctype=doc.doctype, docname=doc.name
		)
		return 0
	frappe.db.commit()
	frappe.publish_realtime(
		INVITATIONS_DONE, {"campaign": doc.name, "invited": invited}, doctype=doc.doctype, docname=doc.name
	)
	return invited


def contacts_by_customer(customers: list[str]) -> dict[str, list[tuple[str, str]]]:
	"""Each customer's contacts that have an e-mail address, in one query."""
	rows = frappe.db.sql(
		"""select dl.link_name as customer, c.name as contact, c.email_id
		from `tabContact` c
		join `tabDynamic Link` dl on dl.parent = c.name and dl.parenttype = 'Contact'
			and dl.link_doctype = 'Customer'
		where dl.link_name in %(customers)s and ifnull(c.email_id, '') != ''
		order by c.is_primary_contact desc, c.creation""",
		{"customers": customers},
		as_dict=True,
	)
	contacts = defaultdict(list)
	for row in rows:
		contacts[row.customer].append((row.contact, row.email_id))
	return contacts


def survey_link(response) -> str:
	"""The response's personal link; its token is derived again each time (only its hash is stored)."""
	return get_url(f"/survey?token={link_token(response.name)}")


def count_complaints(campaign, customers) -> dict[str, int]:
	"""Customer Complaints received in the campaign's period, per customer (one grouped query).

	Only accepted complaints count: not those dismissed as Not Accepted, nor e-mails nobody has
	triaged yet (anyone can send an e-mail naming a customer), nor a complaint made from a comment
	of this campaign's own responses (the customer's answers already score it)."""
	if not customers:
		return {}
	return dict(
		frappe.db.sql(
			"""select customer, count(*) from `tabCustomer Complaint`
			where customer in %(customers)s and docstatus < 2
			and received_on >= %(start)s and received_on < %(end)s
			and ifnull(workflow_state, '') != 'Not Accepted'
			and not (channel = 'E-mail' and ifnull(workflow_state, '') = 'Received'
				and ifnull(follower, '') = '')
			and name not in (select complaint from `tabSatisfaction Survey Response`
				where campaign = %(campaign)s and ifnull(complaint, '') != '')
			group by customer""",
			{
				"customers": list(customers),
				"start": campaign.period_start,
				"end": add_days(campaign.period_end, 1),
				"campaign": campaign.name,
			},
		)
	)


def count_returns(campaign, customers) -> dict[str, int]:
	"""Goods returned in the period, per customer: return Delivery Notes and stock-updating return
	invoices (a credit note without goods is a price correction, and a return through a Delivery
	Note is not counted twice)."""
	if not customers:
		return {}
	values = {"customers": list(customers), "start": campaign.period_start, "end": campaign.period_end}
	counts = defaultdict(int)
	for query in (
		"""select customer, count(*) from `tabDelivery Note` where is_return = 1 and docstatus = 1
		and customer in %(customers)s and posting_date between %(start)s and %(end)s group by customer""",
		"""select customer, count(*) from `tabSales Invoice` where is_return = 1 and update_stock = 1
		and docstatus = 1 and customer in %(customers)s and posting_date between %(start)s and %(end)s
		group by customer""",
	):
		for customer, count in frappe.db.sql(query, values):
			counts[customer] += count
	return counts


CALLBACK_REASONS = {
	rules.CALLBACK_TOTAL: lambda satisfaction: _("satisfaction {0} is under the call-back mark").format(
		satisfaction
	),
	rules.CALLBACK_ITEM: lambda question, score: _("{0} scored {1}, under the item mark").format(
		question, score
	),
	rules.CALLBACK_REMARK: lambda: _("they left a remark"),
}


def create_callback(responses, customer, reasons):
	"""One call-back for the customer, however many of its contacts answered (001 4.4): a to-do for
	its account manager (or whoever sent the survey), on its first response, linked from each,
	saying why."""
	owner = frappe.db.get_value("Customer", customer, "account_manager") or frappe.db.get_value(
		"Satisfaction Survey Response", responses[0], "owner"
	)
	response = frappe.get_doc("Satisfaction Survey Response", responses[0])
	assign(
		response,
		[owner],
		_("Call {0} back: {1}.").format(
			response.customer_name or customer,
			"; ".join(CALLBACK_REASONS[code](*args) for code, *args in reasons),
		),
	)
	todo = frappe.db.get_value(
		"ToDo",
		{
			"reference_type": response.doctype,
			"reference_name": response.name,
			"allocated_to": owner,
			"status": "Open",
		},
		"name",
	)
	if todo:
		frappe.db.set_value(
			"ToDo", todo, {"priority": "High", "date": add_days(getdate(), 3)}, update_modified=False
		)
		bulk.set_values("Satisfaction Survey Response", {name: {"callback_todo": todo} for name in responses})


def customer_remarks(campaign: str) -> dict[str, list[str]]:
	"""Each answering customer's remarks: the comments of its responses and of their answers."""
	rows = frappe.db.sql(
		"""select r.customer, r.comments as remark
		from `tabSatisfaction Survey Response` r
		where r.campaign = %(campaign)s and r.status = 'Answered' and ifnull(r.comments, '') != ''
		union all
		select r.customer, a.comment
		from `tabSatisfaction Survey Answer` a
		join `tabSatisfaction Survey Response` r on r.name = a.parent
		where r.campaign = %(campaign)s and r.status = 'Answered' and ifnull(a.comment, '') != ''""",
		{"campaign": campaign},
		as_dict=True,
	)
	remarks = defaultdict(list)
	for row in rows:
		remarks[row.customer].append(row.remark)
	return remarks


def follow_ups(campaign) -> list[tuple]:
	"""The follow-up rows as comparable values."""
	return [
		tuple(flt(row.get(f)) if f == "average_score" else cstr(row.get(f)) for f in FOLLOW_UP_FIELDS)
		for row in campaign.get("follow_ups") or []
	]


# --- One customer, one result; the improvement loop; the chase list ---------------------------------

CAMPAIGN = "Satisfaction Survey Campaign"
RESPONSE = "Satisfaction Survey Response"
FOLLOW_UP = "Satisfaction Survey Follow Up"
CS_MANAGER, CS_OFFICER = people.CS_MANAGER, people.CS_OFFICER


def answered_items(campaign: str) -> tuple[list[str], dict[str, dict[str, float]]]:
	"""The questions answered, in the questionnaire's order, and each customer's score of each
	question (the answers of its answered responses averaged), as the statistics show them."""
	rows = frappe.db.sql(
		"""select r.customer, a.question, a.score, a.idx
		from `tabSatisfaction Survey Answer` a
		join `tabSatisfaction Survey Response` r on r.name = a.parent
		where r.campaign = %s and r.status = 'Answered' and a.parenttype = 'Satisfaction Survey Response'
		order by r.customer, r.name, a.idx""",
		campaign,
		as_dict=True,
	)
	first = {}
	for row in rows:
		first[row.question] = min(first.get(row.question, row.idx), row.idx)
	questions = sorted(first, key=first.get)
	items = rules.customer_item_scores((row.customer, row.question, flt(row.score)) for row in rows)
	return questions, {
		customer: {question: scores[question] for question in questions if question in scores}
		for customer, scores in items.items()
	}


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
	if not guards.has_role(CS_MANAGER):
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
	actions = []
	for group in by_question.values():
		heads = department_heads(group[0].department)
		problems = [proposal_problem(doc, row, template.pass_mark) for row in group]
		action = frappe.get_doc(
			{
				"doctype": "Quality Action",
				"corrective_preventive": "Corrective",
				"date": getdate(),
				"status": "Open",
				"cs_survey_campaign": doc.name,
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
		actions.append(action.name)
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
	from cs_procedures.footprint import IMPROVEMENT_REPLY_TEMPLATE

	if not guards.has_role(CS_MANAGER, CS_OFFICER):
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
		items = {}  # a question once: the customer's own action on it, else the one for all customers
		for row in approved:
			if row.customer in (None, "", response.customer) and not (
				row.question in items and items[row.question]["own"]
			):
				items[row.question] = {
					"question": row.question,
					"own": bool(row.customer),
					"action": state[row.name].resolution,
					"done": state[row.name].resolution_status == "Completed",
					"verified": state[row.name].verified,
				}
		items = list(items.values())
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
	now = now_datetime()
	for row in approved:
		if not row.customer or row.customer in replied:
			frappe.db.set_value(FOLLOW_UP, row.name, "replied_on", now, update_modified=False)
	guards.stamp(doc, {"improvement_replied_on": now})
	by_phone = sorted({r.customer for r in answered} - replied)
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
	return {"mails": mails, "customers": len(replied), "by_phone": by_phone}


@frappe.whitelist()
def make_chase_list(campaign: str) -> int:
	"""003 §5.3.2: before the reply-by date, the CS officer chases the customers who have not answered:
	a phone-call to-do for each non-responder without e-mail (for every non-responder when the site
	cannot e-mail); the others get the e-mailed reminders, whose state the Chase List report shows."""
	if not guards.has_role(CS_MANAGER, CS_OFFICER):
		guards.refuse(_("Only CS staff chase the survey's non-responders."), title=_("Not Permitted"))
	doc = frappe.get_doc(CAMPAIGN, campaign, for_update=True)
	doc.check_permission("write")
	if doc.status != rules.SENT:
		frappe.throw(
			_("Only a campaign whose invitations are sent, and that is not closed, has customers to chase."),
			title=_("Nothing to Chase"),
		)
	if getdate() > getdate(doc.reply_by):
		frappe.throw(
			_("The reply-by date has passed: the campaign closes with the answers it has."),
			title=_("Reply-by Date Passed"),
		)
	return chase_non_responders(doc, frappe.session.user)


def chase_non_responders(campaign, user: str) -> int:
	"""A phone-call to-do for `user` for each non-responder to call; returns the to-dos made (an open
	one is not repeated)."""
	emailing = can_email()
	made = 0
	rows = frappe.get_all(
		RESPONSE,
		filters={"campaign": campaign.name, "status": "Invited"},
		fields=["name", "customer", "customer_name", "contact", "email"],
		order_by="customer asc, name asc",
	)
	phones = contact_phones(row.contact for row in rows)
	for row in rows:
		if row.email and emailing:
			continue  # reminded by e-mail
		phone = phones.get(row.contact)
		made += len(
			assign(
				frappe.get_doc(RESPONSE, row.name),
				[user],
				_("Phone {0} for the satisfaction survey ({1}): no answer yet, reply by {2}.").format(
					row.customer_name or row.customer,
					phone or _("no phone number on record"),
					frappe.format(campaign.reply_by, "Date"),
				),
			)
		)
	campaign.add_comment(
		"Info", _("Chase list: {0} phone calls put on the to-do list of {1}.").format(made, user)
	)
	return made


def contact_phones(contacts) -> dict[str, str]:
	"""The mobile (or else the landline) number of each contact, in one query."""
	contacts = sorted({contact for contact in contacts if contact})
	if not contacts:
		return {}
	rows = frappe.get_all(
		"Contact", filters={"name": ("in", contacts)}, fields=["name", "mobile_no", "phone"]
	)
	return {row.name: row.mobile_no or row.phone for row in rows if row.mobile_no or row.phone}
