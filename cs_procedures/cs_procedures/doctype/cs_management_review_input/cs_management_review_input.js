// The snapshot's figures: a figure's name and words are stored in English and shown in the user's language; a
// figure the period had nothing for shows a dash, not the 0 its Float column holds.
frappe.ui.form.on("CS Management Review Input", {
	setup(frm) {
		const field = (fieldname) => frappe.meta.get_docfield("CS Management Review Figure", fieldname, frm.doc.name);
		for (const fieldname of ["figure", "detail"]) {
			field(fieldname).formatter = (value) => frappe.utils.escape_html(__(value || ""));
		}
		field("value").formatter = (value, df, options, doc) =>
			doc && !doc.has_value ? "—" : frappe.form.formatters.Float(value, df, options, doc);
	},
});
