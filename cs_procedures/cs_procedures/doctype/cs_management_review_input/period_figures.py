"""The figures of a review period, read from the app's own reports (the same queries the desk shows):
Complaint Statistics, Satisfaction Survey Statistics, Return and Exchange Summary, Repair Statistics
and Hotline Statistics; the visits against the approved visit plans. Each figure is a row of the
management review input's snapshot; the measured quality goals read their value from the same rows
(`measured_values`)."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, getdate

from cs_procedures.cs_procedures.report.columns import escape_text
from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
from cs_procedures.cs_procedures.report.hotline_statistics import hotline_statistics
from cs_procedures.cs_procedures.report.repair_statistics import repair_statistics
from cs_procedures.cs_procedures.report.return_and_exchange_summary import return_and_exchange_summary
from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import (
	satisfaction_survey_statistics,
)
from cs_procedures.procedures import calls as call_rules
from cs_procedures.procedures import management_review as rules
from cs_procedures.procedures import visits as visit_rules


def figure(section: str, name: str, value=None, detail=None, doctype=None, reference=None) -> dict:
	"""One row of the snapshot: a figure's name (stored in English, shown translated), its number or
	its words, and the record it comes from."""
	return {
		"section": section,
		"figure": name,
		"value": None if value is None else flt(value, 2),
		"has_value": int(value is not None),
		"detail": detail,
		"reference_doctype": doctype if reference else None,
		"reference_name": reference,
	}


def period_figures(from_date, to_date) -> list[dict]:
	"""Every figure of the period (both days included), section by section."""
	filters = frappe._dict(from_date=getdate(from_date), to_date=getdate(to_date))
	return [
		*complaint_figures(filters),
		*satisfaction_figures(filters),
		*after_sales_figures(filters),
		*visit_figures(filters),
		*call_figures(filters),
	]


def measured_values(from_date, to_date) -> dict:
	"""The value of each measure (`rules.MEASURES`) over the period; None where the period has none."""
	values = {row["figure"]: row["value"] for row in period_figures(from_date, to_date)}
	return {name: values.get(name) for name in rules.MEASURES}


def report_rows(report, filters, group_by: str) -> list:
	return report.execute(frappe._dict(filters, group_by=group_by))[1]


def total(rows, field: str) -> float:
	return sum(flt(row.get(field)) for row in rows)


def complaint_figures(filters) -> list[dict]:
	"""Complaint Statistics over the whole period, and its complaints by cause (002 ch6 §10, §13)."""
	rows = report_rows(complaint_statistics, filters, "Whole Period")
	whole = rows[0] if rows else frappe._dict()
	section = rules.COMPLAINTS
	figures = [
		figure(section, "Complaints Received", cint(whole.get("complaints"))),
		figure(section, "Complaints Closed", cint(whole.get("closed"))),
		figure(section, "On-time Complaint Sheet %", whole.get("sheet_on_time_pct")),
		figure(section, "On-time Countermeasure %", whole.get("countermeasure_on_time_pct")),
		figure(section, "Mean Hours to Close a Complaint", whole.get("mean_hours_to_close")),
		figure(section, "Complaint Loss", flt(whole.get("loss_amount"))),
		figure(section, "Amount Claimed", flt(whole.get("claimed_amount"))),
		figure(section, "Repeat Complaints", cint(whole.get("repeat_complaints"))),
		figure(section, "Reopened by Customer", cint(whole.get("reopened"))),
	]
	# the report shows each cause translated and escaped: matched back to the stored option
	by_cause = {row.grp: row.complaints for row in report_rows(complaint_statistics, filters, "Cause")}
	options = frappe.get_meta("Customer Complaint").get_field("cause_class").options.split("\n")
	for option in [o for o in options if o] + [None]:
		count = by_cause.get(escape_text(_(option)) if option else None)
		if count:
			figures.append(figure(section, "Complaints by Cause", count, option or "Not Set"))
	return figures


def latest_campaign(to_date):
	"""The last satisfaction survey campaign closed by the end of the period."""
	campaigns = frappe.get_all(
		"Satisfaction Survey Campaign",
		filters={"status": "Closed", "closed_on": ("<", add_days(to_date, 1))},
		fields=[
			"name",
			"title",
			"template",
			"send_date",
			"average_satisfaction",
			"response_rate",
			"is_valid",
		],
		order_by="closed_on desc",
		limit=1,
	)
	return campaigns[0] if campaigns else None


def satisfaction_figures(filters) -> list[dict]:
	"""The latest campaign and its trend against the previous valid one, as its statistics report
	has them (000 II-6: the satisfaction counted and analysed for the management review)."""
	campaign = latest_campaign(filters.to_date)
	if not campaign:
		return [figure(rules.SATISFACTION, "Latest Survey Campaign", detail="None Closed")]
	doctype, section = "Satisfaction Survey Campaign", rules.SATISFACTION
	previous = satisfaction_survey_statistics.previous_valid_campaign(campaign)
	trend = flt(campaign.average_satisfaction) - flt(previous.average_satisfaction) if previous else None
	return [
		figure(section, "Latest Survey Campaign", None, campaign.title, doctype, campaign.name),
		figure(section, "Satisfaction of the Latest Campaign", campaign.average_satisfaction),
		figure(section, "Survey Response Rate %", campaign.response_rate, "Valid" if campaign.is_valid else "Not Valid"),
		figure(section, "Change Against Previous Valid Campaign", trend, None, doctype, previous and previous.name),
	]  # fmt: skip


def after_sales_figures(filters) -> list[dict]:
	returns = report_rows(return_and_exchange_summary, filters, "Customer")
	repairs = report_rows(repair_statistics, filters, "Fault Category")
	section = rules.AFTER_SALES
	return [
		figure(section, "Returns", total(returns, "returns")),
		figure(section, "Returned Qty", total(returns, "qty")),
		figure(section, "Returned Amount", total(returns, "amount")),
		figure(section, "Repairs", total(repairs, "claims")),
		figure(section, "Repairs Closed", total(repairs, "closed")),
		figure(section, "Repair Cost", total(repairs, "repair_cost")),
		figure(section, "Parts Cost", total(repairs, "parts_cost")),
	]


def call_figures(filters) -> list[dict]:
	calls = report_rows(hotline_statistics, filters, "Call About")
	section = rules.CALLS
	return [
		figure(section, "Calls", total(calls, "calls")),
		figure(section, "Incoming Calls", total(calls, "incoming")),
		figure(section, "Incoming Calls Answered %", call_rules.share(total(calls, "answered"), total(calls, "incoming"))),
		figure(section, "Complaints from Calls", total(calls, "complaints")),
	]  # fmt: skip


def visit_figures(filters) -> list[dict]:
	"""The visits of the approved visit plans due in the period, those made (a submitted visit of the
	plan to the customer), and the visits made outside a plan."""
	planned = frappe.db.sql(
		"""select count(*) as planned,
			coalesce(sum(exists(select 1 from `tabCustomer Visit` v where v.docstatus = 1
				and v.visit_plan = p.name and v.customer = i.customer)), 0) as made
		from `tabCustomer Visit Plan Item` i
		join `tabCustomer Visit Plan` p on p.name = i.parent and i.parenttype = 'Customer Visit Plan'
		where p.workflow_state = %(approved)s and i.visit_date between %(from_date)s and %(to_date)s""",
		{**filters, "approved": visit_rules.APPROVED},
		as_dict=True,
	)[0]
	unplanned = frappe.db.count(
		"Customer Visit",
		{"docstatus": 1, "unplanned": 1, "visit_date": ("between", (filters.from_date, filters.to_date))},
	)
	section = rules.VISITS
	return [
		figure(section, "Planned Visits", planned.planned),
		figure(section, "Planned Visits Made", planned.made),
		figure(section, "Planned Visits Made %", call_rules.share(planned.made, planned.planned)),
		figure(section, "Visits outside a Plan", unplanned),
	]
