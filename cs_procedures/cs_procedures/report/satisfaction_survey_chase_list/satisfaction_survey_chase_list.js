frappe.query_reports["Satisfaction Survey Chase List"] = {
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
