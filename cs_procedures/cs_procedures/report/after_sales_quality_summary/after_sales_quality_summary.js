{% include "cs_procedures/cs_procedures/report/after_sales_filters.js" %}

frappe.query_reports["After-Sales Quality Summary"] = {
	filters: [
		...cs_procedures.after_sales_period_filters(),
		{ fieldname: "item_group", label: __("Item Group"), fieldtype: "Link", options: "Item Group" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	],
};
