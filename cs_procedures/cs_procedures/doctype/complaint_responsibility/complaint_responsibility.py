import frappe

from cs_procedures import guards


class ComplaintResponsibility(guards.ProcedureRow):
	"""One department named on a complaint sheet, with the approval of its part of the countermeasure."""


def on_doctype_update():
	# the tracking ledger shows, for each complaint, its departments and how each one's approval stands:
	# with every field it reads in the index, a month of complaints at a million reads no row of the table
	frappe.db.add_index(
		"Complaint Responsibility", ["parent", "parenttype", "idx", "department", "share", "approved_on"]
	)
