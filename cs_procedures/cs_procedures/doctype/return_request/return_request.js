// Return / exchange request (001 4.12.2): the CS manager approves; the return is made from it.
frappe.ui.form.on("Return Request", {
	setup(frm) {
		frm.set_query("delivery_note", () => ({
			filters: { customer: frm.doc.customer || undefined, docstatus: 1, is_return: 0 },
		}));
		frm.set_query("sales_invoice", () => ({
			filters: { customer: frm.doc.customer || undefined, docstatus: 1, is_return: 0 },
		}));
		frm.set_query("customer_complaint", () => ({ filters: { customer: frm.doc.customer || undefined } }));
	},

	refresh(frm) {
		if (frm.doc.docstatus !== 1 || frm.doc.workflow_state !== "Approved") return;
		const left = (field) => (frm.doc.items || []).some((row) => flt(row.approved_qty) > flt(row[field]));
		if (left("returned_qty") && frappe.model.can_create("Delivery Note")) {
			frm.add_custom_button(
				__("Return Delivery Note"),
				() => frappe.model.open_mapped_doc({
					method: "cs_procedures.cs_procedures.doctype.return_request.return_request.make_return_delivery_note",
					frm,
				}),
				__("Create")
			);
		}
		if (frm.doc.sales_invoice && left("credited_qty") && frappe.model.can_create("Sales Invoice")) {
			frm.add_custom_button(
				__("Credit Note"),
				() => frappe.model.open_mapped_doc({
					method: "cs_procedures.cs_procedures.doctype.return_request.return_request.make_credit_note",
					frm,
				}),
				__("Create")
			);
		}
	},

	delivery_note(frm) {
		if (!frm.doc.delivery_note || (frm.doc.items || []).length) return;
		frappe.call({
			method: "cs_procedures.cs_procedures.doctype.return_request.return_request.returnable_lines",
			args: { delivery_note: frm.doc.delivery_note },
		}).then(({ message }) => {
			for (const line of message || []) {
				frm.add_child("items", line);
			}
			frm.refresh_field("items");
		});
	},
});
