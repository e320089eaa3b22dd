"""Install-time defaults."""

import frappe

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


def after_install():
	set_default_routing()


def before_uninstall():
	"""The workflow of a doctype that is about to go goes with it (states and actions may be shared)."""
	frappe.delete_doc_if_exists("Workflow", "Customer Complaint", force=True)


def set_default_routing():
	"""Map complaint types to the default company's departments, where they exist."""
	settings = frappe.get_single("CS Settings")
	if settings.complaint_departments:
		return
	company = frappe.defaults.get_defaults().get("company")
	for complaint_type, department_name in DEFAULT_ROUTING.items():
		filters = {"department_name": department_name, "is_group": 0}
		if company:
			filters["company"] = company
		department = frappe.db.get_value("Department", filters, "name")
		if department:
			settings.append(
				"complaint_departments", {"complaint_type": complaint_type, "department": department}
			)
	settings.save(ignore_permissions=True)
