"""What the app puts on a site outside its own doctypes, in one place: the fixtures name the roles,
workflows and their states and actions (hooks.py reads them from here), `install.py` creates the
rest from the lists below, and uninstalling removes exactly the same (`remove`, run by
`before_uninstall`), so that the next procedure cannot be forgotten by either.

Frappe's `uninstall-app` itself drops the app's doctypes and every record linked to its module
(reports, print formats, the workspace, number cards, dashboard charts, custom fields, property
setters). It leaves what has no module: the workflows, roles and e-mail templates, the permission
rules given to the roles, and the records that point at the app's doctypes (to-dos, notifications,
comments, versions, shares, files, workflow actions, e-mails). `remove` takes those away.
"""

import json
import os

APP = "cs_procedures"
MODULE = "CS Procedures"
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")

# The Email Templates install.py creates (staff may reword them; the procedures use them by name)
SURVEY_EMAIL_TEMPLATE = "Satisfaction Survey Invitation"
IMPROVEMENT_REPLY_TEMPLATE = "Satisfaction Survey Improvement Reply"
# Frappe creates these on every site (frappe/utils/install.py, install_basic_docs): shared, never removed
# ERPNext's tables whose rows carry the app's fields (a measured quality goal's objective and its
# review's measured row): written only through their record's save, like the app's own rows
# (guards.ProcedureRow); hooks.py refuses their own doors (REST on the row, its delete)
PLATFORM_ROWS = ("Quality Goal Objective", "Quality Review Objective")

FRAPPE_STANDARD = {
	"Workflow State": {"Pending", "Approved", "Rejected"},
	"Workflow Action Master": {"Approve", "Reject", "Review"},
}
# Properties the app sets on ERPNext's doctypes: the repairs keep a version history like every record
# of the procedures (the setters carry the app's module, so Frappe's uninstall removes them as well)
PROPERTY_SETTERS = (
	("Warranty Claim", "track_changes", "1", "Check"),
	("Maintenance Visit", "track_changes", "1", "Check"),
)
# records that exist only to say something about another record: removed with the app's records
TRACE_DOCTYPES = (
	"ToDo",
	"Comment",
	"Version",
	"Notification Log",
	"DocShare",
	"File",
	"Communication",
	"Workflow Action",
	"Document Follow",
	"Energy Point Log",
	"Error Log",
	"Email Queue",
	"Activity Log",
	"Deleted Document",
	"Access Log",
	"Submission Queue",
	"Prepared Report",
	"Tag Link",
)


def fixture_names(doctype: str) -> list[str]:
	"""The names of the records of `doctype` in the app's fixtures (fixtures/<doctype>.json)."""
	path = os.path.join(FIXTURES, doctype.lower().replace(" ", "_") + ".json")
	with open(path, encoding="utf-8") as f:
		return [record["name"] for record in json.load(f)]


def workflows() -> list[str]:
	return fixture_names("Workflow")


def workflow_states() -> list[str]:
	return fixture_names("Workflow State")


def workflow_actions() -> list[str]:
	return fixture_names("Workflow Action Master")


def roles() -> list[str]:
	return fixture_names("Role")


# --- on a site -------------------------------------------------------------------------------


def app_doctypes() -> list[str]:
	import frappe

	return frappe.get_all("DocType", filters={"module": MODULE}, pluck="name")


def email_templates() -> list[str]:
	return [SURVEY_EMAIL_TEMPLATE, IMPROVEMENT_REPLY_TEMPLATE]


def link_fields(target: str) -> list:
	"""Every Link field (standard or custom) whose options are `target`, on tables that exist:
	(doctype, fieldname, is a child table, mandatory)."""
	import frappe

	found = []
	for source in ("DocField", "Custom Field"):
		parent = "parent" if source == "DocField" else "dt"
		rows = frappe.get_all(
			source,
			filters={"fieldtype": "Link", "options": target},
			fields=[f"{parent} as doctype", "fieldname", "reqd"],
		)
		for row in rows:
			meta = frappe.get_meta(row.doctype) if frappe.db.exists("DocType", row.doctype) else None
			if meta and not meta.issingle and not meta.is_virtual and frappe.db.table_exists(row.doctype):
				found.append((row.doctype, row.fieldname, bool(meta.istable), bool(row.reqd)))
	return found


def shared_workflow_names(field: str, child: str, ours: list[str]) -> set[str]:
	"""States or actions that a workflow which is not the app's also uses."""
	import frappe

	return set(
		frappe.get_all(child, filters={"parent": ("not in", ours or [""])}, pluck=field, distinct=True)
	)


def removable(doctype: str, names: list[str]) -> list[str]:
	"""The app's states or actions that nothing else on the site uses."""
	ours = workflows()
	if doctype == "Workflow State":
		shared = shared_workflow_names("state", "Workflow Document State", ours)
		shared |= shared_workflow_names("next_state", "Workflow Transition", ours)
	else:
		shared = shared_workflow_names("action", "Workflow Transition", ours)
	return [name for name in names if name not in shared and name not in FRAPPE_STANDARD.get(doctype, ())]


def leftovers(doctypes: list[str]) -> dict[str, int]:
	"""What of the app is still on the site: records pointing at its doctypes, roles, workflows,
	states, actions and e-mail templates, and records of its module. Empty when nothing is left."""
	import frappe

	left = {}

	def note(what: str, count: int):
		if count:
			left[what] = left.get(what, 0) + count

	targets = {
		"DocType": doctypes,
		"Role": roles(),
		"Workflow": workflows(),
		"Workflow State": removable("Workflow State", workflow_states()),
		"Workflow Action Master": removable("Workflow Action Master", workflow_actions()),
		"Email Template": email_templates(),
		"Module Def": [MODULE],
	}
	for target, names in targets.items():
		if not names:
			continue
		note(target, frappe.db.count(target, {"name": ("in", names)}))
		for doctype, fieldname, _istable, _reqd in link_fields(target):
			if doctype in doctypes:
				continue
			note(f"{doctype}.{fieldname}", frappe.db.count(doctype, {fieldname: ("in", names)}))
	note("Custom DocPerm", frappe.db.count("Custom DocPerm", {"role": ("in", roles())}))
	note("Custom DocPerm", frappe.db.count("Custom DocPerm", {"parent": ("in", doctypes)}))
	note("Has Role", frappe.db.count("Has Role", {"role": ("in", roles())}))
	note("Singles", frappe.db.count("Singles", {"doctype": ("in", doctypes or [""])}))
	note(
		"__UserSettings",
		frappe.db.sql("select count(*) from `__UserSettings` where doctype in %s", [doctypes or [""]])[0][0],
	)
	note("Scheduled Job Type", frappe.db.count("Scheduled Job Type", {"method": ("like", f"{APP}.%")}))
	note("Patch Log", frappe.db.count("Patch Log", {"patch": ("like", f"{APP}.%")}))
	return left


def set_properties() -> None:
	"""The app's Property Setters on ERPNext's doctypes (install and patch)."""
	import frappe

	for doctype, prop, value, property_type in PROPERTY_SETTERS:
		if not frappe.db.exists("DocType", doctype):
			continue
		name = frappe.db.get_value(
			"Property Setter", {"doc_type": doctype, "property": prop, "field_name": ("is", "not set")}
		)
		if name:
			frappe.db.set_value("Property Setter", name, {"value": value, "module": MODULE})
		else:
			frappe.get_doc(
				{
					"doctype": "Property Setter",
					"doctype_or_field": "DocType",
					"doc_type": doctype,
					"property": prop,
					"value": value,
					"property_type": property_type,
					"module": MODULE,
				}
			).insert(ignore_permissions=True)
		frappe.clear_cache(doctype=doctype)


def remove() -> None:
	"""Take away what the app put on the site outside its doctypes (`before_uninstall`, after the
	permission rules install.py gave the roles on ERPNext's records)."""
	import frappe

	doctypes = app_doctypes()
	for name in frappe.get_all("Custom Field", filters={"module": MODULE}, pluck="name"):
		frappe.delete_doc("Custom Field", name, force=True, ignore_permissions=True)  # and its setters
	for name in frappe.get_all("Property Setter", filters={"module": MODULE}, pluck="name"):
		frappe.delete_doc("Property Setter", name, force=True, ignore_permissions=True)
	for workflow in workflows():
		frappe.delete_doc_if_exists("Workflow", workflow, force=True)
	_forget("DocType", doctypes, doctypes)
	for doctype in ("Workflow State", "Workflow Action Master"):
		names = removable(doctype, fixture_names(doctype))
		_forget(doctype, names, doctypes)
		frappe.db.delete(doctype, {"name": ("in", names or [""])})
	_forget("Email Template", email_templates(), doctypes)
	frappe.db.delete("Email Template", {"name": ("in", email_templates())})
	app_roles = roles()
	_forget("Role", app_roles, doctypes)
	frappe.db.delete("Custom DocPerm", {"role": ("in", app_roles)})
	frappe.db.delete("Custom DocPerm", {"parent": ("in", doctypes or [""])})
	frappe.db.delete("Has Role", {"role": ("in", app_roles)})
	frappe.db.delete("Role", {"name": ("in", app_roles)})
	frappe.db.delete("Scheduled Job Type", {"method": ("like", f"{APP}.%")})
	frappe.db.delete("Patch Log", {"patch": ("like", f"{APP}.%")})
	# the values of the app's settings (a Single keeps them in tabSingles, which dropping it leaves)
	frappe.db.delete("Singles", {"doctype": ("in", doctypes or [""])})
	frappe.db.sql("delete from `__UserSettings` where doctype in %s", [doctypes or [""]])
	frappe.clear_cache()


def _forget(target: str, names: list[str], app_doctypes: list[str]) -> None:
	"""Remove or clear what points at `names` of `target`: child rows and traces (to-dos, comments,
	versions, files …) go, a record whose mandatory link it is goes, an optional link is emptied."""
	import frappe

	if not names:
		return
	for doctype, fieldname, istable, reqd in link_fields(target):
		if doctype in app_doctypes:
			continue  # the app's own doctypes are dropped by Frappe
		filters = {fieldname: ("in", names)}
		if doctype == "File":
			for file in frappe.get_all("File", filters=filters, pluck="name"):
				frappe.delete_doc("File", file, force=True, ignore_permissions=True)  # and from the disk
		elif istable or reqd or doctype in TRACE_DOCTYPES:
			if not istable:
				for table in frappe.get_meta(doctype).get_table_fields():
					parents = frappe.get_all(doctype, filters=filters, pluck="name")
					if parents:
						frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", parents)})
			frappe.db.delete(doctype, filters)
		else:
			frappe.db.set_value(doctype, filters, fieldname, None, update_modified=False)


# --- the uninstall check (.ci/run, on a scratch site) ------------------------------------------

ERPNEXT_RECORDS = (
	"Customer",
	"Contact",
	"Item",
	"Sales Order",
	"Delivery Note",
	"Sales Invoice",
	"Quality Action",
	"Warranty Claim",
	"Maintenance Visit",
	"Employee",
	"Department",
	"User",
)


def snapshot() -> dict:
	"""Before uninstalling: the app's doctypes and how many of ERPNext's records the site holds
	(`bench --site S execute cs_procedures.footprint.snapshot > footprint.json`)."""
	import frappe

	return {
		"doctypes": app_doctypes(),
		"counts": {doctype: frappe.db.count(doctype) for doctype in ERPNEXT_RECORDS},
	}


def verify(path: str) -> None:
	"""After `uninstall-app`: nothing of the app is left and ERPNext's records are as many as before.
	Prints "uninstall check: passed", or raises with what is left."""
	import frappe

	with open(path, encoding="utf-8") as f:
		before = json.load(f)
	problems = [f"{what}: {count} left" for what, count in sorted(leftovers(before["doctypes"]).items())]
	problems += [
		f"{doctype}: {count} before, {frappe.db.count(doctype)} after"
		for doctype, count in before["counts"].items()
		if frappe.db.count(doctype) != count
	]
	problems += [
		f"DocType {name} still exists" for name in before["doctypes"] if frappe.db.exists("DocType", name)
	]
	if APP in frappe.get_installed_apps():
		problems.append(f"{APP} is still installed")
	if problems:
		raise AssertionError("uninstall check: failed\n" + "\n".join(problems))
	print(
		f"uninstall check: passed ({len(before['doctypes'])} doctypes gone, {len(before['counts'])} ERPNext record counts unchanged)"
	)
