frappe.ui.form.on("Satisfaction Survey Campaign", {
	setup(frm) {
		// the background job of a large audience says when it has ended (its progress is shown by Frappe)
		frappe.realtime.on("cs_survey_invitations_done", (data) => {
			if (!data || data.campaign !== frm.doc.name) return;
			frappe.hide_progress();
			if (data.failed) {
				frappe.show_alert({ message: __("Sending the invitations failed: see the comment."), indicator: "red" });
			} else {
				frappe.show_alert({ message: __("{0} customers invited", [data.invited]), indicator: "green" });
			}
			frm.reload_doc();
		});
	},
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.status === "Sending") {
			frm.dashboard.set_headline_alert(
				__("The invitations are being sent in the background to {0} customers: this form shows the progress, and reloads when they are sent.", [frm.doc.invited_customers]),
				"blue"
			);
		}
		if (frm.doc.status !== "Closed" && frm.doc.__onload && frm.doc.__onload.can_email === false) {
			frm.dashboard.set_headline_alert(
				__("No default outgoing Email Account: invitations and reminders cannot be e-mailed. Set one up under Email Account, or take the answers by phone."),
				"orange"
			);
		}
		if (frm.doc.status === "Draft") {
			frm.add_custom_button(__("Send Invitations"), () =>
				frappe.confirm(__("Send the survey to every customer of the audience now?"), () =>
					frm.call("send_invitations").then((r) => {
						if (r.message) {
							frappe.show_alert({ message: __("{0} customers invited", [r.message]), indicator: "green" });
						} else {
							frappe.show_alert({ message: __("The invitations are being sent in the background."), indicator: "blue" });
						}
						frm.reload_doc();
					})
				)
			).addClass("btn-primary");
		}
		if (frm.doc.status === "Sent") {
			frm.add_custom_button(__("Close and Score"), () =>
				frappe.confirm(__("Close the campaign, score the answers and raise the follow-ups?"), () =>
					frm.call("close").then(() => frm.reload_doc())
				)
			);
		}
		if (frm.doc.status !== "Draft") {
			frm.add_custom_button(__("Responses"), () =>
				frappe.set_route("List", "Satisfaction Survey Response", { campaign: frm.doc.name })
			);
			frm.add_custom_button(__("Statistics"), () =>
				frappe.set_route("query-report", "Satisfaction Survey Statistics", { campaign: frm.doc.name })
			);
		}
		if (frm.doc.status === "Closed") {
			frm.disable_form();
			frm.dashboard.set_headline_alert(
				frm.doc.is_valid
					? __("Valid: {0} % of the customers answered.", [frm.doc.response_rate])
					: __("Not valid: only {0} % of the customers answered (more than 70 % needed).", [frm.doc.response_rate]),
				frm.doc.is_valid ? "green" : "orange"
			);
		}
		add_follow_up_buttons(frm);
	},
});


// the chase list before the reply-by date; the improvement loop once closed (000 II-5, 001 4.8, 003 §5.3.4)
function add_follow_up_buttons(frm) {
	const group = __("Follow-up");
	const staff = frappe.user.has_role("CS Officer") || frappe.user.has_role("CS Manager");
	if (staff && frm.doc.status === "Sent" && frappe.datetime.get_today() <= frm.doc.reply_by) {
		frm.add_custom_button(
			__("Make Chase List"),
			() =>
				frappe.call("cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.chase.make_chase_list", { campaign: frm.doc.name }).then((r) => {
					frappe.show_alert({ message: __("{0} phone calls put on your to-do list", [r.message]), indicator: "green" });
					frappe.set_route("query-report", "Satisfaction Survey Chase List", { campaign: frm.doc.name });
				}),
			group
		);
	}
	if (frm.doc.status !== "Closed") return;
	const rows = frm.doc.follow_ups || [];
	if (rows.some((row) => row.status === "Proposed") && frappe.user.has_role("CS Manager")) {
		frm.add_custom_button(
			__("Approve Corrective Actions"),
			() =>
				frappe.prompt(
					[
						{
							fieldname: "follower",
							fieldtype: "Link",
							options: "User",
							label: __("Follower"),
							default: frm.doc.follower || frm.doc.owner,
							reqd: 1,
						},
					],
					(values) =>
						frappe
							.call("cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.improvement.approve_actions", { campaign: frm.doc.name, follower: values.follower })
							.then(() => frm.reload_doc()),
					__("Send the proposed corrective actions to the departments?"),
					__("Approve")
				),
			group
		);
	}
	if (staff && rows.some((row) => row.status === "Approved")) {
		frm.add_custom_button(
			__("Reply to Customers"),
			() => {
				if (frm.doc.__onload && frm.doc.__onload.can_email === false) {
					frappe.msgprint(
						__("No default outgoing Email Account: the improvement reply cannot be e-mailed. Set one up under Email Account, or tell the customers by phone or letter."),
						__("No Outgoing E-mail")
					);
					return;
				}
				frappe.confirm(__("E-mail the answering contacts what was improved?"), () =>
					frappe.call("cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.improvement.send_improvement_reply", { campaign: frm.doc.name }).then((r) => {
						frappe.show_alert({ message: __("{0} e-mails queued", [r.message.mails]), indicator: "green" });
						frm.reload_doc();
					})
				);
			},
			group
		);
	}
	const step = frm.doc.__onload && frm.doc.__onload.sign_step;
	if (step) {
		// 顾客满意度调查统计表 (HT-QR-MA-02): 拟制 prepared, 审核 reviewed, 批准 approved
		frm.add_custom_button(
			__("Sign the Statistics ({0})", [__(step)]),
			() =>
				frappe.confirm(__("Sign the statistics of this campaign as {0}?", [__(step)]), () =>
					frappe
						.call("cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.sign_off.sign_statistics", {
							campaign: frm.doc.name,
						})
						.then(() => frm.reload_doc())
				),
			group
		);
	}
	if (rows.length) {
		frm.add_custom_button(
			__("Follow-up Reply Table"),
			() => frappe.set_route("query-report", "Satisfaction Survey Follow-up Reply", { campaign: frm.doc.name }),
			group
		);
	}
}
