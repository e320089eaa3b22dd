frappe.listview_settings["Customer Grade Record"] = {
	onload(listview) {
		if (!frappe.user.has_role("CS Manager") && !frappe.user.has_role("System Manager")) {
			return;
		}
		listview.page.add_inner_button(__("Grade Customers"), () => {
			frappe.prompt(
				[
					{
						fieldname: "year",
						label: __("Grading Year"),
						fieldtype: "Int",
						reqd: 1,
						default: new Date().getFullYear() - 1,
					},
				],
				(values) =>
					frappe
						.xcall(
							"cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record.enqueue_grading",
							{ year: values.year }
						)
						.then((message) => frappe.show_alert({ message, indicator: "blue" })),
				__("Grade Customers"),
				__("Start Grading")
			);
		});
	},
};
