frappe.ui.form.on("CS Settings", {
	refresh(frm) {
		if (frm.doc.__onload && frm.doc.__onload.can_email === false) {
			frm.dashboard.set_headline_alert(
				__(
					"No default outgoing Email Account: survey invitations and reminders cannot be e-mailed. To-dos and in-app notifications still reach everyone; set up an outgoing account under Email Account to send e-mails."
				),
				"orange"
			);
		}
	},
});
