"""The CS figures of a month (001 §4.10 每月客服统计报表): complaints, satisfaction, returns and repairs,
visits against plan and calls.

Each figure is taken from the app's own report that shows it (Complaint Statistics, Satisfaction Survey
Statistics, Return and Exchange Summary, Repair Statistics, Hotline Statistics), so the monthly summary
and those reports always agree; only the visits against plan, which no report sums up, are counted here.
`month_figures` returns plain dicts and lists of raw values: whoever shows them escapes them (the report
`CS Monthly Figures`, the print and the e-mail of `render_month`, the management review)."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import flt, formatdate, get_url, getdate, nowdate

from cs_procedures import jobs, notifications, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
from cs_procedures.cs_procedures.report.hotline_statistics import hotline_statistics
from cs_procedures.cs_procedures.report.repair_statistics import repair_statistics
from cs_procedures.cs_procedures.report.return_and_exchange_summary import return_and_exchange_summary
from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import (
	satisfaction_survey_statistics,
)
from cs_procedures.procedures import figures as rules
from cs_procedures.procedures.calls import share

REPORT = "CS Monthly Figures"
TEMPLATE = "cs_procedures/templates/includes/cs_monthly_figures.html"
CHART_MONTHS = 12  # the chart: complaints of the month and of the eleven before it
# the Satisfaction Survey Statistics summary, in its order
SATISFACTION_KEYS = ("invited", "response_rate", "valid", "average_satisfaction", "trend")


def month_figures(month) -> dict:
	"""The figures of the month of `month` (any day of it): {"month", "from_date", "to_date",
	"sections": [{"key", "title", "figures": [{"key", "label", "value", "fieldtype"}]}], "chart"}."""
	start = rules.month_start(getdate(month))
	period = {"from_date": start, "to_date": rules.month_end(start)}
	# Complaint Statistics by month over the chart's twelve months: the month's row and the chart at once
	by_month = complaint_statistics.execute(
		{
			"from_date": rules.months_back(start, CHART_MONTHS - 1),
			"to_date": period["to_date"],
			"group_by": "Month",
		}
	)
	row = next((row for row in by_month[1] if row.grp == rules.month_key(start)), frappe._dict())
	sections = (
		("complaints", _("Complaints"), complaint_figures(period, row)),
		("satisfaction", _("Satisfaction"), satisfaction_figures(period)),
		("returns", _("Returns and Exchanges"), return_figures(period)),
		("repairs", _("Repairs"), repair_figures(period)),
		("visits", _("Customer Visits"), visit_figures(period)),
		("calls", _("Hotline"), call_figures(period)),
	)
	return {
		"month": rules.month_key(start),
		**period,
		"sections": [{"key": key, "title": title, "figures": rows} for key, title, rows in sections],
		"chart": by_month[3],
	}


def figure(key: str, label: str, value, fieldtype: str = "Int") -> dict:
	return {"key": key, "label": label, "value": value, "fieldtype": fieldtype}


def plain(text):
	"""A report's text cell as it was typed: the reports leave text with "<" and ">" escaped."""
	return text.replace("&lt;", "<").replace("&gt;", ">") if isinstance(text, str) else text


def complaint_figures(period: dict, month: dict) -> list[dict]:
	"""The month's row of Complaint Statistics by month, and the month's complaints by cause class
	(002 ch6 §10)."""
	figures = [
		figure("complaints", _("Complaints"), int(month.get("complaints") or 0)),
		figure("closed", _("Closed"), int(month.get("closed") or 0)),
		figure("sheet_on_time_pct", _("Sheet Issued On Time %"), month.get("sheet_on_time_pct"), "Percent"),
		figure(
			"countermeasure_on_time_pct",
			_("Countermeasure On Time %"),
			month.get("countermeasure_on_time_pct"),
			"Percent",
		),
		figure("mean_hours_to_close", _("Mean Hours to Close"), month.get("mean_hours_to_close"), "Float"),
		figure("loss_amount", _("Loss Amount"), flt(month.get("loss_amount")), "Currency"),
		figure("claimed_amount", _("Claimed Amount"), flt(month.get("claimed_amount")), "Currency"),
		figure("repeat_complaints", _("Repeat Complaints"), int(month.get("repeat_complaints") or 0)),
		figure("reopened", _("Reopened by Customer"), int(month.get("reopened") or 0)),
	]
	for row in complaint_statistics.execute({**period, "group_by": "Cause"})[1]:
		cause = plain(row.grp) or _("Not Set")
		figures.append(figure(f"cause:{cause}", _("Cause: {0}").format(cause), int(row.complaints)))
	return figures


def latest_campaign(to_date):
	"""The last closed satisfaction campaign sent by the end of the month."""
	names = frappe.get_all(
		"Satisfaction Survey Campaign",
		filters={"status": "Closed", "send_date": ("<=", to_date)},
		order_by="send_date desc, creation desc",
		pluck="name",
		limit=1,
	)
	return frappe.get_doc("Satisfaction Survey Campaign", names[0]) if names else None


def satisfaction_figures(period: dict) -> list[dict]:
	"""The latest campaign's summary as Satisfaction Survey Statistics shows it, with its trend."""
	campaign = latest_campaign(period["to_date"])
	if not campaign:
		return [figure("campaign", _("Latest Campaign"), None, "Data")]
	summary = satisfaction_survey_statistics.summary(campaign)
	return [
		figure("campaign", _("Latest Campaign"), campaign.name, "Data"),
		figure("send_date", _("Sent On"), campaign.send_date, "Date"),
		*(
			figure(key, item["label"], None if item["value"] == "—" else item["value"], item["datatype"])
			for key, item in zip(SATISFACTION_KEYS, summary, strict=True)
		),
	]


def return_figures(period: dict) -> list[dict]:
	"""Return and Exchange Summary: the real returns of the month, their goods and amount."""
	lines = return_and_exchange_summary.execute(dict(period))[1]
	return [
		figure("returns", _("Returns"), len({(line.document_type, line.document) for line in lines})),
		figure("return_lines", _("Returned Lines"), len(lines)),
		figure("qty", _("Qty Returned"), flt(sum(flt(line.qty) for line in lines), 3), "Float"),
		figure("amount", _("Amount Returned"), flt(sum(flt(line.amount) for line in lines)), "Currency"),
	]


def repair_figures(period: dict) -> list[dict]:
	"""Repair Statistics: the warranty claims reported in the month, by fault category summed up."""
	rows = repair_statistics.execute({**period, "group_by": "Fault Category"})[1]
	total = lambda field: sum(flt(row.get(field)) for row in rows)  # noqa: E731
	return [
		figure("claims", _("Warranty Claims"), int(total("claims"))),
		figure("closed", _("Closed"), int(total("closed"))),
		figure("repair_cost", _("Repair Cost"), total("repair_cost"), "Currency"),
		figure("parts_cost", _("Parts Cost"), total("parts_cost"), "Currency"),
	]


def visit_figures(period: dict) -> list[dict]:
	"""The visits of the approved plans due in the month against the visits recorded (submitted)."""
	planned = frappe.db.sql(
		"""select count(*) from `tabCustomer Visit Plan Item` i
		join `tabCustomer Visit Plan` p on p.name = i.parent and i.parenttype = 'Customer Visit Plan'
		where p.docstatus = 1 and i.visit_date between %(from_date)s and %(to_date)s""",
		period,
	)[0][0]
	made, on_plan = frappe.db.sql(
		"""select count(*), coalesce(sum(unplanned = 0 and coalesce(visit_plan, '') != ''), 0)
		from `tabCustomer Visit`
		where docstatus = 1 and visit_date between %(from_date)s and %(to_date)s""",
		period,
	)[0]
	return [
		figure("planned", _("Visits Planned"), int(planned)),
		figure("made", _("Visits Made"), int(made)),
		figure("on_plan", _("Visits Made on Plan"), int(on_plan)),
		figure("outside_plan", _("Visits outside the Plan"), int(made - on_plan)),
		figure("plan_done_pct", _("Plan Done %"), share(int(on_plan), int(planned)), "Percent"),
	]


def call_figures(period: dict) -> list[dict]:
	"""Hotline Statistics of the month in one row."""
	rows = hotline_statistics.execute({**period, "group_by": "Month"})[1]
	month = rows[0] if rows else frappe._dict()
	return [
		figure("calls", _("Calls"), month.get("calls") or 0),
		figure("incoming", _("Incoming"), month.get("incoming") or 0),
		figure("outgoing", _("Outgoing"), month.get("outgoing") or 0),
		figure("answered", _("Answered"), month.get("answered") or 0),
		figure("answered_pct", _("Answered %"), month.get("answered_pct"), "Percent"),
		figure("mean_wait", _("Mean Wait (Seconds)"), month.get("mean_wait"), "Float"),
		figure("mean_talk", _("Mean Talking Time (Seconds)"), month.get("mean_talk"), "Float"),
		figure("complaints", _("Complaints"), month.get("complaints") or 0),
	]


def formatted(item: dict) -> str:
	"""A figure as the user reads it (numbers in the site's format, the currency the default one);
	not escaped."""
	if item["value"] is None:
		return "—"
	if item["fieldtype"] == "Data":
		return str(item["value"])
	precision = 1 if item["fieldtype"] in ("Float", "Percent") else None
	return str(frappe.format_value(item["value"], {"fieldtype": item["fieldtype"], "precision": precision}))


def render_month(month: dict, link: str | None = None) -> str:
	"""The paper monthly summary (客服月度统计报表) of `month_figures`: the print and the e-mail's body."""
	data = (month.get("chart") or {}).get("data") or {"labels": [], "datasets": []}
	complaints, repeats = (
		([*dataset["values"]] for dataset in data["datasets"][:2]) if data["labels"] else ([], [])
	)
	highest = max(complaints, default=0) or 1
	return frappe.render_template(
		TEMPLATE,
		{
			"month": month["month"],
			"from_date": formatdate(month["from_date"]),
			"to_date": formatdate(month["to_date"]),
			"sections": [
				{
					"title": section["title"],
					"figures": [
						{"label": item["label"], "text": formatted(item)} for item in section["figures"]
					],
				}
				for section in month["sections"]
			],
			"bars": [
				{
					"label": plain(label),
					"complaints": count,
					"repeats": repeat,
					"width": round(100 * count / highest),
				}
				for label, count, repeat in zip(data["labels"], complaints, repeats, strict=True)
			],
			"printed_on": formatdate(nowdate()),
			"link": link,
		},
	)


def check_access() -> None:
	"""Who may open the report may print it: the report's roles, and a report on its doctype (as the desk)."""
	report = frappe.get_doc("Report", REPORT)
	if not report.is_permitted() or not frappe.has_permission(report.ref_doctype, "report"):
		frappe.throw(_("You may not see the CS monthly figures."), frappe.PermissionError)


@frappe.whitelist()
@frappe.read_only()  # the monthly summary printed from the report: read on a replica if the site has one
def print_month(month: str) -> str:
	check_access()
	return render_month(month_figures(getdate(month)))


def report_link(month) -> str:
	"""The desk's address of the report for the month (the mark of a month's notification)."""
	return f"/app/query-report/{quote(REPORT)}?month={rules.month_start(getdate(month))}"


def recipients(settings) -> list[str]:
	"""The enabled users CS Settings names to receive the monthly figures (the CS managers if it names
	none), of them those who may open the report."""
	named = [row.user for row in settings.get("monthly_figures_recipients") or ()]
	allowed = set(
		frappe.get_all("Has Role", filters={"parent": REPORT, "parenttype": "Report"}, pluck="role")
	)
	return [
		user
		for user in notifications.enabled_users(named or people.managers())
		if allowed & set(frappe.get_roles(user))
	]


def send_monthly_figures(today=None) -> list[str]:
	"""Daily: from the first working day of a month on (CS Settings' holiday list, else the default
	company's), last month's figures to each recipient not yet told: an in-app notification opening the
	report, and the summary by e-mail where the site can send one. Returns the users told now."""
	settings = get_settings()
	month = rules.month_to_send(getdate(today or nowdate()), settings.calendar().is_working_day)
	if not month:
		return []
	link = report_link(month)
	waiting = [user for user in recipients(settings) if not notifications.notified_of(user, link)]
	if not waiting:
		return []
	subject = _("CS figures of {0}").format(rules.month_key(month))
	body = render_month(month_figures(month), get_url(link))
	told = jobs.each(
		waiting,
		lambda user: notifications.notify_page(user, subject, link, body) and user,
		doctype="User",
		title=_("The CS monthly figures were not sent"),
	)
	return [user for user in told if user]
