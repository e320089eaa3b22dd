{% include "cs_procedures/cs_procedures/report/survey_filters.js" %}

frappe.query_reports["Satisfaction Survey Chase List"] = {
	filters: [cs_procedures.sent_campaign_filter()],
};
