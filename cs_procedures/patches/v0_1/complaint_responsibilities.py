"""Complaints made before a sheet could name several departments: their responsible department
becomes their one named department, approved when their countermeasure was."""

import frappe


def execute():
	named = set(frappe.get_all("Complaint Responsibility", pluck="parent", distinct=True))
	for complaint in frappe.get_all(
		"Customer Complaint",
		filters={"responsible_department": ("is", "set")},
		fields=["name", "responsible_department", "countermeasure_approved_by", "countermeasure_approved_on"],
	):
		if complaint.name in named:
			continue
		frappe.get_doc(
			{
				"doctype": "Complaint Responsibility",
				"name": frappe.generate_hash(length=10),
				"parent": complaint.name,
				"parenttype": "Customer Complaint",
				"parentfield": "responsibilities",
				"idx": 1,
				"department": complaint.responsible_department,
				"approved_by": complaint.countermeasure_approved_by,
				"approved_on": complaint.countermeasure_approved_on,
			}
		).db_insert()
