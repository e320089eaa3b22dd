frappe.ui.form.on("Satisfaction Survey Response", {
	refresh(frm) {
		const staff = frappe.user.has_role("CS Officer") || frappe.user.has_role("CS Manager");
		if (frm.is_new() || !staff || frm.doc.status !== "Answered" || !frm.doc.comments || frm.doc.complaint) {
			return;
		}
		frm.add_custom_button(__("Make Complaint"), () => {
			frappe.prompt(
				[
					{
						fieldname: "complaint_type",
						fieldtype: "Select",
						label: __("Complaint Type"),
						options: ["Quality", "Quantity", "Delivery", "Service", "Coordination", "Other"].map((value) => ({
							value,
							label: __(value),
						})),
						default: "Service",
						reqd: 1,
					},
					{ fieldname: "subject", fieldtype: "Data", label: __("Subject") },
				],
				(values) =>
					frm.call("make_complaint", values).then((r) => {
						frm.reload_doc();
						frappe.set_route("Form", "Customer Complaint", r.message);
					}),
				__("Make a Complaint from the Comments"),
				__("Make Complaint")
			);
		});
	},
});
