// The dry run of an import of the procedures' records (cs_procedures/history.py): what the import would
// make and what it refuses, row by row, before anything is written.
frappe.ui.form.on("Data Import", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.import_file || frm.doc.status === "Success") return;
		frappe
			.call("cs_procedures.history.dry_run_report", { data_import: frm.doc.name })
			.then(({ message }) => {
				if (!message || !message.applies) return;
				if (message.may_import) {
					frm.add_custom_button(__("Dry Run for the Procedures"), () =>
						frappe
							.call("cs_procedures.history.dry_run", { data_import: frm.doc.name })
							.then(() => frappe.show_alert(__("The dry run runs in the background; its report opens here.")))
					);
				}
				if (message.report) {
					frm.add_custom_button(__("Dry Run Report"), () => cs_show_dry_run(message.report));
					frm.dashboard.set_headline_alert(
						__("Dry run: records that would be made: {0}; rows refused: {1}.", [
							message.report.made,
							message.report.refused_count,
						]),
						message.report.refused_count ? "orange" : "green"
					);
				}
			});
	},
	onload(frm) {
		frappe.realtime.on("cs_history_dry_run", (report) => {
			if (report.data_import !== frm.doc.name) return;
			frm.reload_doc();
			cs_show_dry_run(report);
		});
	},
});

function cs_show_dry_run(report) {
	const esc = frappe.utils.escape_html;
	const rows = report.refused
		.map((r) => `<tr><td>${esc((r.rows || []).join(", ") || __("File"))}</td><td>${esc(r.reason)}</td></tr>`)
		.join("");
	frappe.msgprint({
		title: __("Dry Run"),
		wide: true,
		message:
			`<p>${esc(__("Would be made: {0}. Refused: {1}.", [report.made, report.refused_count]))}</p>` +
			(rows
				? `<table class="table table-bordered"><thead><tr><th>${esc(__("Rows"))}</th><th>${esc(__("Reason"))}</th></tr></thead><tbody>${rows}</tbody></table>`
				: ""),
	});
}
