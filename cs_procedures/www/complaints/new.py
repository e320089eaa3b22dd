"""File a complaint on the portal: the pickers offer the customer's own orders, deliveries and
the items they bought (the server checks them again: customer_complaint/portal_api.file_complaint)."""

import frappe
from frappe import _

from cs_procedures import portal
from cs_procedures.cs_procedures.doctype.customer_complaint import portal_api, portal_views
from cs_procedures.procedures import portal as rules
from cs_procedures.www.complaints.index import portal_page

no_cache = 1


def get_context(context):
	portal_page(context, _("File a Complaint"), "/complaints/new")
	return new_complaint_context(context)


@frappe.read_only()  # on a site with a read replica, the pickers are read from it
def new_complaint_context(context):
	context.customers = portal.portal_customers()
	if not context.customers:
		return context
	context.customer_names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", context.customers)},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	context.sales_orders = portal_views.own_sales_orders(context.customers)
	context.delivery_notes = portal_views.own_delivery_notes(context.customers)
	context.items = portal_views.own_items(context.customers)
	context.complaint_types = [(value, _(value)) for value in rules.COMPLAINT_TYPES]
	context.requests = [(value, _(value)) for value in rules.REQUESTS]
	context.accept = ",".join(f".{extension}" for extension in sorted(portal_api.ATTACHMENT_EXTENSIONS))
	context.max_files, context.max_mb = (
		portal_api.MAX_ATTACHMENTS,
		portal_api.MAX_ATTACHMENT_BYTES // (1024 * 1024),
	)
	context.today = frappe.utils.nowdate()
	return context
