frappe.ui.form.on("Key Account Plan", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.docstatus === 2 || !frappe.user.has_role("CS General Manager")) {
			return;
		}
		frm.add_custom_button(__("Give Advice"), () => {
			frappe.prompt(
				[
					{
						fieldname: "advice",
						label: __("General Manager's Advice"),
						fieldtype: "Small Text",
						reqd: 1,
						default: frm.doc.gm_advice,
					},
				],
				(values) =>
					frappe
						.xcall("cs_procedures.cs_procedures.doctype.key_account_plan.key_account_plan.give_advice", {
							plan: frm.doc.name,
							advice: values.advice,
						})
						.then(() => frm.reload_doc()),
				__("General Manager's Advice"),
				__("Save")
			);
		});
	},
});
