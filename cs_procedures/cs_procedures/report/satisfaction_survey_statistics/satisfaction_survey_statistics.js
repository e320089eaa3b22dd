{% include "cs_procedures/cs_procedures/report/survey_filters.js" %}

frappe.query_reports["Satisfaction Survey Statistics"] = {
	filters: [cs_procedures.sent_campaign_filter()],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		// a customer's item under the pass mark (003 §5.3.3: each item at least 12) is proposed for action
		if (data && column.fieldname.startsWith("item_") && data[column.fieldname] != null && data[column.fieldname] < data.pass_mark) {
			value = `<span style="color: var(--red-600); font-weight: bold">${value}</span>`;
		}
		return value;
	},
};
