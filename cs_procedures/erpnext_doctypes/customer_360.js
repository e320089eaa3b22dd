// Customer 360 (cs_procedures.erpnext_doctypes.customer_360): the HTML is rendered on the server, values escaped.
frappe.ui.form.on("Customer", {
	refresh(frm) {
		const html = frm.doc.__onload && frm.doc.__onload.cs_360;
		if (!html || frm.is_new()) {
			return;
		}
		// the dashboard drops its "custom" sections on each refresh
		frm.dashboard.add_section(html, __("Customer 360"));
		frm.dashboard.show();
	},
});
