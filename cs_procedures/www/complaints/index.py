"""The customer's complaints on the portal: each with its state in the customer's words and the
date they may expect an answer; never another customer's."""

import frappe
from frappe import _

from cs_procedures import portal
from cs_procedures.cs_procedures.doctype.customer_complaint import portal_views

no_cache = 1


def get_context(context):
	portal_page(context, _("My Complaints"), "/complaints")
	return complaints_context(context)


@frappe.read_only()  # on a site with a read replica, the page reads from it
def complaints_context(context):
	context.customers = portal.portal_customers()
	if context.customers:
		context.complaints = portal_views.complaint_rows(context.customers)
	return context


def portal_page(context, title: str, path: str) -> None:
	"""What every customer page starts with: a logged-in user (else the login page) and the CSRF
	token for the page's posts. Making the token writes the session, so it happens here, on the
	primary database, before the page's reads (`@frappe.read_only()`, a replica where the site has
	one), which find the user's customers first (none: the page says it is not theirs)."""
	from frappe.sessions import get_csrf_token

	context.no_cache = 1
	context.show_sidebar = True
	context.title = title
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + path
		raise frappe.Redirect(302)  # temporary: browsers must not cache it
	get_csrf_token()  # the page carries it; its posts are sent with it
