"""Complaint Statistics reads the submitted complaints summed per month and per day (complaint_summary.py):
on a site in use, the complaint's indexes are made, then every complaint's repeat flag and the summary
from the complaints it holds; the report runs live again (it was a prepared report, see
v0_2/prepared_complaint_reports; Frappe keeps a site's own setting when it syncs the report)."""

import frappe

from cs_procedures import complaint_summary
from cs_procedures.cs_procedures.doctype.customer_complaint.customer_complaint import on_doctype_update


def execute():
	on_doctype_update()  # its indexes, which Frappe adds only when the doctype's file changes
	complaint_summary.rebuild()
	if frappe.db.exists("Report", "Complaint Statistics"):
		frappe.db.set_value("Report", "Complaint Statistics", "prepared_report", 0)
