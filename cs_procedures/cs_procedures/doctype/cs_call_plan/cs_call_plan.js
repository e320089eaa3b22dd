// A plan of calls to customers (电话访谈计划): the non-responders of a survey campaign added in one click.
frappe.ui.form.on("CS Call Plan", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.purpose !== "Survey" || !frm.doc.survey_campaign || !frm.perm[0].write) return;
		frm.add_custom_button(__("Get Customers Who Have Not Answered"), () =>
			frappe
				.call({
					method: "cs_procedures.cs_procedures.doctype.cs_call_plan.cs_call_plan.fill_from_chase_list",
					args: { plan: frm.doc.name },
					freeze: true,
				})
				.then(({ message }) => {
					frappe.show_alert(__("{0} customers added to the plan.", [message]));
					frm.reload_doc();
				})
		);
	},
});
