frappe.ui.form.on("Order Review", {
	setup(frm) {
		frm.set_query("sales_order", () => ({ filters: { docstatus: ["<", 2] } }));
	},

	refresh(frm) {
		if (frm.doc.docstatus === 1 && frm.doc.gm_decision !== "Cancel Order" && frappe.model.can_cancel("Order Review")) {
			frm.add_custom_button(__("Request Change"), () => {
				const dialog = new frappe.ui.Dialog({
					title: __("Request Change"),
					fields: [
						{
							fieldname: "origin",
							label: __("Change Requested By"),
							fieldtype: "Select",
							options: [
								{ value: "Customer", label: __("Customer") },
								{ value: "Internal", label: __("Internal") },
							],
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
		}
		if (
			frm.doc.docstatus === 0 &&
			frm.doc.change_origin === "Internal" &&
			!frm.doc.vp_approved_by &&
			frappe.user.has_role("CS Vice President")
		) {
			frm.add_custom_button(__("Approve Change"), () => frm.call("approve_change").then(() => frm.reload_doc()));
		}
	},
});
