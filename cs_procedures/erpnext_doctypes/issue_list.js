// Issues logged as complaints brought into the complaint procedure (cs_procedures/erpnext_doctypes/issues.py).
frappe.listview_settings["Issue"] = frappe.listview_settings["Issue"] || {};
{
	const settings = frappe.listview_settings["Issue"];
	const erpnext_onload = settings.onload;
	settings.onload = function (listview) {
		if (erpnext_onload) erpnext_onload(listview);
		listview.page.add_inner_button(__("Convert to Customer Complaints"), () => cs_convert_issues());
	};
}

function cs_convert_issues() {
	const dialog = new frappe.ui.Dialog({
		title: __("Convert to Customer Complaints"),
		fields: [
			{ fieldname: "customer", fieldtype: "Link", options: "Customer", label: __("Customer") },
			{ fieldname: "issue_type", fieldtype: "Link", options: "Issue Type", label: __("Issue Type") },
			{ fieldname: "from_date", fieldtype: "Date", label: __("Opened From") },
			{ fieldname: "to_date", fieldtype: "Date", label: __("Opened To") },
			{
				fieldname: "complaint_type",
				fieldtype: "Select",
				label: __("Complaint Type"),
				options: ["Quality", "Quantity", "Delivery", "Service", "Coordination", "Other"],
				default: "Other",
				description: __("For Issues whose type is not a complaint type."),
			},
			{ fieldname: "close_issues", fieldtype: "Check", label: __("Close the Issues") },
		],
		primary_action_label: __("Convert"),
		primary_action(values) {
			frappe.call("cs_procedures.erpnext_doctypes.issues.convert_issues", values).then(({ message }) => {
				dialog.hide();
				frappe.show_alert(__("{0} Issues are being converted in the background.", [message.count]));
			});
		},
	});
	dialog.show();
}

frappe.realtime.on("cs_issues_converted", ({ converted, failed }) => {
	frappe.msgprint(
		__("{0} Issues converted to complaints; {1} could not be (see the Error Log).", [converted, failed]),
		__("Convert to Customer Complaints")
	);
});
