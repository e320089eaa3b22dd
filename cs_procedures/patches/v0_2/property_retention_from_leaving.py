"""The register keeps a customer property record a year after the lot left (HT-QR-MA-10), not after
its receipt: records of lots still held get no retention date, closed ones their closing date + 1 year."""

import frappe
from frappe.utils import getdate

from cs_procedures.procedures import property as rules


def execute():
	for row in frappe.get_all("Customer Property", fields=["name", "closed_on"]):
		until = rules.retention_until(getdate(row.closed_on) if row.closed_on else None)
		frappe.db.set_value("Customer Property", row.name, "retention_until", until, update_modified=False)
