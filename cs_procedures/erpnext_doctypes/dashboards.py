"""Connections to Customer Complaint on ERPNext's own dashboards (override_doctype_dashboards)."""

from frappe import _


def _with_complaints(data, fieldname: str):
	if fieldname != data.get("fieldname"):
		data.setdefault("non_standard_fieldnames", {})["Customer Complaint"] = fieldname
	data.setdefault("transactions", []).append(
		{"label": _("Customer Service"), "items": ["Customer Complaint"]}
	)
	return data


def customer(data):
	data = _with_complaints(data, "customer")
	data["transactions"].append(
		{"label": _("Satisfaction Surveys"), "items": ["Satisfaction Survey Response"]}
	)
	data["transactions"].append(
		{
			"label": _("Grades and Key Accounts"),
			"items": ["Customer Grade Record", "Customer Grade Change", "Key Account Plan"],
		}
	)
	return data


def sales_order(data):
	data = _with_complaints(data, "sales_order")
	data["transactions"].append({"label": _("Order Review"), "items": ["Order Review"]})
	data.setdefault("non_standard_fieldnames", {})["Order Review"] = "sales_order"
	return data


def delivery_note(data):
	return _with_complaints(data, "delivery_note")


def sales_invoice(data):
	return _with_complaints(data, "sales_invoice")
