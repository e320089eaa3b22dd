{% include "cs_procedures/cs_procedures/report/after_sales_filters.js" %}

frappe.query_reports["Customers by Territory"] = {
	filters: [
		...cs_procedures.after_sales_period_filters(),
		...cs_procedures.customer_scope_filters(),
	],
};
