frappe.query_reports["Customer Watch List"] = {
	filters: [
		{
			fieldname: "status",
			label: __("Watch List"),
			fieldtype: "Select",
			options: ["At Risk", "Excellent", "All"].map((value) => ({ value, label: __(value) })),
			default: "At Risk",
			reqd: 1,
		},
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
	],
};
