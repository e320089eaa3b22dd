frappe.ui.form.on("Customer Visit Liaison", {
	refresh(frm) {
		if (frm.doc.docstatus !== 1 || !frappe.user.has_role("CS Department Head")) return;
		if ((frm.doc.departments || []).some((row) => !row.acknowledged_by)) {
			frm.add_custom_button(__("Acknowledge for My Department"), () =>
				frappe
					.call({
						method: "cs_procedures.cs_procedures.doctype.customer_visit_liaison.customer_visit_liaison.acknowledge",
						args: { liaison: frm.doc.name },
					})
					.then(() => frm.reload_doc())
			);
		}
	},
});
