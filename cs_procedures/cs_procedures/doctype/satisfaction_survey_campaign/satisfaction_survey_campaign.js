frappe.ui.form.on("Satisfaction Survey Campaign", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.status !== "Closed" && frm.doc.__onload && frm.doc.__onload.can_email === false) {
			frm.dashboard.set_headline_alert(
				__("No default outgoing Email Account: invitations and reminders cannot be e-mailed. Set one up under Email Account, or take the answers by phone."),
				"orange"
			);
		}
		if (frm.doc.status === "Draft") {
			frm.add_custom_button(__("Send Invitations"), () =>
				frappe.confirm(__("Send the survey to every customer of the audience now?"), () =>
					frm.call("send_invitations").then((r) => {
						frappe.show_alert({ message: __("{0} customers invited", [r.message]), indicator: "green" });
						frm.reload_doc();
					})
				)
			).addClass("btn-primary");
		}
		if (frm.doc.status === "Sent") {
			frm.add_custom_button(__("Close and Score"), () =>
				frappe.confirm(__("Close the campaign, score the answers and raise the follow-ups?"), () =>
					frm.call("close").then(() => frm.reload_doc())
				)
			);
		}
		if (frm.doc.status !== "Draft") {
			frm.add_custom_button(__("Responses"), () =>
				frappe.set_route("List", "Satisfaction Survey Response", { campaign: frm.doc.name })
			);
			frm.add_custom_button(__("Statistics"), () =>
				frappe.set_route("query-report", "Satisfaction Survey Statistics", { campaign: frm.doc.name })
			);
		}
		if (frm.doc.status === "Closed") {
			frm.disable_form();
			frm.dashboard.set_headline_alert(
				frm.doc.is_valid
					? __("Valid: {0} % of the customers answered.", [frm.doc.response_rate])
					: __("Not valid: only {0} % of the customers answered (more than 70 % needed).", [frm.doc.response_rate]),
				frm.doc.is_valid ? "green" : "orange"
			);
		}
	},
});
