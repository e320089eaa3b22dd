// The job's progress is shown by Frappe; when it ends the form says how, and reloads.
function show_outcome(frm, data) {
	frappe.hide_progress();
	frappe.show_alert(
		data.failed
			? { message: __("Generating the pack failed: see the comment."), indicator: "red" }
			: { message: __("The evidence pack is ready."), indicator: "green" }
	);
	frm.reload_doc();
}

frappe.ui.form.on("CS Evidence Pack", {
	setup(frm) {
		frappe.realtime.on("cs_evidence_pack_done", (data) => data && data.pack === frm.doc.name && show_outcome(frm, data));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		if (["Queued", "Generating"].includes(frm.doc.status)) {
			frm.dashboard.set_headline_alert(
				__("The evidence pack is being generated in the background: this form shows the progress."),
				"blue"
			);
		}
		if (frm.doc.docstatus === 1) {
			frm.dashboard.set_headline_alert(
				__("Download the PDF and the zip and hand them to the auditor: they are plain files, readable without a login. Their SHA-256 lets the auditor check them."),
				"green"
			);
		}
		if (frm.doc.docstatus === 0 && !frm.is_dirty()) {
			// a pack left Queued or Generating by a stopped worker is generated again; a running job is not repeated
			frm.add_custom_button(__("Generate"), () =>
				frm.call("generate").then((r) => {
					if (r.message) frappe.show_alert({ message: r.message, indicator: "blue" });
					frm.reload_doc();
				})
			);
		}
	},
});
