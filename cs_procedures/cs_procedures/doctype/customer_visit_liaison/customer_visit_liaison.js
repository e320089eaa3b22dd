frappe.ui.form.on("Customer Visit Liaison", {
	refresh(frm) {
		const staff = frappe.user.has_role("CS Officer") || frappe.user.has_role("CS Manager");
		if (frm.doc.docstatus === 1 && staff) {
			// 000 II-3: the visitor answers the satisfaction survey on leaving the factory
			frm.add_custom_button(__("Visitor's Survey"), () =>
				frappe
					.call({
						method: "cs_procedures.cs_procedures.doctype.customer_visit_liaison.customer_visit_liaison.make_visitor_survey",
						args: { liaison: frm.doc.name },
					})
					.then((r) => frappe.set_route("Form", "Satisfaction Survey Campaign", r.message))
			);
		}
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
