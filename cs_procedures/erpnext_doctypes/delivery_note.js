{% include "cs_procedures/erpnext_doctypes/complaint_button.js" %}

frappe.ui.form.on("Delivery Note", {
	refresh(frm) {
		cs_procedures_add_complaint_button(frm);
	},
});
