from cs_procedures import footprint

app_name = "cs_procedures"
app_title = "CS Procedures"
app_publisher = "cs_procedures developers"
app_description = "ISO 9001 customer-service procedures (complaints, satisfaction surveys, order review, customer property) on ERPNext"
app_email = "cs-procedures@example.com"
app_license = "mit"
required_apps = ["frappe/erpnext"]

after_install = "cs_procedures.install.after_install"
before_tests = "cs_procedures.install.before_tests"
before_uninstall = "cs_procedures.install.before_uninstall"
setup_wizard_complete = "cs_procedures.install.adopt_setup_company"

# doctype controllers carry no generated type block (`# begin: auto-generated types`): saving a
# doctype in developer mode must not write one back
export_python_type_annotations = False

# The roles, Workflows and the states and actions they use are named once, in fixtures/*.json;
# footprint.py reads them for the fixtures below and for uninstalling.
fixtures = [
	{"dt": "Role", "filters": [["name", "in", footprint.roles()]]},
	{"dt": "Workflow State", "filters": [["name", "in", footprint.workflow_states()]]},
	{"dt": "Workflow Action Master", "filters": [["name", "in", footprint.workflow_actions()]]},
	{"dt": "Workflow", "filters": [["name", "in", footprint.workflows()]]},
	{"dt": "Custom Field", "filters": [["module", "=", "CS Procedures"]]},
]

# Everything added to ERPNext's (and Frappe's) own doctypes lives in cs_procedures/erpnext_doctypes.
doctype_js = {
	"Customer": ["erpnext_doctypes/customer.js", "erpnext_doctypes/customer_360.js"],
	"Sales Order": "erpnext_doctypes/sales_order.js",
	"Delivery Note": "erpnext_doctypes/delivery_note.js",
	"Sales Invoice": "erpnext_doctypes/sales_invoice.js",
	"Warranty Claim": "erpnext_doctypes/warranty_claim.js",
	"Data Import": "erpnext_doctypes/data_import.js",
	"Call Log": "erpnext_doctypes/calls.js",
}
doctype_list_js = {"Issue": "erpnext_doctypes/issue_list.js"}

override_doctype_dashboards = {
	"Customer": "cs_procedures.erpnext_doctypes.dashboards.customer",
	"Sales Order": "cs_procedures.erpnext_doctypes.dashboards.sales_order",
	"Delivery Note": "cs_procedures.erpnext_doctypes.dashboards.delivery_note",
	"Sales Invoice": "cs_procedures.erpnext_doctypes.dashboards.sales_invoice",
}

# Files attached to the procedures' records are evidence too (attachments.py)
has_permission = {
	"File": "cs_procedures.attachments.file_permission",
	# a customer file is read according to its confidentiality level (procedures/credit.py)
	"Customer File": "cs_procedures.cs_procedures.doctype.customer_file.customer_file.file_permission",
	# an evidence pack opens only to who may read every record of its period
	"CS Evidence Pack": "cs_procedures.cs_procedures.doctype.cs_evidence_pack.pack.pack_permission",
}
permission_query_conditions = {
	"Customer File": "cs_procedures.cs_procedures.doctype.customer_file.customer_file.file_query",
}

doc_events = {
	"File": {
		"before_validate": "cs_procedures.attachments.before_validate_file",
		"after_insert": "cs_procedures.attachments.after_insert_file",
	},
	"Communication": {
		"on_update": "cs_procedures.erpnext_doctypes.events.describe_complaint_from_email",
	},
	"Customer": {
		"onload": "cs_procedures.erpnext_doctypes.customer_360.load",
		"validate": "cs_procedures.erpnext_doctypes.events.customer_validate",
		"after_rename": "cs_procedures.complaint_summary.after_rename",
	},
	# ERPNext renames links in SQL: the complaint statistics summed per month follow the new name
	"Item": {"after_rename": "cs_procedures.complaint_summary.after_rename"},
	"Department": {"after_rename": "cs_procedures.complaint_summary.after_rename"},
	"Sales Order": {
		"before_submit": "cs_procedures.erpnext_doctypes.events.sales_order_before_submit",
	},
	# after-sales (001 4.12): returns held to the CS approval, repairs to the approved cost
	"Delivery Note": {
		"validate": "cs_procedures.erpnext_doctypes.returns.validate_return",
		"on_submit": "cs_procedures.erpnext_doctypes.returns.update_request",
		"on_cancel": "cs_procedures.erpnext_doctypes.returns.update_request",
	},
	"Sales Invoice": {
		"validate": "cs_procedures.erpnext_doctypes.returns.validate_return",
		"on_submit": "cs_procedures.erpnext_doctypes.returns.update_request",
		"on_cancel": "cs_procedures.erpnext_doctypes.returns.update_request",
	},
	"Warranty Claim": {
		"validate": "cs_procedures.erpnext_doctypes.repairs.validate_claim",
		"after_insert": "cs_procedures.erpnext_doctypes.repairs.claim_created",
	},
	"Maintenance Visit": {
		"validate": [
			"cs_procedures.erpnext_doctypes.repairs.validate_visit",
			"cs_procedures.guards.check_app_rows",
		],
		"before_submit": "cs_procedures.erpnext_doctypes.repairs.check_repair_approved",
		"on_submit": "cs_procedures.erpnext_doctypes.repairs.report_to_complaint",
		"on_cancel": "cs_procedures.erpnext_doctypes.repairs.report_to_complaint",
	},
	"Quality Action": {
		"validate": [
			"cs_procedures.erpnext_doctypes.events.verify_survey_action_before_completion",
			"cs_procedures.erpnext_doctypes.events.guard_survey_action",
		],
		"on_trash": "cs_procedures.erpnext_doctypes.events.keep_survey_action",
		# management review (ISO 9001 9.3): an action a review decided reports its closure back
		"on_update": "cs_procedures.cs_procedures.doctype.cs_management_review_input.cs_management_review_input.report_action",
	},
	# quality goals measured from the procedures' figures (erpnext_doctypes/quality_goals.py)
	"Quality Goal": {"validate": "cs_procedures.erpnext_doctypes.quality_goals.validate_goal"},
	"Quality Review": {"validate": "cs_procedures.erpnext_doctypes.quality_goals.measure_review"},
	**{
		table: {
			"validate": "cs_procedures.guards.refuse_platform_row_door",
			"on_trash": "cs_procedures.guards.refuse_platform_row_door",
		}
		for table in footprint.PLATFORM_ROWS
	},
}

# Each scheduled job lives beside the procedure it serves.
scheduler_events = {
	"cron": {
		"*/10 * * * *": [
			"cs_procedures.cs_procedures.doctype.customer_complaint.scheduled.sweep_overdue_complaints"
		],
	},
	# the survey invitations and reminders grow with the customers: long jobs (long queue)
	"daily_long": [
		"cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scheduled.create_scheduled_campaigns",
		"cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scheduled.remind_survey_non_responders",
	],
	"hourly": ["cs_procedures.erpnext_doctypes.calls.assign_call_backs"],
	"daily": [
		"cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.scheduled.close_due_campaigns",
		"cs_procedures.cs_procedures.doctype.customer_property.scheduled.remind_lots_stored_a_year",
		"cs_procedures.cs_procedures.doctype.customer_visit.scheduled.remind_overdue_visits",
		# 001 4.10: last month's figures on the first working day of the month (only that day sends)
		"cs_procedures.figures.send_monthly_figures",
	],
	"monthly": [  # 优秀客户 / 问题客户 (002 ch7 §12–13): the watch lists reviewed every month
		"cs_procedures.erpnext_doctypes.watch_list.review_watch_lists",
	],
	"yearly": [  # grade_last_year enqueues the grading itself in the long queue
		"cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record.grade_last_year",
	],
}

# The customer's portal: their service home, complaints and surveys.
portal_menu_items = [
	{"title": "Customer Service", "route": "/service", "role": "Customer"},
	{"title": "My Complaints", "route": "/complaints", "role": "Customer"},
	{"title": "Satisfaction Survey", "route": "/survey", "role": "Customer"},
]
