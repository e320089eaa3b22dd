frappe.query_reports["Hotline Statistics"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Day", "Month", "Hour of Day", "Agent", "Call About", "Whole Period"].map((value) => ({ value, label: __(value) })),
			default: "Day",
			reqd: 1,
		},
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -1), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{
			fieldname: "type",
			label: __("Type"),
			fieldtype: "Select",
			options: [{ value: "", label: "" }, ...["Incoming", "Outgoing"].map((value) => ({ value, label: __(value) }))],
		},
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	],
};
