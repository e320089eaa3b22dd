{% include "cs_procedures/cs_procedures/report/after_sales_filters.js" %}

frappe.query_reports["Repair Statistics"] = {
	filters: [
		...cs_procedures.after_sales_period_filters(),
		...cs_procedures.customer_and_item_filters(),
		{
			fieldname: "fault_category",
			label: __("Fault Category"),
			fieldtype: "Select",
			options: cs_procedures.translated_options([
				"",
				"Electrical",
				"Mechanical",
				"Appearance",
				"Performance",
				"Installation",
				"Other",
			]),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: cs_procedures.translated_options(["", "Open", "Work In Progress", "Closed", "Cancelled"]),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: cs_procedures.translated_options(["", "Fault Category", "Item"]),
		},
	],
};
