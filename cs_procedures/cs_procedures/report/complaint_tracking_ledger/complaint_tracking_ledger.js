{% include "cs_procedures/cs_procedures/report/complaint_filters.js" %}

frappe.query_reports["Complaint Tracking Ledger"] = {
	filters: [
		...cs_procedures.complaint_report_filters(),
		{ fieldname: "open_only", label: __("Open Only"), fieldtype: "Check" },
		{ fieldname: "overdue_only", label: __("Overdue Only"), fieldtype: "Check" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (["sheet_on_time", "countermeasure_on_time"].includes(column.fieldname) && data) {
			const late = data[column.fieldname] === __("No");
			if (data[column.fieldname]) value = `<span class="indicator-pill ${late ? "red" : "green"}">${value}</span>`;
		}
		return value;
	},
};
