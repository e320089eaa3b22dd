{% include "cs_procedures/cs_procedures/report/after_sales_filters.js" %}

frappe.query_reports["Return and Exchange Summary"] = {
	filters: [
		...cs_procedures.after_sales_period_filters(),
		...cs_procedures.customer_and_item_filters(),
		{
			fieldname: "reason",
			label: __("Reason"),
			fieldtype: "Select",
			options: cs_procedures.translated_options([
				"",
				"Quality Defect",
				"Wrong Item",
				"Wrong Quantity",
				"Damaged in Transit",
				"Not as Ordered",
				"Other",
				"Not Recorded",
			]),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: cs_procedures.translated_options(["", "Reason", "Customer", "Item"]),
		},
	],
};
