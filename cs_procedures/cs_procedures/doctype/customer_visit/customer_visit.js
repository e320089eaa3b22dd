frappe.ui.form.on("Customer Visit", {
	refresh(frm) {
		if (frm.is_new()) return;
		const draft = frm.doc.docstatus === 0;
		if (draft && frm.doc.unplanned && !frm.doc.permitted_by) {
			frm.dashboard.set_headline(
				__("This visit is not in an approved visit plan: the CS manager's permission is needed before it is recorded."),
				"orange"
			);
			if (frm.doc.salesperson === frappe.session.user && !frm.doc.permission_requested_on) {
				frm.add_custom_button(__("Ask Permission"), () => frm.call("request_permission").then(() => frm.reload_doc()));
			}
			if (frappe.user.has_role("CS Manager")) {
				frm.add_custom_button(__("Permit Visit"), () => frm.call("permit").then(() => frm.reload_doc()));
			}
		}
		if (frm.doc.docstatus < 2 && frappe.model.can_create("Customer Complaint")) {
			frm.add_custom_button(
				__("Complaint"),
				() =>
					frappe.model.open_mapped_doc({
						method: "cs_procedures.cs_procedures.doctype.customer_visit.customer_visit.make_complaint",
						frm,
					}),
				__("Create")
			);
		}
	},
});
