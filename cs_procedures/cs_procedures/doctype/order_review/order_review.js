// The review moves through its workflow (Actions menu). The server says which changes this user
// may raise on an approved version (__onload.change_origins).
frappe.ui.form.on("Order Review", {
	setup(frm) {
		frm.set_query("sales_order", () => ({ filters: { docstatus: ["<", 2] } }));
	},

	refresh(frm) {
		if (frm.doc.customer_watch_status === "At Risk") {
			frm.dashboard.set_headline_alert(
				__("The customer is on the at-risk watch list: weigh its overdue payments, complaints and returns before accepting the order."),
				"red"
			);
		}
		const origins = (frm.doc.__onload && frm.doc.__onload.change_origins) || [];
		if (!origins.length) return;
		frm.add_custom_button(__("Request Change"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Request Change"),
				fields: [
					{
						fieldname: "origin",
						label: __("Change Requested By"),
						fieldtype: "Select",
						options: origins.map((value) => ({ value, label: __(value) })),
						default: origins[0],
						reqd: 1,
					},
					{ fieldname: "reason", label: __("Reason for the Change"), fieldtype: "Small Text", reqd: 1 },
				],
				primary_action_label: __("Raise New Version"),
				primary_action(values) {
					frappe
						.call("cs_procedures.cs_procedures.doctype.order_review.order_review.request_change", {
							review: frm.doc.name,
							...values,
						})
						.then((r) => {
							dialog.hide();
							frappe.set_route("Form", "Order Review", r.message);
						});
				},
			});
			dialog.show();
		});
	},
});
