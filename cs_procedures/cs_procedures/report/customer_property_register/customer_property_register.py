"""顾客财产登记表 (HT-QR-MA-10): one line per lot of customer property, as on the paper register."""

import frappe

from cs_procedures.cs_procedures.report.columns import declared, escape_values, translate_values


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
	return declared(__file__)
