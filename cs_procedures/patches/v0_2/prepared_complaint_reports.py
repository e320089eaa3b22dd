"""Complaint Statistics and the Complaint Tracking Ledger are prepared reports (made in the background, kept
for the filters they were made with): over 1,000,000 complaints they take longer than a request should
(see README, *Reads on a replica*). Frappe keeps a site's own `prepared_report` when it syncs a report's
JSON, so sites installed before need this once."""

import frappe

PREPARED = ("Complaint Statistics", "Complaint Tracking Ledger")


def execute():
	for report in PREPARED:
		if frappe.db.exists("Report", report):
			frappe.db.set_value("Report", report, "prepared_report", 1)
