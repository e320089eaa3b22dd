"""顾客财产登记表 (HT-QR-MA-10): one line per lot of customer property, as on the paper register."""

import frappe
from frappe import _

from cs_procedures.cs_procedures.report.columns import column, escape_values, translate_values


def execute(filters=None):
	filters = frappe._dict(filters or {})
	conditions = {}
	for field in ("customer", "kind", "status"):
		if filters.get(field):
			conditions[field] = filters[field]
	if filters.from_date and filters.to_date:
		conditions["received_on"] = ("between", (filters.from_date, filters.to_date))
	elif filters.from_date:
		conditions["received_on"] = (">=", filters.from_date)
	elif filters.to_date:
		conditions["received_on"] = ("<=", filters.to_date)
	rows = frappe.get_list(
		"Customer Property",
		filters=conditions,
		fields=[
			"name",
			"received_on",
			"customer",
			"customer_name",
			"kind",
			"delivery_reference",
			"item_code",
			"description",
			"qty",
			"uom",
			"inspection_result",
			"quality_inspection",
			"nonconformity",
			"customer_notified_on",
			"notification_method",
			"warehouse",
			"storage_location",
			"retention_until",
			"status",
			"closed_on",
		],
		order_by="received_on desc, name desc",
	)
	translate_values(rows, ("kind", "inspection_result", "notification_method", "status"))
	escape_values(
		rows, ("customer_name", "delivery_reference", "description", "nonconformity", "storage_location")
	)
	return columns(), rows


def columns():
	return [
		column("name", _("Record"), "Link", "Customer Property", 140),
		column("received_on", _("Received On"), "Date", width=100),
		column("customer", _("Customer"), "Link", "Customer"),
		column("customer_name", _("Customer Name"), width=160),
		column("kind", _("Kind"), width=110),
		column("delivery_reference", _("Customer Delivery Note No."), width=130),
		column("item_code", _("Item"), "Link", "Item"),
		column("description", _("Description"), width=200),
		column("qty", _("Quantity"), "Float", width=90),
		column("uom", _("UOM"), "Link", "UOM", 70),
		column("inspection_result", _("Inspection Result"), width=110),
		column("quality_inspection", _("Quality Inspection"), "Link", "Quality Inspection", 140),
		column("nonconformity", _("Nonconformity"), width=180),
		column("customer_notified_on", _("Customer Notified On"), "Datetime", width=150),
		column("notification_method", _("Notification Method"), width=110),
		column("warehouse", _("Warehouse"), "Link", "Warehouse", 140),
		column("storage_location", _("Storage Location"), width=120),
		column("retention_until", _("Retention Until"), "Date", width=100),
		column("status", _("Status"), width=110),
		column("closed_on", _("Closed On"), "Date", width=100),
	]
