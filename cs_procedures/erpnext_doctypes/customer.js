{% include "cs_procedures/erpnext_doctypes/complaint_button.js" %}

frappe.ui.form.on("Customer", {
	refresh(frm) {
		cs_procedures_add_complaint_button(frm);
		// The customer's latest satisfaction (score less deductions) on the dashboard.
		if (frm.is_new() || !frappe.model.can_read("Satisfaction Survey Response")) return;
		frappe.db
			.get_list("Satisfaction Survey Response", {
				// scored responses: satisfaction is set when the campaign closes
				filters: { customer: frm.doc.name, status: "Answered", satisfaction: [">", 0] },
				fields: ["satisfaction", "campaign", "callback_todo"],
				order_by: "answered_on desc",
				limit: 1,
			})
			.then((rows) => {
				if (!rows.length) return;
				const { satisfaction, campaign, callback_todo } = rows[0];
				frm.dashboard.add_indicator(
					__("Latest satisfaction: {0} ({1})", [format_number(satisfaction, null, 1), campaign]),
					callback_todo ? "orange" : "green" // under the call-back mark
				);
			});
	},
});
