frappe.ui.form.on("Customer Complaint", {
	setup(frm) {
		frm.set_query("return_delivery_note", () => ({
			filters: { is_return: 1, docstatus: 1, customer: frm.doc.customer || undefined },
		}));
		for (const field of ["sales_order", "delivery_note", "sales_invoice"]) {
			frm.set_query(field, () => ({ filters: { customer: frm.doc.customer || undefined, docstatus: 1 } }));
		}
		frm.set_query("contact_person", () => ({
			query: "frappe.contacts.doctype.contact.contact.contact_query",
			filters: { link_doctype: "Customer", link_name: frm.doc.customer },
		}));
	},

	refresh(frm) {
		// who may route the complaint (the server decides the same on save)
		const state = frm.doc.workflow_state;
		const may_route =
			frm.is_new() ||
			(state === "Received" && frappe.user.has_role("CS Manager")) ||
			(state === "Escalated to VP" && frappe.user.has_role("CS Vice President"));
		for (const field of ["complaint_type", "responsible_department", "responsibilities", "handled_by_sales_alone"]) {
			frm.set_df_property(field, "read_only", may_route ? 0 : 1);
		}
		frm.set_df_property("follower", "read_only", frm.is_new() || frappe.user.has_role("CS Manager") ? 0 : 1);
		if (frm.doc.__onload && frm.doc.__onload.may_approve_part) {
			frm.add_custom_button(__("Approve Our Part"), () =>
				frappe.confirm(__("Approve your department's 5W1H rows of this complaint?"), () =>
					frm.call("approve_part").then(() => frm.reload_doc())
				)
			).addClass("btn-primary");
		}
		if (frm.doc.__onload && frm.doc.__onload.may_sign_claim) {
			// 客户投诉处理表 (002 ch6 §9): each department, the vice president and the general manager sign
			frm.add_custom_button(__("Sign the Claim"), () =>
				frappe.prompt(
					[{ fieldname: "opinion", fieldtype: "Small Text", label: __("Your Opinion") }],
					(values) => frm.call("sign_claim", { opinion: values.opinion }).then(() => frm.reload_doc()),
					__("Sign off the claim of {0}", [format_currency(frm.doc.claimed_amount)]),
					__("Sign")
				)
			).addClass("btn-primary");
		}
		// the customer's answer to the reply, given by phone or in a visit (the portal records its own)
		const awaiting_answer =
			state === "Replied" &&
			(!frm.doc.customer_feedback_on || frm.doc.customer_feedback_on < (frm.doc.replied_on || ""));
		if (awaiting_answer && frappe.user.has_role(["CS Officer", "CS Manager"])) {
			frm.add_custom_button(__("Record Customer's Answer"), () => {
				const dialog = new frappe.ui.Dialog({
					title: __("Does the reply satisfy the customer?"),
					fields: [
						{ fieldname: "satisfied", fieldtype: "Select", label: __("Customer Satisfied"), options: "\nYes\nNo", reqd: 1 },
						{ fieldname: "feedback", fieldtype: "Small Text", label: __("Customer Feedback"), mandatory_depends_on: "eval:doc.satisfied=='No'" },
					],
					primary_action_label: __("Record"),
					primary_action(values) {
						dialog.hide();
						frm.call("record_customer_answer", values).then(() => frm.reload_doc());
					},
				});
				dialog.show();
			});
		}
		// after-sales from the complaint (001 4.12.2-4.12.3): ERPNext's own documents, CS approvals
		if (!frm.is_new() && frm.doc.docstatus < 2 && state !== "Not Accepted" && frappe.user.has_role(["CS Officer", "CS Manager"])) {
			frm.add_custom_button(
				__("Return Request"),
				() => frappe.model.open_mapped_doc({
					method: "cs_procedures.cs_procedures.doctype.return_request.return_request.make_from_complaint",
					frm,
				}),
				__("Create")
			);
			frm.add_custom_button(
				__("Warranty Claim"),
				() => frappe.model.open_mapped_doc({
					method: "cs_procedures.erpnext_doctypes.repairs.make_warranty_claim",
					frm,
				}),
				__("Create")
			);
		}
		if (frm.doc.docstatus !== 0 || !frm.doc.next_deadline) return;
		const due = frappe.datetime.str_to_user(frm.doc.next_deadline);
		const stage = __(frm.doc.deadline_stage);
		if (frm.doc.is_overdue) {
			frm.dashboard.set_headline_alert(
				`${__("Overdue")}: ${stage} — ${__("was due {0}", [due])}` +
					(frm.doc.escalated_to_vp ? ` · ${__("Escalated to Vice President")}` : ""),
				"red"
			);
		} else {
			frm.dashboard.set_headline_alert(`${stage}: ${__("due {0}", [due])}`, "blue");
		}
	},

	customer(frm) {
		if (!frm.doc.customer) return;
		frappe.db.get_value("Customer", frm.doc.customer, "customer_primary_contact").then(({ message }) => {
			if (message && message.customer_primary_contact && !frm.doc.contact_person) {
				frm.set_value("contact_person", message.customer_primary_contact);
			}
		});
	},

	contact_person(frm) {
		if (!frm.doc.contact_person) return;
		frappe.db.get_value("Contact", frm.doc.contact_person, ["email_id", "phone", "mobile_no"]).then(({ message }) => {
			if (!message) return;
			frm.set_value("contact_email", message.email_id || frm.doc.contact_email);
			frm.set_value("contact_phone", message.mobile_no || message.phone || frm.doc.contact_phone);
		});
	},
});
