{% include "cs_procedures/erpnext_doctypes/complaint_button.js" %}

frappe.ui.form.on("Sales Order", {
	refresh(frm) {
		cs_procedures_add_complaint_button(frm);
		// "Create > Order Review" (003 5.1.3)
		if (frm.is_new() || frm.doc.docstatus === 2 || !frappe.model.can_create("Order Review")) return;
		frm.add_custom_button(
			__("Order Review"),
			() =>
				frappe.model.open_mapped_doc({
					method: "cs_procedures.cs_procedures.doctype.order_review.order_review.make_order_review",
					frm,
				}),
			__("Create")
		);
	},
});
