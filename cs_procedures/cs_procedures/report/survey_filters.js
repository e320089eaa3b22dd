// The campaign filter of the survey reports (Satisfaction Survey Chase List, Satisfaction Survey
// Statistics): a sent campaign, required. Included into their scripts by Frappe's include directive. This
// file must not name that directive itself: Frappe renders includes again while the text holds one.
frappe.provide("cs_procedures");

cs_procedures.sent_campaign_filter = () => ({
	fieldname: "campaign",
	label: __("Campaign"),
	fieldtype: "Link",
	options: "Satisfaction Survey Campaign",
	reqd: 1,
	get_query: () => ({ filters: { status: ["!=", "Draft"] } }),
});
