frappe.query_reports["Customer Grade Table"] = {
	filters: [
		{
			fieldname: "year",
			label: __("Grading Year"),
			fieldtype: "Int",
			reqd: 1,
			default: new Date().getFullYear() - 1,
		},
		{
			fieldname: "grade",
			label: __("Customer Grade"),
			fieldtype: "Select",
			options: ["", "A", "B", "C", "D", "E"],
		},
	],
};
