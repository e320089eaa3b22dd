"""顾客满意度调查统计表: one row per customer (003 §5.3.3 scores the customer: the scores of its
answered responses averaged, its complaints and returns deducted once) with its score of each
question; per question the average over the customers and the share of customers passing; the
response rate, validity and the trend against the previous valid campaign."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scoring import answered_items
from cs_procedures.cs_procedures.report.columns import (
	campaign_of,
	column,
	declared,
	escape_text,
	escape_values,
	response_columns,
)
from cs_procedures.procedures import satisfaction as rules


def execute(filters=None):
	filters = frappe._dict(filters or {})
	campaign = campaign_of(filters)
	template = frappe.get_cached_doc("Satisfaction Survey Template", campaign.template)
	questions, customer_items = answered_items(campaign.name)
	rows = customer_rows(campaign, template, questions, customer_items)
	items = question_statistics(template, questions, customer_items)
	return (
		columns(questions),
		rows,
		items_table(items, template),
		chart(items, template),
		summary(campaign),
	)


def customer_rows(campaign, template, questions, customer_items) -> list:
	"""One row per customer that answered: its responses combined."""
	responses = frappe.get_all(
		"Satisfaction Survey Response",
		filters={"campaign": campaign.name, "status": "Answered"},
		fields=[
			"name", "customer", "customer_name", "channel", "respondent", "score", "complaint_count",
			"complaint_deduction", "return_count", "return_deduction", "satisfaction",
		],
		order_by="customer asc, name asc",
	)  # fmt: skip
	by_customer = defaultdict(list)
	for response in responses:
		by_customer[response.customer].append(response)
	scores = rules.customer_scores((r.customer, flt(r.score)) for r in responses)
	closed = campaign.status == rules.CLOSED
	rows = []
	for customer, answered in by_customer.items():
		first = answered[0]  # the procedure wrote the customer's result on each of its responses
		row = frappe._dict(
			name=first.name,
			customer=customer,
			customer_name=first.customer_name,
			responses=len(answered),
			channel=", ".join(dict.fromkeys(_(r.channel) for r in answered if r.channel)) or None,
			respondent=", ".join(dict.fromkeys(r.respondent for r in answered if r.respondent)) or None,
			score=scores[customer],
			complaint_count=first.complaint_count,
			complaint_deduction=first.complaint_deduction,
			return_count=first.return_count,
			return_deduction=first.return_deduction,
			satisfaction=first.satisfaction if closed else None,
			pass_mark=flt(template.pass_mark),
		)
		row.below_callback_mark = int(
			closed and campaign.is_valid and flt(row.satisfaction) < flt(template.callback_mark)
		)
		items = customer_items.get(customer, {})
		for position, question in enumerate(questions, start=1):
			row[f"item_{position}"] = items.get(question)
		row.low_items = ", ".join(
			str(position)
			for position, question in enumerate(questions, start=1)
			if question in items and items[question] < flt(template.pass_mark)
		)
		rows.append(row)
	rows.sort(key=lambda r: (flt(r.satisfaction if closed else r.score), r.customer))
	escape_values(rows, ("customer_name", "respondent", "channel"))  # the respondent is the customer's
	return rows


def question_statistics(template, questions, customer_items) -> list:
	categories = {item.question: item.category for item in template.items}
	averages = rules.item_averages(customer_items, questions)
	return [
		frappe._dict(
			position=position,
			question=question,
			category=categories.get(question),
			average=averages.get(question, 0),
			customers=sum(question in items for items in customer_items.values()),
			pass_rate=rules.item_pass_rate(customer_items, question, flt(template.pass_mark)),
		)
		for position, question in enumerate(questions, start=1)
	]


def columns(questions):
	return [
		*response_columns(),
		*declared(__file__),
		*(
			column(f"item_{position}", _("Q{0}").format(position), "Float", width=70)
			for position in range(1, len(questions) + 1)
		),
	]


def items_table(items, template) -> str:
	if not items:
		return ""
	lines = "".join(
		"<tr{style}><td>{n}</td><td>{q}</td><td>{c}</td><td class='text-right'>{a:.2f}</td><td class='text-right'>{p:.1f} %</td></tr>".format(
			style=" style='color: var(--red-600)'" if flt(item.average) < flt(template.pass_mark) else "",
			n=_("Q{0}").format(item.position),
			q=frappe.utils.escape_html(item.question),
			c=frappe.utils.escape_html(_(item.category) if item.category else ""),
			a=flt(item.average),
			p=flt(item.pass_rate),
		)
		for item in items
	)
	return (
		f"<h5>{_('Questions (pass mark {0}): each customer counted once').format(template.pass_mark)}</h5>"
		"<table class='table table-bordered table-sm'><thead><tr>"
		f"<th></th><th>{_('Question')}</th><th>{_('Category')}</th><th>{_('Average Score')}</th>"
		f"<th>{_('Customers Passing')}</th></tr></thead><tbody>{lines}</tbody></table>"
	)


def chart(items, template):
	if not items:
		return None
	return {
		"data": {
			"labels": [escape_text(item.question) for item in items],  # the tooltip shows them as HTML
			"datasets": [
				{"name": _("Average Score"), "values": [flt(item.average, 2) for item in items]},
				{"name": _("Item Pass Mark"), "values": [flt(template.pass_mark)] * len(items)},
			],
		},
		"type": "bar",
	}


def previous_valid_campaign(campaign):
	"""The baseline of the trend: the last closed campaign of the template before this one that was
	valid (003 §5.3.2: a survey at or under 70 % answered proves nothing)."""
	previous = frappe.get_all(
		"Satisfaction Survey Campaign",
		filters={
			"template": campaign.template,
			"status": rules.CLOSED,
			"is_valid": 1,
			"send_date": ("<", campaign.send_date),
			"name": ("!=", campaign.name),
		},
		fields=["name", "average_satisfaction"],
		order_by="send_date desc",
		limit=1,
	)
	return previous[0] if previous else None


def summary(campaign):
	previous = previous_valid_campaign(campaign)
	trend = flt(campaign.average_satisfaction) - flt(previous.average_satisfaction) if previous else None
	return [
		{"label": _("Customers Invited"), "value": campaign.invited_customers, "datatype": "Int"},
		{"label": _("Response Rate"), "value": flt(campaign.response_rate), "datatype": "Percent",
		 "indicator": "Green" if campaign.is_valid else "Red"},
		{"label": _("Valid (Response Rate above 70 %)"), "value": _("Yes") if campaign.is_valid else _("No"),
		 "datatype": "Data", "indicator": "Green" if campaign.is_valid else "Red"},
		{"label": _("Average Satisfaction"), "value": flt(campaign.average_satisfaction), "datatype": "Float"},
		{"label": _("Change Against Previous Valid Campaign"), "value": trend if trend is not None else "—",
		 "datatype": "Float" if trend is not None else "Data",
		 "indicator": "Green" if (trend or 0) >= 0 else "Red"},
	]  # fmt: skip
