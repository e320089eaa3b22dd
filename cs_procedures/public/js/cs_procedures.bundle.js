frappe.provide("cs_procedures");

// Filters shared by the complaint reports (Complaint Tracking Ledger, Complaint Statistics).
cs_procedures.complaint_report_filters = () => [
	{
		fieldname: "from_date",
		label: __("From Date"),
		fieldtype: "Date",
		default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
	},
	{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
	{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	{
		fieldname: "complaint_type",
		label: __("Complaint Type"),
		fieldtype: "Select",
		options: ["", "Quality", "Quantity", "Delivery", "Service", "Coordination", "Other"].map((value) => ({
			value,
			label: __(value),
		})),
	},
	{
		fieldname: "responsible_department",
		label: __("Responsible Department"),
		fieldtype: "Link",
		options: "Department",
	},
	{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
];

// "Create > Customer Complaint" on the documents a complaint refers to.
["Customer", "Sales Order", "Delivery Note", "Sales Invoice"].forEach((doctype) => {
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			if (frm.is_new() || frm.doc.docstatus === 2 || !frappe.model.can_create("Customer Complaint")) {
				return;
			}
			frm.add_custom_button(
				__("Customer Complaint"),
				() =>
					frappe
						.xcall(
							"cs_procedures.cs_procedures.doctype.customer_complaint.customer_complaint.make_complaint",
							{ source_doctype: frm.doctype, source_name: frm.doc.name }
						)
						.then((doc) => {
							frappe.model.sync(doc);
							frappe.set_route("Form", doc.doctype, doc.name);
						}),
				__("Create")
			);
		},
	});
});

// The customer's latest satisfaction (score less deductions) on the Customer form's dashboard.
frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new() || !frappe.model.can_read("Satisfaction Survey Response")) return;
		frappe.db
			.get_list("Satisfaction Survey Response", {
				// scored responses: satisfaction is set when the campaign closes
				filters: { customer: frm.doc.name, status: "Answered", satisfaction: [">", 0] },
				fields: ["satisfaction", "campaign", "callback_todo"],
				order_by: "answered_on desc",
				limit: 1,
			})
			.then((rows) => {
				if (!rows.length) return;
				const { satisfaction, campaign, callback_todo } = rows[0];
				frm.dashboard.add_indicator(
					__("Latest satisfaction: {0} ({1})", [format_number(satisfaction, null, 1), campaign]),
					callback_todo ? "orange" : "green" // under the call-back mark
				);
			});
	},
});

// "Create > Order Review" on a Sales Order (003 5.1.3).
frappe.ui.form.on("Sales Order", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.docstatus === 2 || !frappe.model.can_create("Order Review")) return;
		frm.add_custom_button(
			__("Order Review"),
			() =>
				frappe
					.xcall("cs_procedures.cs_procedures.doctype.order_review.order_review.make_order_review", {
						sales_order: frm.doc.name,
					})
					.then((doc) => {
						frappe.model.sync(doc);
						frappe.set_route("Form", doc.doctype, doc.name);
					}),
			__("Create")
		);
	},
});
