// The hotline on ERPNext's Call Log (cs_procedures/erpnext_doctypes/calls.py): a complaining call made a
// Customer Complaint in one click, an unanswered incoming call given to an agent to call back.
frappe.ui.form.on("Call Log", {
	refresh(frm) {
		// the agent names the caller's customer (ERPNext fills it only from a telephony integration)
		frm.set_df_property("customer", "read_only", 0);
		if (frm.is_new() || !["CS Officer", "CS Manager"].some((role) => frappe.user.has_role(role))) return;
		if (!frm.doc.cs_customer_complaint && frm.doc.customer && !frm.is_dirty()) {
			frm.add_custom_button(
				__("Customer Complaint"),
				() => frappe.model.with_doctype("Customer Complaint", () => cs_make_complaint_of_call(frm)),
				__("Create")
			);
		}
		const unanswered = !["In Progress", "Completed"].includes(frm.doc.status);
		if (frm.doc.type === "Incoming" && unanswered && !frm.doc.cs_customer_complaint) {
			frm.add_custom_button(__("Call Back"), () =>
				frappe.prompt(
					[
						{ fieldname: "agent", fieldtype: "Link", options: "User", label: __("Call Back Agent"), reqd: 1, default: frappe.session.user },
						{ fieldname: "due", fieldtype: "Datetime", label: __("Call Back By"), reqd: 1 },
					],
					({ agent, due }) =>
						frappe
							.call({
								method: "cs_procedures.erpnext_doctypes.calls.schedule_call_back",
								args: { call_log: frm.doc.name, agent, due },
							})
							.then(() => frm.reload_doc()),
					__("Call Back")
				)
			);
		}
	},
});

// the complaint's type asked for, from the complaint's own options
function cs_make_complaint_of_call(frm) {
	const { options } = frappe.meta.get_docfield("Customer Complaint", "complaint_type");
	frappe.prompt(
		{
			fieldname: "complaint_type",
			fieldtype: "Select",
			label: __("Complaint Type"),
			options: options.split("\n").map((value) => ({ value, label: __(value) })),
			default: "Other",
			reqd: 1,
		},
		({ complaint_type }) =>
			frappe
				.call({
					method: "cs_procedures.erpnext_doctypes.calls.make_complaint",
					args: { call_log: frm.doc.name, complaint_type },
				})
				.then(({ message }) => frappe.set_route("Form", "Customer Complaint", message)),
		__("Make a Complaint of This Call")
	);
}
