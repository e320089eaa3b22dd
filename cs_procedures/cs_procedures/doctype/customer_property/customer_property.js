frappe.ui.form.on("Customer Property", {
	setup(frm) {
		frm.set_query("warehouse", () => ({
			filters: { is_group: 0, company: frappe.defaults.get_user_default("Company") || undefined },
		}));
		frm.set_query("quality_inspection", () => ({
			filters: { inspection_type: "Incoming", item_code: frm.doc.item_code || undefined, docstatus: ["<", 2] },
		}));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		const open = ["Received", "Inspected", "Nonconforming", "Customer Notified", "In Store"];
		if (open.includes(frm.doc.status) && frm.doc.retention_until) {
			frm.dashboard.set_headline_alert(
				__("Kept until {0}", [frappe.datetime.str_to_user(frm.doc.retention_until)]),
				"blue"
			);
		}
		if (!frm.doc.quality_inspection && frm.doc.item_code && frm.doc.inspection_result === "Pending") {
			frm.add_custom_button(__("Quality Inspection"), () =>
				frappe.model.open_mapped_doc({
					method: "cs_procedures.cs_procedures.doctype.customer_property.customer_property.make_quality_inspection",
					frm,
				}), __("Create"));
		}
		// the lot moves on (and is returned, consumed or disposed of) through the workflow actions
		if (frm.doc.status === "Nonconforming" && !frm.doc.customer_notified_on) {
			frm.dashboard.add_comment(
				__("Enter when and how the customer was notified, then use Notify Customer."),
				"orange",
				true
			);
		}
	},
});
