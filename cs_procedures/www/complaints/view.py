"""One complaint of the customer: its state in their words, the expected date, the reply, and
their answer to it (accept, or not and why: the complaint is reopened)."""

import frappe
from frappe import _

from cs_procedures import portal
from cs_procedures.cs_procedures.doctype.customer_complaint import portal_api, portal_views
from cs_procedures.www.complaints.index import portal_page

no_cache = 1


def get_context(context):
	portal_page(context, _("Complaint"), "/complaints")
	return complaint_context(context)


@frappe.read_only()  # on a site with a read replica, the page reads from it
def complaint_context(context):
	context.customers = portal.portal_customers()
	name = frappe.form_dict.get("name")
	name = name if isinstance(name, str) else None
	context.complaint = None
	if (
		context.customers
		and name
		and frappe.db.get_value(portal_views.COMPLAINT, name, "customer") in context.customers
	):
		context.complaint = portal_views.complaint_view(name)
		context.title = _("Complaint {0}").format(name)
		context.accept = ",".join(f".{extension}" for extension in sorted(portal_api.ATTACHMENT_EXTENSIONS))
		context.max_mb = portal_api.MAX_ATTACHMENT_BYTES // (1024 * 1024)
	return context
