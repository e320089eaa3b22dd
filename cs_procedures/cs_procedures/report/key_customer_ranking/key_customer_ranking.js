frappe.query_reports["Key Customer Ranking"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Grading Year"),
			fieldtype: "Int",
			reqd: 1,
			default: new Date().getFullYear(),
		},
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company" },
		{ fieldname: "count", label: __("Customers per List"), fieldtype: "Int", default: 10 },
	],
};
