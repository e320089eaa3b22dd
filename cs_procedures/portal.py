"""The customer's portal, whatever page: who the logged-in customer is, the CSRF check every
portal post passes, and the arguments a page sends, checked.

A portal user is a Website User named in a Customer's Portal Users. They hold no desk permission
on the procedures' doctypes: they read and act only through the pages under `cs_procedures/www`
and the functions beside each doctype (`customer_complaint/portal_api.py`, `www/survey.py`), which
check that the record belongs to one of their customers and then act as the procedure
(`ignore_permissions`, the portal user named in the record). Whatever else a client sends
(customer, state, channel, dates) is not taken: the server sets them.
"""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime

# -- who the customer is ---------------------------------------------------------------------


def portal_customers() -> list[str]:
	"""The customers whose portal user the logged-in user is (never every customer, as ERPNext's
	`get_customers_suppliers` gives staff who may read customers)."""
	user = frappe.session.user
	if user == "Guest" or frappe.get_cached_value("User", user, "user_type") != "Website User":
		return []
	return frappe.get_all(
		"Portal User", filters={"parenttype": "Customer", "user": user}, pluck="parent", distinct=True
	)


def require_customers() -> list[str]:
	customers = portal_customers()
	if not customers:
		frappe.throw(
			_("Only a portal user of one of our customers can use this page."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	return customers


def check_csrf_token() -> None:
	"""A logged-in user's posts (complaints, survey answers) come from the portal pages, which carry
	the session's CSRF token.

	Frappe checks the token only when the session holds one, and a portal user's session holds
	none until a page asks for it: here it is always required."""
	if frappe.session.user == "Guest" or frappe.get_request_header("Authorization"):
		return  # no session cookie to abuse, or an API key instead of a browser session
	expected = frappe.session.data.csrf_token
	if not expected or frappe.get_request_header("X-Frappe-CSRF-Token") != expected:
		frappe.throw(
			_("Open the page again and send it from there."),
			frappe.CSRFTokenError,
			title=_("Invalid Request"),
		)


# -- the arguments a page sends ----------------------------------------------------------------


def text_argument(value, label: str, length: int, required: bool = False) -> str:
	if value is not None and not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(label), title=_("Invalid Request"))
	value = (value or "").strip()
	if required and not value:
		frappe.throw(_("Please fill in {0}.").format(label), title=_("Missing Information"))
	if len(value) > length:
		frappe.throw(
			_("{0} is too long: at most {1} characters.").format(label, length), title=_("Invalid Request")
		)
	return value


def choice_argument(value, label: str, options) -> str | None:
	if value in (None, ""):
		return None
	if value not in options:
		frappe.throw(_("{0} is not a valid choice for {1}.").format(str(value)[:40], label))
	return value


def number_argument(value, label: str) -> float | None:
	if value in (None, ""):
		return None
	try:
		number = float(value)
	except (TypeError, ValueError):
		number = -1
	if number < 0 or number != number or number > 1e12:
		frappe.throw(_("{0} must be a positive number.").format(label), title=_("Invalid Request"))
	return flt(number)


def as_datetime(value):
	return get_datetime(value) if value else None
