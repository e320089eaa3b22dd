frappe.query_reports["Satisfaction Survey Follow-up Reply"] = {
	filters: [
		{
			fieldname: "campaign",
			label: __("Campaign"),
			fieldtype: "Link",
			options: "Satisfaction Survey Campaign",
			get_query: () => ({ filters: { status: "Closed" } }),
		},
	],
};
