// Filters shared by the complaint reports (Complaint Tracking Ledger, Complaint Statistics),
// included into their scripts by Frappe (an include directive on the first line of the report's .js).
frappe.provide("cs_procedures");

cs_procedures.complaint_report_filters = () => [
	{
		fieldname: "from_date",
		label: __("From Date"),
		fieldtype: "Date",
		default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
	},
	{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
	{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	{
		fieldname: "complaint_type",
		label: __("Complaint Type"),
		fieldtype: "Select",
		options: ["", "Quality", "Quantity", "Delivery", "Service", "Coordination", "Other"].map((value) => ({
			value,
			label: __(value),
		})),
	},
	{
		fieldname: "responsible_department",
		label: __("Responsible Department"),
		fieldtype: "Link",
		options: "Department",
	},
	{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
];
