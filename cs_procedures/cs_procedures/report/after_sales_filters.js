// The period filters of the after-sales and customer reports (Return and Exchange Summary, Repair
// Statistics, After-Sales Quality Summary, Customers by Territory, Sales per Customer, Customer Gross Margin
// Ranking), included into their scripts by Frappe's include directive. This file must
// not name that directive itself: Frappe renders includes again while the text holds one.
frappe.provide("cs_procedures");

cs_procedures.after_sales_period_filters = () => [
	{
		fieldname: "from_date",
		label: __("From Date"),
		fieldtype: "Date",
		default: frappe.datetime.year_start(),
		reqd: 1,
	},
	{
		fieldname: "to_date",
		label: __("To Date"),
		fieldtype: "Date",
		default: frappe.datetime.get_today(),
		reqd: 1,
	},
];

// the customer and item filters of Return and Exchange Summary and Repair Statistics
cs_procedures.customer_and_item_filters = () => [
	{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
];

// Select options stored in English, shown in the user's language
cs_procedures.translated_options = (values) => values.map((value) => ({ value, label: __(value) }));

// the company, customer group and territory of the customer reports (002 ch7 §4–7)
cs_procedures.customer_scope_filters = () => [
	{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
	{ fieldname: "customer_group", label: __("Customer Group"), fieldtype: "Link", options: "Customer Group" },
	{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory" },
];
