"""The CS figures of a month (001 §4.10 每月客服统计报表): complaints, satisfaction, returns and repairs,
visits against plan and calls.

Each figure is taken from the app's own report that shows it (Complaint Statistics, Satisfaction Survey
Statistics, Return and Exchange Summary, Repair Statistics, Hotline Statistics), so the monthly summary
and those reports always agree; only the visits against plan, which no report sums up, are counted here.
`month_figures` returns plain dicts and lists of raw values: whoever shows them escapes them (the report
`CS Monthly Figures`, the print and the e-mail of `render_month`, the management review)."""

from urllib.parse import quote

import frappe
from frappe import _, _lt
from frappe.utils import flt, formatdate, get_url, getdate, nowdate

from cs_procedures import jobs, notifications, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.cs_procedures.report.columns import escape_text
from cs_procedures.cs_procedures.report.complaint_statistics import complaint_statistics
from cs_procedures.cs_procedures.report.hotline_statistics import hotline_statistics
from cs_procedures.cs_procedures.report.repair_statistics import repair_statistics
from cs_procedures.cs_procedures.report.return_and_exchange_summary import return_and_exchange_summary
from cs_procedures.cs_procedures.report.satisfaction_survey_statistics import (
	satisfaction_survey_statistics,
)
from cs_procedures.procedures import figures as rules
from cs_procedures.procedures import visits as visit_rules
from cs_procedures.procedures.calls import share

REPORT = "CS Monthly Figures"
TEMPLATE = "cs_procedures/templates/includes/cs_monthly_figures.html"
CHART_MONTHS = 12  # the chart: complaints of the month and of the eleven before it


def month_figures(month) -> dict:
	"""The figures of the month of `month` (any day of it): {"month", "from_date", "to_date",
	"sections": [{"key", "title", "figures": [figure(…), …]}], "chart"}."""
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
	return {
		"month": rules.month_key(start),
		**period,
		"sections": sections(period, row),
		"chart": by_month[3],
	}


def period_figures(from_date, to_date) -> dict:
	"""The same figures over any period, both days included (the management review input's)."""
	period = {"from_date": getdate(from_date), "to_date": getdate(to_date)}
	rows = complaint_statistics.execute({**period, "group_by": "Whole Period"})[1]
	return {**period, "sections": sections(period, rows[0] if rows else frappe._dict())}


def sections(period: dict, complaints: dict) -> list[dict]:
	"""The sections of a period's figures; `complaints` is its row of Complaint Statistics."""
	return [
		{"key": key, "title": title, "figures": rows}
		for key, title, rows in (
			("complaints", _("Complaints"), complaint_figures(period, complaints)),
			("satisfaction", _("Satisfaction"), satisfaction_figures(period)),
			("returns", _("Returns and Exchanges"), return_figures(period)),
			("repairs", _("Repairs"), repair_figures(period)),
			("visits", _("Customer Visits"), visit_figures(period)),
			("calls", _("Hotline"), call_figures(period)),
		)
	]


def figure(key: str, name, value, fieldtype: str = "Int", detail=None, reference=None) -> dict:
	"""One figure. `name` is `_lt("…")`: a record keeping the figure (the management review input) stores
	its English words, a page shows them in the user's language; `detail` stored words of its own (a
	cause class); `reference` the (doctype, name) of the record it is about."""
	label = str(name) if detail is None else f"{name}: {_(detail)}"
	return {
		"key": key,
		"name": name.msg,
		"label": label,
		"value": value,
		"fieldtype": fieldtype,
		"detail": detail,
		"reference": reference,
	}


def plain(text):
	"""A report's text cell as it was typed: the reports leave text with "<" and ">" escaped."""
	return text.replace("&lt;", "<").replace("&gt;", ">") if isinstance(text, str) else text


def complaint_figures(period: dict, row: dict) -> list[dict]:
	"""The period's row of Complaint Statistics, and its complaints by cause class (002 ch6 §10)."""
	figures = [
		figure("complaints", _lt("Complaints Received"), int(row.get("complaints") or 0)),
		figure("closed", _lt("Complaints Closed"), int(row.get("closed") or 0)),
		figure(
			"sheet_on_time_pct", _lt("On-time Complaint Sheet %"), row.get("sheet_on_time_pct"), "Percent"
		),
		figure(
			"countermeasure_on_time_pct",
			_lt("On-time Countermeasure %"),
			row.get("countermeasure_on_time_pct"),
			"Percent",
		),
		figure(
			"mean_hours_to_close",
			_lt("Mean Hours to Close a Complaint"),
			row.get("mean_hours_to_close"),
			"Float",
		),
		figure("loss_amount", _lt("Complaint Loss"), flt(row.get("loss_amount")), "Currency"),
		figure("claimed_amount", _lt("Amount Claimed"), flt(row.get("claimed_amount")), "Currency"),
		figure("repeat_complaints", _lt("Repeat Complaints"), int(row.get("repeat_complaints") or 0)),
		figure("reopened", _lt("Reopened by Customer"), int(row.get("reopened") or 0)),
	]
	# the report shows each cause translated and escaped: the stored option found back, for the record
	options = frappe.get_meta("Customer Complaint").get_field("cause_class").options.split("\n")
	stored = {escape_text(_(option)): option for option in options if option}
	for row in complaint_statistics.execute({**period, "group_by": "Cause"})[1]:
		cause = stored.get(row.grp) or plain(row.grp) or "Not Set"
		figures.append(
			figure(f"cause:{cause}", _lt("Complaints by Cause"), int(row.complaints), detail=cause)
		)
	return figures


def latest_campaign(to_date):
	"""The last closed satisfaction campaign sent by the end of the period."""
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
		return [figure("campaign", _lt("Latest Survey Campaign"), None, "Data")]
	invited, rate, _valid, average, trend = (
		item["value"] for item in satisfaction_survey_statistics.summary(campaign)
	)
	return [
		figure(
			"campaign",
			_lt("Latest Survey Campaign"),
			campaign.name,
			"Data",
			reference=("Satisfaction Survey Campaign", campaign.name),
		),
		figure("send_date", _lt("Sent On"), campaign.send_date, "Date"),
		figure("invited", _lt("Customers Invited"), invited),
		figure("response_rate", _lt("Survey Response Rate %"), rate, "Percent"),
		figure(
			"valid", _lt("Valid (Response Rate above 70 %)"), "Yes" if campaign.is_valid else "No", "Data"
		),
		figure("average_satisfaction", _lt("Satisfaction of the Latest Campaign"), average, "Float"),
		figure(
			"trend",
			_lt("Change Against Previous Valid Campaign"),
			None if trend == "—" else trend,
			"Float",
		),
	]


def return_figures(period: dict) -> list[dict]:
	"""Return and Exchange Summary: the real returns of the period, their goods and amount."""
	lines = return_and_exchange_summary.execute(dict(period))[1]
	return [
		figure("returns", _lt("Returns"), len({(line.document_type, line.document) for line in lines})),
		figure("return_lines", _lt("Returned Lines"), len(lines)),
		figure("qty", _lt("Returned Qty"), flt(sum(flt(line.qty) for line in lines), 3), "Float"),
		figure("amount", _lt("Returned Amount"), flt(sum(flt(line.amount) for line in lines)), "Currency"),
	]


def repair_figures(period: dict) -> list[dict]:
	"""Repair Statistics: the warranty claims reported in the period, by fault category summed up."""
	rows = repair_statistics.execute({**period, "group_by": "Fault Category"})[1]
	total = lambda field: sum(flt(row.get(field)) for row in rows)  # noqa: E731
	return [
		figure("claims", _lt("Repairs"), int(total("claims"))),
		figure("closed", _lt("Repairs Closed"), int(total("closed"))),
		figure("repair_cost", _lt("Repair Cost"), total("repair_cost"), "Currency"),
		figure("parts_cost", _lt("Parts Cost"), total("parts_cost"), "Currency"),
	]


def visit_figures(period: dict) -> list[dict]:
	"""The visits of the approved plans due in the period, of them those made (a submitted visit of the
	plan to the customer, on any day), and the visits recorded in the period, on a plan or outside it."""
	plan = frappe.db.sql(
		"""select count(*) as planned,
			coalesce(sum(exists(select 1 from `tabCustomer Visit` v where v.docstatus = 1
				and v.visit_plan = p.name and v.customer = i.customer)), 0) as made
		from `tabCustomer Visit Plan Item` i
		join `tabCustomer Visit Plan` p on p.name = i.parent and i.parenttype = 'Customer Visit Plan'
		where p.workflow_state = %(approved)s and i.visit_date between %(from_date)s and %(to_date)s""",
		{**period, "approved": visit_rules.APPROVED},
		as_dict=True,
	)[0]
	made, outside = frappe.db.sql(
		"""select count(*), coalesce(sum(unplanned), 0) from `tabCustomer Visit`
		where docstatus = 1 and visit_date between %(from_date)s and %(to_date)s""",
		period,
	)[0]
	planned, done = int(plan.planned), int(plan.made)
	return [
		figure("planned", _lt("Planned Visits"), planned),
		figure("plan_made", _lt("Planned Visits Made"), done),
		figure("plan_done_pct", _lt("Planned Visits Made %"), share(done, planned), "Percent"),
		figure("made", _lt("Visits Made"), int(made)),
		figure("outside_plan", _lt("Visits outside a Plan"), int(outside)),
	]


def call_figures(period: dict) -> list[dict]:
	"""Hotline Statistics of the period in one row."""
	rows = hotline_statistics.execute({**period, "group_by": "Whole Period"})[1]
	row = rows[0] if rows else frappe._dict()
	return [
		figure("calls", _lt("Calls"), row.get("calls") or 0),
		figure("incoming", _lt("Incoming Calls"), row.get("incoming") or 0),
		figure("outgoing", _lt("Outgoing Calls"), row.get("outgoing") or 0),
		figure("answered", _lt("Incoming Calls Answered"), row.get("answered") or 0),
		figure("answered_pct", _lt("Incoming Calls Answered %"), row.get("answered_pct"), "Percent"),
		figure("mean_wait", _lt("Mean Wait (Seconds)"), row.get("mean_wait"), "Float"),
		figure("mean_talk", _lt("Mean Talking Time (Seconds)"), row.get("mean_talk"), "Float"),
		figure("complaints", _lt("Complaints from Calls"), row.get("complaints") or 0),
	]


def formatted(item: dict) -> str:
	"""A figure as the user reads it (numbers in the site's format, the currency the default one);
	not escaped."""
	if item["value"] is None:
		return "—"
	if item["fieldtype"] == "Data":
		return _(str(item["value"]))  # a campaign's name, or "Yes" / "No"
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
