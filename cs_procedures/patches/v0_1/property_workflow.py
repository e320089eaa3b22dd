"""Customer property kept before the workflow "Customer Property": its status followed its facts.

Each record gets the workflow state its facts give it (`rules.migrated_state`: an inspected lot not
yet stored is Inspected, a nonconforming lot whose customer was told is Customer Notified), and its
status mirrors that state. A closed record keeps its outcome. Safe to run again: a record that
already has a workflow state is left as it is.
"""

import frappe

from cs_procedures.procedures import property as rules


def execute():
	for row in frappe.get_all(
		"Customer Property",
		filters={"workflow_state": ("is", "not set")},
		fields=["name", "status", "inspection_result", "nonconformity", "customer_notified_on", "warehouse"],
	):
		state = rules.migrated_state(
			row.status,
			rules.Facts(
				inspection_result=row.inspection_result,
				nonconformity=row.nonconformity,
				customer_notified=bool(row.customer_notified_on),
				stored=bool(row.warehouse),
			),
		)
		frappe.db.set_value(
			"Customer Property", row.name, {"workflow_state": state, "status": state}, update_modified=False
		)
