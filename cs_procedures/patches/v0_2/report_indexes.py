"""The complaint reports' indexes on a site in use (Frappe adds a doctype's indexes only when its file
changes): the complaint's; the one that gives the tracking ledger each complaint's departments without
reading the rows; the summary's by value, for Complaint Statistics with a customer, type or item filter."""

from cs_procedures.cs_procedures.doctype.complaint_responsibility import complaint_responsibility
from cs_procedures.cs_procedures.doctype.cs_complaint_summary import cs_complaint_summary
from cs_procedures.cs_procedures.doctype.customer_complaint import customer_complaint


def execute():
	for module in (customer_complaint, complaint_responsibility, cs_complaint_summary):
		module.on_doctype_update()
