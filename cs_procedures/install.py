"""Install-time defaults."""

import json
import os

import frappe
from frappe import _
from frappe.utils import get_time

from cs_procedures import footprint, people

# Complaint type -> ERPNext's standard department for it (003 §3.7-3.9): quality
# complaints to quality, delivery and quantity to the materials/dispatch side,
# service and coordination to sales.
DEFAULT_ROUTING = {
	"Quality": "Quality Management",
	"Quantity": "Dispatch",
	"Delivery": "Dispatch",
	"Service": "Sales",
	"Coordination": "Sales",
	"Other": "Sales",
}


# Reviewing function -> ERPNext's standard department for it (003 §3.1-3.4).
DEFAULT_REVIEWERS = {
	"Engineering": "Research & Development",
	"Quality": "Quality Management",
	"Materials": "Production",
	"Sales": "Sales",
}


# The seeds' questionnaires, made on install as Satisfaction Survey Templates staff can reword (each
# entry of the file names its source in the seeds).
with open(os.path.join(os.path.dirname(__file__), "survey_templates.json"), encoding="utf-8") as f:
	SURVEYS = json.load(f)
DEFAULT_SURVEY, AFTER_SALES_SURVEY, VISITOR_SURVEY = (
	SURVEYS[key] for key in ("default", "after_sales", "visitor")
)

SURVEY_EMAIL_TEMPLATE = footprint.SURVEY_EMAIL_TEMPLATE

CS_ROLES = (
	people.CS_MANAGER,
	people.CS_OFFICER,
	people.DEPARTMENT_HEAD_ROLE,
	people.VICE_PRESIDENT_ROLE,
	people.VERIFIER_ROLE,
	people.REVIEWER_ROLE,
	people.GENERAL_MANAGER_ROLE,
)
# The least each CS role needs on the ERPNext and Frappe records the procedures link to: "select" to
# pick them in link fields and to open the app's reports (Frappe refuses a report whose Link columns
# point at a doctype the user can neither select nor read); "read" where the role works from the
# record itself (CS officers and managers raise complaints from orders, deliveries and invoices; the
# general manager approves the order under review). Printing the app's records needs nothing more.
LINKED_PERMISSIONS = {
	**{
		doctype: {role: ("select",) for role in CS_ROLES}
		for doctype in (
			"Customer",
			"Contact",
			"Item",
			"Batch",
			"Department",
			"Sales Order",
			"Delivery Note",
			"Sales Invoice",
			"Quality Inspection",
			"Warehouse",
			"Customer Group",
			"Territory",
		)
	},
}
for _doctype in ("Customer", "Contact", "Sales Order", "Delivery Note", "Sales Invoice"):
	for _role in (people.CS_MANAGER, people.CS_OFFICER):
		LINKED_PERMISSIONS[_doctype][_role] = ("select", "read")
for _role in (people.CS_MANAGER, people.CS_OFFICER):  # the customer reports (watch list, analyses)
	LINKED_PERMISSIONS["Customer"][_role] = ("select", "read", "report")
# the hotline (002 ch8): CS staff log calls on ERPNext's Call Log and read its statistics
LINKED_PERMISSIONS["Call Log"] = {
	role: ("select", "read", "write", "create", "report") for role in (people.CS_MANAGER, people.CS_OFFICER)
}
LINKED_PERMISSIONS["Sales Order"][people.GENERAL_MANAGER_ROLE] = ("select", "read")
# after-sales (001 4.12.3): CS opens the warranty claim of a complaint and follows the repair visits
LINKED_PERMISSIONS["Warranty Claim"] = {role: ("select",) for role in CS_ROLES}
LINKED_PERMISSIONS["Maintenance Visit"] = {role: ("select",) for role in CS_ROLES}
for _role in (people.CS_MANAGER, people.CS_OFFICER):
	LINKED_PERMISSIONS["Warranty Claim"][_role] = ("select", "read", "write", "create")
	LINKED_PERMISSIONS["Maintenance Visit"][_role] = ("select", "read")
# who may see the CS approval of a repair cost on the claim (permlevel 1: nobody writes it by hand)
LEVEL_ONE_READERS = {
	"Warranty Claim": ("System Manager", "Maintenance User", people.CS_MANAGER, people.CS_OFFICER),
}
# what was improved, told to the customers who answered (001 4.8, 003 §5.3.4)
IMPROVEMENT_REPLY_TEMPLATE = footprint.IMPROVEMENT_REPLY_TEMPLATE


WORKING_DAY = ("08:00:00", "17:30:00")


def after_install():
	set_default_routing()
	set_default_reviewers()
	create_default_survey_template()
	create_after_sales_survey_template()
	create_visitor_survey_template()
	create_survey_email_template()
	create_improvement_reply_template()
	set_default_working_day()
	grant_linked_permissions()
	set_default_visit_intervals()
	ship_gates_on()
	footprint.set_properties()


def ship_gates_on():
	"""Order reviews (003 5.1.3.1) and approved return requests (001 4.12.2) are required from the start
	for the companies the site has; on a site in use, say what now needs them."""
	settings = frappe.get_single("CS Settings")
	settings.require_order_review = 1
	settings.returns_need_approval = 1
	settings.credit_limits_need_approval = 1
	companies = frappe.get_all("Company", pluck="name", order_by="creation")
	settings.adopt_companies(companies)
	settings.save(ignore_permissions=True)
	if not companies:
		return  # a new site: the setup wizard's company is added by `adopt_setup_company`
	drafts = frappe.db.count("Sales Order", {"docstatus": 0, "company": ("in", companies)})
	print(
		_(
			"Order reviews and approved return requests are now required for {0}; {1} draft Sales Orders will need an approved order review before they are submitted. CS Settings lists the companies that follow these procedures."
		).format(", ".join(companies), drafts)
	)


def adopt_setup_company(args):
	"""setup_wizard_complete: the company the wizard made follows the procedures (see ship_gates_on)."""
	company = (args or {}).get("company_name")
	if company and frappe.db.exists("Company", company):
		settings = frappe.get_single("CS Settings")
		if settings.adopt_companies([company]):
			settings.save(ignore_permissions=True)


def grant_linked_permissions():
	"""Give the CS roles what they need on the linked records (Role Permission Manager rules)."""
	from frappe.permissions import add_permission, update_permission_property

	for doctype, roles in LINKED_PERMISSIONS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for role, ptypes in roles.items():
			if not frappe.db.exists(
				"Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0, "if_owner": 0}
			):
				add_permission(doctype, role, 0, ptypes[0])
			for ptype in ptypes:
				update_permission_property(doctype, role, 0, ptype, 1, validate=False)
	for doctype, roles in LEVEL_ONE_READERS.items():
		for role in roles:
			if not frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 1}):
				add_permission(doctype, role, 1, "read")
	frappe.clear_cache()


def revoke_linked_permissions():
	"""Uninstalling takes back the rules the app added for its roles."""
	for doctype in LINKED_PERMISSIONS:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": ("in", CS_ROLES)})
	for doctype in LEVEL_ONE_READERS:
		frappe.db.delete("Custom DocPerm", {"parent": doctype, "permlevel": 1})
	frappe.clear_cache()


def set_default_working_day():
	"""Frappe gives the Time fields of a new Single the current time, not their defaults: a fresh
	site's working day would be a fraction of a second long and no deadline could be computed."""
	start, end = (
		frappe.db.get_single_value("CS Settings", field) for field in ("work_start_time", "work_end_time")
	)
	start, end = (get_time(value) if value else None for value in (start, end))
	if not start or not end or end <= start or start.microsecond or end.microsecond:
		frappe.db.set_single_value(
			"CS Settings", dict(zip(("work_start_time", "work_end_time"), WORKING_DAY, strict=True))
		)
		frappe.clear_document_cache("CS Settings", "CS Settings")


def set_default_visit_intervals():
	"""Visit frequency by customer grade (A monthly ... E yearly), unless the site has set its own."""
	from cs_procedures.procedures.visits import DEFAULT_INTERVAL, DEFAULT_INTERVALS, DEFAULT_PLAN_TOLERANCE

	for field, value in (
		("default_visit_interval_days", DEFAULT_INTERVAL),
		("visit_plan_tolerance_days", DEFAULT_PLAN_TOLERANCE),
	):  # a Single's new Int field reads 0 until set, and 0 means "none" here: set at install
		if not frappe.db.get_single_value("CS Settings", field):
			frappe.db.set_single_value("CS Settings", field, value)
	settings = frappe.get_single("CS Settings")
	if settings.get("visit_intervals"):
		frappe.clear_document_cache("CS Settings", "CS Settings")
		return
	for grade, days in DEFAULT_INTERVALS.items():
		settings.append("visit_intervals", {"grade": grade, "interval_days": days})
	settings.save(ignore_permissions=True)
	frappe.clear_document_cache("CS Settings", "CS Settings")


def before_tests():
	"""`bench run-tests --app cs_procedures` on a site nobody has set up (no company yet): ERPNext's
	own test set-up first, which the app's site tests build on (company, fiscal year, warehouses)."""
	if not frappe.db.a_row_exists("Company"):
		from erpnext.setup.utils import before_tests as erpnext_before_tests

		erpnext_before_tests()


def before_uninstall():
	"""Everything the app put on the site outside its doctypes goes with it."""
	revoke_linked_permissions()
	footprint.remove()


def set_default_routing():
	"""Map complaint types to the default company's departments, where they exist."""
	_fill_departments("complaint_departments", "complaint_type", DEFAULT_ROUTING)


def set_default_reviewers():
	"""Map the reviewing functions of the order review to the default company's departments."""
	_fill_departments("review_departments", "function", DEFAULT_REVIEWERS)


def _fill_departments(table: str, key: str, defaults: dict[str, str]):
	settings = frappe.get_single("CS Settings")
	if settings.get(table):
		return
	company = frappe.defaults.get_defaults().get("company")
	for value, department_name in defaults.items():
		filters = {"department_name": department_name, "is_group": 0}
		if company:
			filters["company"] = company
		department = frappe.db.get_value("Department", filters, "name")
		if department:
			settings.append(table, {key: value, "department": department})
	settings.save(ignore_permissions=True)


def create_default_survey_template():
	_create_survey_template(DEFAULT_SURVEY, is_default=1)


def create_after_sales_survey_template():
	"""The after-sales questionnaire, asked when a repair is completed (set in CS Settings)."""
	created = _create_survey_template(AFTER_SALES_SURVEY, is_default=0)
	if created and not frappe.db.get_single_value("CS Settings", "after_sales_survey_template"):
		frappe.db.set_single_value("CS Settings", "after_sales_survey_template", created)


def create_visitor_survey_template():
	"""The visitor's survey (000 II-3), offered on an issued liaison note (set in CS Settings)."""
	created = _create_survey_template(VISITOR_SURVEY, is_default=0)
	if created and not frappe.db.get_single_value("CS Settings", "visitor_survey_template"):
		frappe.db.set_single_value("CS Settings", "visitor_survey_template", created)


def _create_survey_template(survey: dict, is_default: int) -> str | None:
	if frappe.db.exists("Satisfaction Survey Template", survey["template_name"]):
		return None
	return (
		frappe.get_doc(
			{
				"doctype": "Satisfaction Survey Template",
				"template_name": survey["template_name"],
				"introduction": survey["introduction"],
				"introduction_zh": survey["introduction_zh"],
				"is_default": is_default,
				"items": [
					{"category": category, "question": question, "question_zh": question_zh, "max_score": 20}
					for category, question, question_zh in survey["items"]
				],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def create_survey_email_template():
	"""The invitation and reminder e-mail, as an Email Template staff can reword."""
	if frappe.db.exists("Email Template", SURVEY_EMAIL_TEMPLATE):
		return
	frappe.get_doc(
		{
			"doctype": "Email Template",
			"name": SURVEY_EMAIL_TEMPLATE,
			"subject": "{% if reminder %}{{ _('Reminder: customer satisfaction survey') }}"
			"{% else %}{{ _('Customer satisfaction survey') }}{% endif %}",
			"use_html": 1,
			"response_html": frappe.read_file(
				frappe.get_app_path(
					"cs_procedures", "templates", "emails", "satisfaction_survey_invitation.html"
				)
			),
		}
	).insert(ignore_permissions=True)


def create_improvement_reply_template():
	"""The reply telling the customers what was improved after a survey, as an Email Template staff
	can reword."""
	if frappe.db.exists("Email Template", IMPROVEMENT_REPLY_TEMPLATE):
		return
	frappe.get_doc(
		{
			"doctype": "Email Template",
			"name": IMPROVEMENT_REPLY_TEMPLATE,
			"subject": "{{ _('What we improved after our customer satisfaction survey') }}",
			"use_html": 1,
			"response_html": frappe.read_file(
				frappe.get_app_path(
					"cs_procedures", "templates", "emails", "satisfaction_survey_improvement_reply.html"
				)
			),
		}
	).insert(ignore_permissions=True)
