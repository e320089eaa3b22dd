"""Scoring a closed campaign (003 §5.3.3): each customer's answers, complaints and returns of the period,
its remarks, and the call-backs its answers ask for (001 4.4)."""

from collections import defaultdict
from typing import NamedTuple

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate

from cs_procedures import bulk
from cs_procedures.notifications import assign
from cs_procedures.procedures import satisfaction as rules

RESPONSE = "Satisfaction Survey Response"


class Scored(NamedTuple):
	"""A closed campaign's scoring: each customer's score and result, its answered responses."""

	scores: dict
	results: dict
	answered: dict
	responses: int


def score_responses(campaign) -> Scored:
	"""003 §5.3.3 scores the customer: the scores of a customer's answered responses are averaged first,
	its complaints and returns of the period deducted once; the result is written to each response."""
	responses = frappe.get_all(
		RESPONSE,
		filters={"campaign": campaign.name, "status": "Answered"},
		fields=["name", "customer", "score"],
		order_by="customer asc, name asc",
	)
	scores = rules.customer_scores((r.customer, flt(r.score)) for r in responses)
	complaints, returns = count_complaints(campaign, scores), count_returns(campaign, scores)
	results = rules.customer_results(scores, complaints, returns)
	answered = defaultdict(list)
	for response in responses:
		answered[response.customer].append(response.name)
	bulk.set_values(
		RESPONSE,
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
	return Scored(scores, results, answered, len(responses))


def make_callbacks(campaign, template, scored: Scored) -> int:
	"""A call-back for each customer whose answers give a reason (001 4.4), valid campaign or not."""
	_questions, items = answered_items(campaign.name)
	remarks = customer_remarks(campaign.name)
	callbacks = 0
	for customer, result in scored.results.items():
		reasons = rules.callback_reasons(
			result.satisfaction,
			flt(template.callback_mark),
			items.get(customer, {}),
			flt(template.pass_mark),
			remarks.get(customer, []),
		)
		if reasons:
			create_callback(scored.answered[customer], customer, reasons)
			callbacks += 1
	return callbacks


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
