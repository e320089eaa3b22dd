frappe.query_reports["Customer Visit Daily Report"] = {
	filters: [
		{ fieldname: "salesperson", label: __("Salesperson"), fieldtype: "Link", options: "User", default: frappe.session.user, reqd: 1 },
		{ fieldname: "date", label: __("Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
	],
};
