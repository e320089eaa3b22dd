// The CS department's approval of a repair cost on ERPNext's Warranty Claim (001 4.12.3).
frappe.ui.form.on("Warranty Claim", {
	refresh(frm) {
		if (frm.is_new() || ["Closed", "Cancelled"].includes(frm.doc.status)) return;
		const status = frm.doc.cs_repair_cost_status || "";
		const call = (method, args) =>
			frappe.call({ method: `cs_procedures.erpnext_doctypes.repairs.${method}`, args: { claim: frm.doc.name, ...args } })
				.then(() => frm.reload_doc());
		if (flt(frm.doc.cs_repair_cost) > 0 && !["Awaiting Approval", "Approved"].includes(status) && !frm.is_dirty()) {
			frm.add_custom_button(__("Ask CS to Approve the Repair Cost"), () => call("request_cost_approval"));
		}
		if (status === "Awaiting Approval" && frappe.user.has_role("CS Manager")) {
			frm.add_custom_button(__("Approve Repair Cost"), () =>
				frappe.confirm(__("Approve a repair cost of {0}?", [format_currency(frm.doc.cs_repair_cost)]), () =>
					call("decide_cost", { approve: 1 })
				), __("Repair Cost"));
			frm.add_custom_button(__("Reject Repair Cost"), () =>
				frappe.prompt(
					{ fieldname: "note", fieldtype: "Small Text", label: __("Why"), reqd: 1 },
					({ note }) => call("decide_cost", { approve: 0, note }),
					__("Reject Repair Cost")
				), __("Repair Cost"));
		}
		if (status) {
			const colour = { "Awaiting Approval": "orange", Approved: "green", Rejected: "red" }[status];
			frm.dashboard.set_headline_alert(`${__("Repair cost")}: ${__(status)}`, colour);
		}
	},
});
