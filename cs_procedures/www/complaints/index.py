"""The customer's complaints on the portal: each with its state in the customer's words and the
date they may expect an answer; never another customer's."""

import frappe
from frappe import _

from cs_procedures import portal
from cs_procedures.cs_procedures.doctype.customer_complaint import portal_views

no_cache = 1


def get_context(context):
	portal_page(context, _("My Complaints"), "/complaints")
	if context.customers:
		context.complaints = portal_views.complaint_rows(context.customers)
	return context


def portal_page(context, title: str, path: str) -> None:
	"""What every customer page starts with: a logged-in user (else the login page), the CSRF
	token for the page's posts, and the user's customers (none: the page says it is not theirs)."""
	from frappe.sessions import get_csrf_token

	context.no_cache = 1
	context.show_sidebar = True
	context.title = title
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + path
		raise frappe.Redirect(302)  # temporary: browsers must not cache it
	get_csrf_token()  # the page carries it; its posts are sent with it
	context.customers = portal.portal_customers()
