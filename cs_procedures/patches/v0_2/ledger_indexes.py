"""The tracking ledger's indexes on a site in use (Frappe adds a doctype's indexes only when its file
changes): the complaint's, and the one that gives each complaint's departments without reading the rows."""

from cs_procedures.cs_procedures.doctype.complaint_responsibility import complaint_responsibility
from cs_procedures.cs_procedures.doctype.customer_complaint import customer_complaint


def execute():
	customer_complaint.on_doctype_update()
	complaint_responsibility.on_doctype_update()
