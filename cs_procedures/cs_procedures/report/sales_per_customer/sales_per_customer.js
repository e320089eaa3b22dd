{% include "cs_procedures/cs_procedures/report/after_sales_filters.js" %}

frappe.query_reports["Sales per Customer"] = {
	filters: [
		...cs_procedures.after_sales_period_filters(),
		{
			fieldname: "range",
			label: __("Range"),
			fieldtype: "Select",
			options: cs_procedures.translated_options(["Monthly", "Quarterly"]),
			default: "Monthly",
			reqd: 1,
		},
		...cs_procedures.customer_scope_filters(),
	],
};
