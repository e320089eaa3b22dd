"""Customer 360: what customer service knows of a customer, at a glance on the Customer form.

The values are read on the server (`summary`), each from the records the procedures keep, and
rendered to HTML here with every value escaped; the form script only places the HTML
(`__onload.cs_360`). Visits are shown only on a site that has the visit doctypes.
"""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import escape_html, formatdate, get_url_to_form, getdate

from cs_procedures.procedures import order_review as review_rules

CLOSED_COMPLAINT_STATES = ("Closed", "Not Accepted")
RETURNED_PROPERTY = ("Returned", "Consumed", "Disposed")  # no longer held
VISIT = "Customer Visit"
VISIT_PLAN_ITEM = "Customer Visit Plan Item"


def _readable(doctype: str) -> bool:
	return frappe.db.exists("DocType", doctype) and frappe.has_permission(doctype, "read")


def _has_fields(doctype: str, *fields: str) -> bool:
	"""The visit doctypes are another procedure's: read them only while they have these fields."""
	meta = frappe.get_meta(doctype)
	return all(meta.has_field(field) for field in fields)


@frappe.read_only()  # also from the Customer form's onload: on a site with a read replica, read there
def summary(customer: str) -> dict:
	"""The values of the Customer 360 of `customer`, each only where the user may read its doctype."""
	values = frappe.db.get_value(
		"Customer", customer, ["cs_grade", "cs_grade_year", "cs_key_customer"], as_dict=True
	)
	result = {"grade": values.cs_grade, "grade_year": values.cs_grade_year, "key": values.cs_key_customer}
	if _readable("Key Account Plan"):
		result["key_plan"] = frappe.db.get_value(
			"Key Account Plan",
			{"customer": customer, "docstatus": 1},
			["name", "plan_year"],
			as_dict=True,
			order_by="plan_year desc",
		)
	if _readable("Customer Grade Record") and values.cs_grade_year:
		result["grade_record"] = frappe.db.get_value(
			"Customer Grade Record",
			{"customer": customer, "grading_year": values.cs_grade_year},
			["name", "overridden"],
			as_dict=True,
		)
	result.update(_open_work(customer))
	result.update(_visits(customer))
	result.update(_credit(customer))
	return result


def _credit(customer: str) -> dict:
	"""The customer's file (where the user may read it), credit grade, limits, receivables and watch list."""
	values = frappe.db.get_value("Customer", customer, ["cs_credit_grade", "cs_watch_status"], as_dict=True)
	result = {"credit_grade": values.cs_credit_grade, "watch_status": values.cs_watch_status}
	if frappe.db.exists("Customer File", customer) and frappe.has_permission(
		"Customer File", "read", customer
	):
		result["customer_file"] = customer
	result["credit_limits"] = frappe.get_all(
		"Customer Credit Limit",
		filters={"parenttype": "Customer", "parent": customer},
		fields=["company", "credit_limit"],
		order_by="idx",
	)
	if frappe.has_permission("Sales Invoice", "read"):
		receivable = frappe.db.sql(
			"""select sum(outstanding_amount), sum(if(due_date < %s, outstanding_amount, 0))
			from `tabSales Invoice` where customer = %s and docstatus = 1 and outstanding_amount > 0""",
			(getdate(), customer),
		)[0]
		result["receivable"], result["overdue"] = receivable[0] or 0, receivable[1] or 0
	return result


def _open_work(customer: str) -> dict:
	"""The customer's open complaints and order reviews, property held, latest satisfaction."""
	result = {}
	if _readable("Customer Complaint"):
		result["open_complaints"] = frappe.db.count(
			"Customer Complaint",
			{
				"customer": customer,
				"docstatus": ("<", 2),
				"workflow_state": ("not in", CLOSED_COMPLAINT_STATES),
			},
		)
	if _readable("Satisfaction Survey Response"):
		result["satisfaction"] = frappe.db.get_value(
			"Satisfaction Survey Response",
			{"customer": customer, "status": "Answered"},
			["name", "satisfaction", "answered_on"],
			as_dict=True,
			order_by="answered_on desc",
		)
	if _readable("Customer Property"):
		result["property_held"] = frappe.db.count(
			"Customer Property", {"customer": customer, "status": ("not in", RETURNED_PROPERTY)}
		)
	if _readable("Order Review"):
		result["open_reviews"] = frappe.db.count(
			"Order Review",
			{
				"customer": customer,
				"docstatus": 0,
				"workflow_state": ("not in", review_rules.FINAL_STATES),
			},
		)
	return result


def _visits(customer: str) -> dict:
	"""The customer's last visit and next planned one (where this site has the visit doctypes)."""
	result = {}
	if _readable(VISIT) and _has_fields(VISIT, "customer", "visit_date"):
		visited = frappe.db.sql(
			"select max(visit_date) from `tabCustomer Visit` where customer = %s and docstatus = 1",
			customer,
		)
		result["last_visit"] = visited[0][0] if visited else None
	if (
		frappe.db.exists("DocType", VISIT_PLAN_ITEM)  # a child table: its plan's permission counts
		and _readable("Customer Visit Plan")
		and _has_fields(VISIT_PLAN_ITEM, "customer", "visit_date")
	):
		planned = frappe.db.sql(
			"""select min(item.visit_date) from `tabCustomer Visit Plan Item` item
			join `tabCustomer Visit Plan` plan on plan.name = item.parent
			where item.customer = %s and plan.docstatus < 2 and item.visit_date >= %s""",
			(customer, getdate()),
		)
		result["next_visit"] = planned[0][0] if planned else None
	return result


def _link(doctype: str, name: str, label: str) -> str:
	return f'<a href="{escape_html(get_url_to_form(doctype, name))}">{escape_html(label)}</a>'


def _list_link(doctype: str, customer: str, label: str) -> str:
	url = f"/app/{frappe.scrub(doctype).replace('_', '-')}?customer={quote(customer, safe='')}"
	return f'<a href="{escape_html(url)}">{escape_html(label)}</a>'


def render(customer: str, values: dict) -> str:
	"""The Customer 360 as HTML: labels translated, every value escaped."""
	items = []

	def add(label: str, html: str):
		items.append(
			f'<div class="col-sm-3 col-xs-6" style="margin-bottom: 8px">'
			f'<div class="text-muted small">{escape_html(label)}</div><div class="bold">{html}</div></div>'
		)

	none = escape_html(_("None"))
	grade = values.get("grade")
	if grade:
		text = _("{0} ({1})").format(grade, values.get("grade_year"))
		record = values.get("grade_record")
		if record and record.overridden:
			text = _("{0}, changed by the CS Manager").format(text)
		add(
			_("Customer Grade"),
			_link("Customer Grade Record", record.name, text) if record else escape_html(text),
		)
	else:
		add(_("Customer Grade"), escape_html(_("Not graded")))
	key_plan = values.get("key_plan")
	if key_plan:
		text = _("Yes: plan {0} for {1}") if values.get("key") else _("No (last plan {0} for {1})")
		add(
			_("Key Account"),
			_link("Key Account Plan", key_plan.name, text.format(key_plan.name, key_plan.plan_year)),
		)
	else:
		add(_("Key Account"), escape_html(_("Yes") if values.get("key") else _("No")))
	if "open_complaints" in values:
		add(
			_("Open Complaints"),
			_list_link("Customer Complaint", customer, str(values["open_complaints"])),
		)
	if "satisfaction" in values:
		response = values["satisfaction"]
		if response and response.satisfaction is not None:
			text = _("{0} on {1}").format(
				frappe.format(response.satisfaction, {"fieldtype": "Float", "precision": 1}),
				formatdate(response.answered_on),
			)
			add(_("Latest Satisfaction"), _link("Satisfaction Survey Response", response.name, text))
		else:
			add(_("Latest Satisfaction"), none)
	if "property_held" in values:
		add(_("Property Held"), _list_link("Customer Property", customer, str(values["property_held"])))
	if "open_reviews" in values:
		add(_("Open Order Reviews"), _list_link("Order Review", customer, str(values["open_reviews"])))
	if "last_visit" in values:
		last = values.get("last_visit")
		add(_("Last Visit"), escape_html(formatdate(last)) if last else none)
	if "next_visit" in values:
		upcoming = values.get("next_visit")
		add(_("Next Visit"), escape_html(formatdate(upcoming)) if upcoming else none)
	_render_credit(customer, values, add, none)
	return f'<div class="row cs-customer-360">{"".join(items)}</div>'


def _render_credit(customer: str, values: dict, add, none: str) -> None:
	if values.get("customer_file"):
		add(_("Customer File"), _link("Customer File", values["customer_file"], _("Open")))
	add(_("Credit Grade"), escape_html(values.get("credit_grade") or _("Not rated")))
	limits = values.get("credit_limits") or []
	add(
		_("Credit Limit"),
		"<br>".join(
			escape_html(f"{row.company}: {frappe.format(row.credit_limit, {'fieldtype': 'Currency'})}")
			for row in limits
		)
		or none,
	)
	if "receivable" in values:
		text = _("{0}, overdue {1}").format(
			frappe.format(values["receivable"], {"fieldtype": "Currency"}),
			frappe.format(values["overdue"], {"fieldtype": "Currency"}),
		)
		add(_("Receivable"), escape_html(text))
	status = values.get("watch_status")
	add(_("Watch List"), escape_html(_(status)) if status else none)


def load(customer, method=None):
	"""Customer onload: the Customer 360 for the form (`__onload.cs_360`)."""
	if customer.is_new():
		return
	customer.set_onload("cs_360", render(customer.name, summary(customer.name)))


@frappe.whitelist()
@frappe.read_only()
def customer_360(customer: str) -> dict:
	"""The Customer 360 values and HTML, for a user who may read the customer."""
	frappe.has_permission("Customer", "read", customer, throw=True)
	values = summary(customer)
	return {"values": values, "html": render(customer, values)}
