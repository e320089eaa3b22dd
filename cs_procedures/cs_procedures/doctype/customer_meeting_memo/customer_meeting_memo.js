frappe.ui.form.on("Customer Meeting Memo", {
	refresh(frm) {
		if (frm.doc.docstatus !== 1 || !frappe.user.has_role("CS Manager")) return;
		const open = (frm.doc.decisions || []).filter((row) => !row.closed_by);
		if (!open.length) return;
		frm.add_custom_button(__("Close a Decision"), () => {
			frappe.prompt(
				{
					fieldname: "row",
					fieldtype: "Select",
					label: __("Decision"),
					reqd: 1,
					options: open.map((row) => ({ value: row.name, label: `${row.idx}. ${frappe.utils.escape_html(row.decision || "")}` })),
				},
				(values) => frm.call("close_decision", { row: values.row }).then(() => frm.reload_doc()),
				__("Close a Decision")
			);
		});
	},
});
