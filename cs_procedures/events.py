"""Document events on ERPNext and Frappe doctypes (registered in hooks.py doc_events)."""

import frappe


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
			communication.content,
			update_modified=False,
		)
