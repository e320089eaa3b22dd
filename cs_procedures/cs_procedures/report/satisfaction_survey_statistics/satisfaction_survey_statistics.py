"""顾客满意度调查统计表: per customer score, deductions and satisfaction; per question average and
pass rate; the response rate, validity and the trend against the previous campaign."""

import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures.cs_procedures.report.columns import column, escape_text, escape_values


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.campaign:
		frappe.throw(_("Select a campaign."), title=_("Invalid Filters"))
	campaign = frappe.get_doc("Satisfaction Survey Campaign", filters.campaign)
	campaign.check_permission("read")
	template = frappe.get_cached_doc("Satisfaction Survey Template", campaign.template)
	rows = frappe.get_all(
		"Satisfaction Survey Response",
		filters={"campaign": campaign.name, "status": "Answered"},
		fields=[
			"name", "customer", "customer_name", "channel", "respondent", "score", "complaint_count",
			"complaint_deduction", "return_count", "return_deduction", "satisfaction",
		],
		order_by="satisfaction asc, customer asc",
	)  # fmt: skip
	for row in rows:
		row.below_callback_mark = int(
			campaign.status == "Closed" and flt(row.satisfaction) < flt(template.callback_mark)
		)
		row.channel = escape_text(_(row.channel)) if row.channel else None
	escape_values(rows, ("customer_name", "respondent"))  # the respondent is typed in by the customer
	items = question_statistics(campaign.name, flt(template.pass_mark))
	return columns(), rows, items_table(items, template), chart(items, template), summary(campaign)


def question_statistics(campaign: str, pass_mark: float):
	return frappe.db.sql(
		"""select a.question, a.category, avg(a.score) as average, count(*) as answers,
			100 * sum(a.score >= %(pass_mark)s) / count(*) as pass_rate, min(a.idx) as idx
		from `tabSatisfaction Survey Answer` a
		join `tabSatisfaction Survey Response` r on r.name = a.parent
		where r.campaign = %(campaign)s and r.status = 'Answered' and a.parenttype = 'Satisfaction Survey Response'
		group by a.question, a.category order by idx""",
		{"campaign": campaign, "pass_mark": pass_mark},
		as_dict=True,
	)


def columns():
	return [
		column("name", _("Response"), "Link", "Satisfaction Survey Response", 150),
		column("customer", _("Customer"), "Link", "Customer", 150),
		column("customer_name", _("Customer Name"), "Data", width=180),
		column("channel", _("Answered By"), "Data", width=90),
		column("respondent", _("Respondent"), "Data", width=140),
		column("score", _("Survey Score"), "Float", width=110),
		column("complaint_count", _("Complaints in Period"), "Int"),
		column("complaint_deduction", _("Complaint Deduction"), "Float", width=110),
		column("return_count", _("Returns in Period"), "Int"),
		column("return_deduction", _("Return Deduction"), "Float", width=110),
		column("satisfaction", _("Satisfaction"), "Float", width=110),
		column("below_callback_mark", _("Call-back"), "Check", width=80),
	]


def items_table(items, template) -> str:
	if not items:
		return ""
	lines = "".join(
		"<tr{style}><td>{q}</td><td>{c}</td><td class='text-right'>{a:.2f}</td><td class='text-right'>{p:.1f} %</td></tr>".format(
			style=" style='color: var(--red-600)'" if flt(item.average) < flt(template.pass_mark) else "",
			q=frappe.utils.escape_html(item.question),
			c=frappe.utils.escape_html(_(item.category) if item.category else ""),
			a=flt(item.average),
			p=flt(item.pass_rate),
		)
		for item in items
	)
	return (
		f"<h5>{_('Questions (pass mark {0})').format(template.pass_mark)}</h5>"
		"<table class='table table-bordered table-sm'><thead><tr>"
		f"<th>{_('Question')}</th><th>{_('Category')}</th><th>{_('Average Score')}</th><th>{_('Pass Rate')}</th>"
		f"</tr></thead><tbody>{lines}</tbody></table>"
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


def summary(campaign):
	previous = frappe.get_all(
		"Satisfaction Survey Campaign",
		filters={
			"template": campaign.template,
			"status": "Closed",
			"send_date": ("<", campaign.send_date),
			"name": ("!=", campaign.name),
		},
		fields=["name", "average_satisfaction"],
		order_by="send_date desc",
		limit=1,
	)
	trend = flt(campaign.average_satisfaction) - flt(previous[0].average_satisfaction) if previous else None
	return [
		{"label": _("Customers Invited"), "value": campaign.invited_customers, "datatype": "Int"},
		{"label": _("Response Rate"), "value": flt(campaign.response_rate), "datatype": "Percent",
		 "indicator": "Green" if campaign.is_valid else "Red"},
		{"label": _("Valid (Response Rate above 70 %)"), "value": _("Yes") if campaign.is_valid else _("No"),
		 "datatype": "Data", "indicator": "Green" if campaign.is_valid else "Red"},
		{"label": _("Average Satisfaction"), "value": flt(campaign.average_satisfaction), "datatype": "Float"},
		{"label": _("Change Against Previous Campaign"), "value": trend if trend is not None else "—",
		 "datatype": "Float" if trend is not None else "Data",
		 "indicator": "Green" if (trend or 0) >= 0 else "Red"},
	]  # fmt: skip
