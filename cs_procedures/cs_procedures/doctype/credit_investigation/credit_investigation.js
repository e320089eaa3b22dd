// 客户信用调查表: a reviewed investigation proposes a credit change (approved by the role CS Settings names).
frappe.ui.form.on("Credit Investigation", {
	refresh(frm) {
		if (frm.doc.docstatus === 1 && frappe.model.can_create("Credit Change")) {
			frm.add_custom_button(
				__("Credit Change"),
				() =>
					frappe.model.open_mapped_doc({
						method: "cs_procedures.cs_procedures.doctype.credit_investigation.credit_investigation.make_credit_change",
						frm,
					}),
				__("Create")
			);
		}
	},
});
