frappe.query_reports["CS Monthly Figures"] = {
	filters: [
		{
			fieldname: "month",
			label: __("Month"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.month_start(), -1),
			reqd: 1,
		},
	],
	onload(report) {
		// the paper monthly summary (zh and en), rendered and escaped on the server
		report.page.add_inner_button(__("Print Monthly Summary"), () => {
			const month = report.get_filter_value("month");
			const page = window.open("", "_blank"); // opened on the click itself, or the browser blocks it
			frappe.call({
				method: "cs_procedures.figures.print_month",
				args: { month },
				callback: (r) => {
					page.document.write(r.message);
					page.document.close();
					page.focus();
					page.print();
				},
				error: () => page.close(),
			});
		});
	},
};
