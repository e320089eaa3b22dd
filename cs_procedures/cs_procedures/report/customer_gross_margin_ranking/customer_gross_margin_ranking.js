{% include "cs_procedures/cs_procedures/report/after_sales_filters.js" %}

frappe.query_reports["Customer Gross Margin Ranking"] = {
	filters: [
		...cs_procedures.after_sales_period_filters(),
		...cs_procedures.customer_scope_filters(),
	],
};
