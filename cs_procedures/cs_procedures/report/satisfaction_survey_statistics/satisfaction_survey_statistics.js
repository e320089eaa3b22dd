frappe.query_reports["Satisfaction Survey Statistics"] = {
	filters: [
		{
			fieldname: "campaign",
			label: __("Campaign"),
			fieldtype: "Link",
			options: "Satisfaction Survey Campaign",
			reqd: 1,
			get_query: () => ({ filters: { status: ["!=", "Draft"] } }),
		},
	],
};
