// 客户资料卡: from the file, the CS Manager rates the customer's category (a grade change, 000 I-2.1) and
// starts a credit investigation.
frappe.ui.form.on("Customer File", {
	refresh(frm) {
		if (frm.is_new()) return;
		const create = (doctype) =>
			frm.add_custom_button(
				__(doctype),
				() => frappe.new_doc(doctype, { customer: frm.doc.customer }),
				__("Create")
			);
		if (frappe.model.can_create("Customer Grade Change")) create("Customer Grade Change");
		if (frappe.model.can_create("Credit Investigation")) create("Credit Investigation");
		if (frappe.model.can_create("Customer Account Closure")) create("Customer Account Closure");
		if (frm.doc.watch_status === "At Risk") {
			frm.dashboard.set_headline_alert(__("On the watch list: at risk"), "red");
		}
	},
});
