"""The customer's service home on the portal: their complaints, the surveys waiting for them, past
surveys with their results (when CS Settings shares them), and their property the company holds
(003: what, how much, the inspection result, where it stands)."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from cs_procedures import portal
from cs_procedures.cs_procedures.doctype.customer_complaint import portal_views
from cs_procedures.procedures import portal as rules
from cs_procedures.www.complaints.index import portal_page

no_cache = 1
RESPONSE = "Satisfaction Survey Response"
PROPERTY_GONE = ("Returned", "Consumed", "Disposed")  # no longer held by the company


def get_context(context):
	portal_page(context, _("Customer Service"), "/service")
	return service_context(context)


@frappe.read_only()  # on a site with a read replica, the page reads from it
def service_context(context):
	customers = context.customers = portal.portal_customers()
	if not customers:
		return context
	complaints = portal_views.complaint_rows(customers)
	context.open_complaints = [row for row in complaints if row.state_words != rules.CLOSED]
	context.complaint_count = len(complaints)
	context.waiting_surveys = frappe.db.count(
		RESPONSE,
		{"customer": ("in", customers), "status": "Invited", "token_expires_on": (">=", now_datetime())},
	)
	context.share_results = bool(frappe.db.get_single_value("CS Settings", "share_survey_results_on_portal"))
	context.past_surveys = past_surveys(customers) if context.share_results else []
	context.property = property_held(customers)
	return context


def past_surveys(customers) -> list[dict]:
	rows = frappe.get_all(
		RESPONSE,
		filters={"customer": ("in", customers), "status": "Answered"},
		fields=["name", "campaign", "customer_name", "answered_on", "score", "satisfaction"],
		order_by="answered_on desc",
		limit=50,
		ignore_permissions=True,  # the customer's own answered surveys only (filter above)
	)
	titles = dict(
		frappe.get_all(
			"Satisfaction Survey Campaign",
			filters={"name": ("in", [row.campaign for row in rows] or [""])},
			fields=["name", "title"],
			as_list=True,
		)
	)
	for row in rows:
		row.title = titles.get(row.campaign) or row.campaign
	return rows


def property_held(customers) -> list[dict]:
	"""The customer's property still in the company's hands (not returned, consumed or disposed)."""
	return frappe.get_all(
		"Customer Property",
		filters={"customer": ("in", customers), "status": ("not in", PROPERTY_GONE), "docstatus": ("<", 2)},
		fields=[
			"name",
			"customer_name",
			"kind",
			"item_code",
			"description",
			"qty",
			"uom",
			"inspection_result",
			"status",
			"received_on",
			"retention_until",
		],
		order_by="received_on desc",
		limit=200,
		ignore_permissions=True,  # the customer's own property only (filter above)
	)
