frappe.query_reports["Customer Property Register"] = {
	filters: [
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{
			fieldname: "kind",
			label: __("Kind"),
			fieldtype: "Select",
			options: ["", "Material", "Sample", "Label or Packaging", "Tooling", "Document", "Other"].map((v) => ({ value: v, label: __(v) })),
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: ["", "Received", "Inspected", "Nonconforming", "Customer Notified", "In Store", "Returned", "Consumed", "Disposed"].map((v) => ({ value: v, label: __(v) })),
		},
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -12) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "inspection_result" && data && data.inspection_result) {
			const colour = { [__("Rejected")]: "red", [__("Accepted")]: "green" }[data.inspection_result] || "gray";
			value = `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
