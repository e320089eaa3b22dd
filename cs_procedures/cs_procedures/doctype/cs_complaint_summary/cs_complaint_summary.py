"""A month's or a day's submitted complaints summed for one value of one dimension (Complaint Statistics)."""

import frappe

from cs_procedures import guards


class CSComplaintSummary(guards.ProcedureDocument):
	"""Written only by cs_procedures/complaint_summary.py, in SQL, with the complaints it sums."""


def on_doctype_update():
	# a grouping over a period
	frappe.db.add_index("CS Complaint Summary", ["dimension", "granularity", "period_start"])
	# one value's months or days: Complaint Statistics with a customer, type or item filter
	frappe.db.add_index("CS Complaint Summary", ["dimension", "value", "granularity", "period_start"])
