"""Complaint Statistics reads the submitted complaints summed per month and per day (complaint_summary.py):
on a site in use, the complaint's indexes are made, then every complaint's repeat flag and the summary
from the complaints it holds."""

from cs_procedures import complaint_summary
from cs_procedures.cs_procedures.doctype.customer_complaint.customer_complaint import on_doctype_update


def execute():
	on_doctype_update()  # its indexes, which Frappe adds only when the doctype's file changes
	complaint_summary.rebuild()
