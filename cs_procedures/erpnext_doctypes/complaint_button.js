// "Create > Customer Complaint" on a document a complaint refers to (included by the form scripts).
cs_procedures_add_complaint_button = (frm) => {
	if (frm.is_new() || frm.doc.docstatus === 2 || !frappe.model.can_create("Customer Complaint")) return;
	frm.add_custom_button(
		__("Customer Complaint"),
		() =>
			frappe.model.open_mapped_doc({
				method: "cs_procedures.cs_procedures.doctype.customer_complaint.customer_complaint.make_complaint_from",
				args: { source_doctype: frm.doctype },
				frm,
			}),
		__("Create")
	);
};
