"""Document events on ERPNext and Frappe doctypes (registered in hooks.py doc_events)."""

import frappe
from frappe import _
from frappe.utils.html_utils import sanitize_html


def describe_complaint_from_email(communication, method=None):
	"""A complaint created from an incoming e-mail takes the e-mail's text as its description."""
	if (
		communication.reference_doctype != "Customer Complaint"
		or communication.sent_or_received != "Received"
		or not communication.reference_name
		or not communication.content
	):
		return
	if not frappe.db.get_value("Customer Complaint", communication.reference_name, "description"):
		frappe.db.set_value(
			"Customer Complaint",
			communication.reference_name,
			"description",
			sanitize_html(
				communication.content
			),  # set directly, so Frappe's Text Editor sanitizer did not run
			update_modified=False,
		)


def verify_survey_action_before_completion(action, method=None):
	"""A Quality Action raised by a satisfaction survey closes only once its effect is verified (003 §5.1.5)."""
	if (
		action.get("cs_survey_campaign")
		and action.status == "Completed"
		and not action.get("cs_effect_verified")
	):
		frappe.throw(
			_("Verify the effectiveness of the action before completing it."),
			title=_("Effectiveness Not Verified"),
		)
