{% include "cs_procedures/cs_procedures/report/complaint_filters.js" %}

frappe.query_reports["Complaint Statistics"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Month", "Complaint Type", "Responsible Department", "Customer", "Item", "Cause", "Stage at Fault", "Whole Period"].map((value) => ({
				value,
				label: __(value),
			})),
			default: "Month",
			reqd: 1,
		},
		...cs_procedures.complaint_report_filters(),
	],
};
