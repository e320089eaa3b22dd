"""Checks of the app's metadata: well-formed, consistent, resolvable, translated."""

import ast
import csv
import re

import pytest

from cs_procedures import procedures
from tests.app_strings import (
	APP,
	MODULE,
	doctype_files,
	js_strings,
	load,
	meta_strings,
	python_strings,
	record_files,
	template_strings,
)

# Doctypes of Frappe and ERPNext the app links to.
PLATFORM_DOCTYPES = {
	"Batch", "Company", "Contact", "Customer", "Delivery Note", "Department", "Employee", "Holiday List",
	"Item", "Sales Invoice", "Sales Order", "User", "Workflow State", "Customer Group", "Territory",
	"Quality Action", "Call Log", "ToDo", "Quality Inspection", "UOM", "Warehouse", "Event",
	"Warranty Claim", "Currency", "Role", "Issue", "Payment Terms Template", "Quality Review", "Quality Meeting",
}  # fmt: skip
APP_DOCTYPES = {load(path)["name"] for path in doctype_files()}
# the base classes of the app's records: each a guards.ProcedureDocument (approvals.py subclasses it)
RECORD_BASES = ("guards.ProcedureDocument", "approvals.ApprovedRecord")


def scrub(name):
	return name.lower().replace(" ", "_").replace("-", "_")


@pytest.mark.parametrize("path", doctype_files(), ids=lambda p: p.stem)
def test_doctype_json_is_consistent(path):
	doctype = load(path)
	assert doctype["doctype"] == "DocType"
	assert scrub(doctype["name"]) == path.stem == path.parent.name
	assert doctype["module"] == "CS Procedures"
	fieldnames = [df["fieldname"] for df in doctype["fields"]]
	assert len(fieldnames) == len(set(fieldnames)), "duplicate fieldnames"
	assert doctype["field_order"] == fieldnames
	for df in doctype["fields"]:
		if df["fieldtype"] in ("Link", "Table"):
			assert df["options"] in PLATFORM_DOCTYPES | APP_DOCTYPES, df["fieldname"]
		if df.get("fetch_from"):
			link = df["fetch_from"].split(".")[0]
			assert link in fieldnames
	if not doctype.get("istable"):
		assert doctype["permissions"], "every doctype sets its permissions"
		assert all(p["role"] != "All" and p["role"] != "Guest" for p in doctype["permissions"])
	controller = path.with_suffix(".py")
	tree = ast.parse(controller.read_text())
	classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
	assert doctype["name"].replace(" ", "") in classes
	# every record is judged by the shared guards, every row saved only through its record (guards.py)
	(base,) = classes[doctype["name"].replace(" ", "")].bases
	expected = {"guards.ProcedureRow"} if doctype.get("istable") else set(RECORD_BASES)
	assert ast.unparse(base) in expected
	assert (path.parent / "__init__.py").exists()


def test_customer_complaint_naming_and_email_intake():
	doctype = load(MODULE / "doctype/customer_complaint/customer_complaint.json")
	fields = {df["fieldname"]: df for df in doctype["fields"]}
	assert doctype["autoname"] == "naming_series:"
	assert fields["naming_series"]["options"] == "CC-.YYYY.-.#####"
	assert (
		doctype["email_append_to"]
		and doctype["sender_field"] in fields
		and doctype["subject_field"] in fields
	)
	assert fields["next_sweep_at"].get("search_index"), "the sweep's filter column must be indexed"


# Each Workflow fixture: its rules module (the state names are its constants), its first state and
# the states it ends in.
WORKFLOWS = {
	name: (module, workflow.first, set(workflow.ends))
	for name, (module, workflow) in procedures.declared_workflows().items()
}


def test_every_workflow_has_its_rules_module():
	assert set(WORKFLOWS) == {workflow["name"] for workflow in load(APP / "fixtures/workflow.json")}


@pytest.mark.parametrize("workflow", load(APP / "fixtures/workflow.json"), ids=lambda w: w["name"])
def test_workflow_matches_the_procedure(workflow):
	states = {s["workflow_state_name"] for s in load(APP / "fixtures/workflow_state.json")}
	actions = {a["workflow_action_name"] for a in load(APP / "fixtures/workflow_action_master.json")}
	# the app's roles, and ERPNext's the customer property moves with (warehouse, incoming inspection)
	roles = {r["name"] for r in load(APP / "fixtures/role.json")} | {
		"System Manager",
		"Stock User",
		"Quality Manager",
	}
	module, first, ends = WORKFLOWS[workflow["name"]]
	own = {s["state"] for s in workflow["states"]}
	procedure_states = {
		value for name, value in vars(module).items() if name.isupper() and isinstance(value, str)
	}
	assert own <= states and own <= procedure_states
	assert workflow["states"][0]["state"] == first
	for t in workflow["transitions"]:
		assert t["state"] in own and t["next_state"] in own and t["action"] in actions
		assert t["allowed"] in roles | {"Customer"}  # Reopen: the customer's own answer on the portal
	for s in workflow["states"]:
		assert s["allow_edit"] in roles
	# every state can be reached from the first and only the final states cannot be left
	reachable, frontier = {first}, [first]
	while frontier:
		state = frontier.pop()
		for t in workflow["transitions"]:
			if t["state"] == state and t["next_state"] not in reachable:
				reachable.add(t["next_state"])
				frontier.append(t["next_state"])
	assert reachable == own
	assert {t["state"] for t in workflow["transitions"]} == own - ends


def test_roles_with_permissions_exist():
	roles = {r["name"] for r in load(APP / "fixtures/role.json")} | {
		"System Manager",
		"Stock User",
		"Quality Manager",
		"Sales User",
		"Accounts User",
		"Maintenance User",
		"Sales Manager",
	}
	for path in doctype_files():
		for perm in load(path)["permissions"]:
			assert perm["role"] in roles, (path.stem, perm["role"])


def _hook_paths():
	tree = ast.parse((APP / "hooks.py").read_text())
	for node in ast.walk(tree):
		if (
			isinstance(node, ast.Constant)
			and isinstance(node.value, str)
			and re.fullmatch(r"cs_procedures(\.\w+)+", node.value)
			and not node.value.endswith((".js", ".css"))
		):
			yield node.value


@pytest.mark.parametrize("dotted", sorted(set(_hook_paths())))
def test_hook_paths_resolve(dotted):
	module, _, function = dotted.rpartition(".")
	path = APP.parent / (module.replace(".", "/") + ".py")
	assert path.exists(), path
	names = {node.name for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)}
	assert function in names


def test_form_scripts_of_erpnext_doctypes_load_with_their_forms_only():
	tree = ast.parse((APP / "hooks.py").read_text())
	values = {t.id: node.value for node in tree.body if isinstance(node, ast.Assign) for t in node.targets}
	assert "app_include_js" not in values  # nothing is loaded on every desk page
	for scripts in ast.literal_eval(values["doctype_js"]).values():
		for script in [scripts] if isinstance(scripts, str) else scripts:
			assert (APP / script).exists(), script


def test_js_includes_resolve():
	"""`{% include "…" %}` in form and report scripts names a file of the app (from the repo root)."""
	for path in APP.rglob("*.js"):
		for included in re.findall(r"""{%\s*include\s*["']([^"']+)["']\s*%}""", path.read_text()):
			assert (APP.parent / included).exists(), f"{path}: {included}"


@pytest.mark.parametrize("path", record_files("report"), ids=lambda p: p.stem)
def test_reports_resolve(path):
	report = load(path)
	assert report["module"] == "CS Procedures" and report["is_standard"] == "Yes"
	assert report["ref_doctype"] in APP_DOCTYPES | PLATFORM_DOCTYPES
	source = path.with_suffix(".py")
	assert "execute" in {n.name for n in ast.parse(source.read_text()).body if isinstance(n, ast.FunctionDef)}
	assert f'frappe.query_reports["{report["name"]}"]' in path.with_suffix(".js").read_text()


COLUMN_TYPES = {
	"Check",
	"Currency",
	"Data",
	"Date",
	"Datetime",
	"Dynamic Link",
	"Float",
	"Int",
	"Link",
	"Percent",
}


@pytest.mark.parametrize(
	"path", sorted(MODULE.glob("report/*/*columns.json")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_declared_report_columns(path):
	"""A report's `columns.json` (and `grouped_columns.json`) is read by its module, and each column is
	complete: a unique field name, a label, a known type, and the doctype (or the field holding it) of a
	link."""
	columns = load(path)
	reader = "declared(__file__)" if path.stem == "columns" else f'declared(__file__, "{path.stem}")'
	assert reader in path.with_name(f"{path.parent.name}.py").read_text()
	assert len({c["fieldname"] for c in columns}) == len(columns)
	for c in columns:
		assert set(c) <= {"fieldname", "label", "fieldtype", "options", "width", "precision"}, c
		assert c["fieldname"] and c["label"] and c.get("fieldtype", "Data") in COLUMN_TYPES, c
		assert bool(c.get("options")) == (c.get("fieldtype") in ("Link", "Dynamic Link")), c


def test_workspace_refers_to_existing_records():
	(path,) = MODULE.glob("workspace/*/*.json")
	workspace = load(path)
	cards = {load(p)["name"] for p in record_files("number_card")}
	charts = {load(p)["name"] for p in record_files("dashboard_chart")}
	reports = {load(p)["name"] for p in record_files("report")}
	assert {c["number_card_name"] for c in workspace["number_cards"]} <= cards
	assert {c["chart_name"] for c in workspace["charts"]} <= charts
	for link in workspace["links"]:
		if link["type"] == "Link":
			known = (
				reports
				if link["link_type"] == "Report"
				else APP_DOCTYPES | PLATFORM_DOCTYPES | {"Quality Action"}
			)
			assert link["link_to"] in known


def zh_translations():
	with open(APP / "translations/zh.csv", newline="", encoding="utf-8") as f:
		return {row[0]: row[1] for row in csv.reader(f) if row}


def test_every_user_facing_string_has_a_zh_translation():
	zh = zh_translations()
	missing = sorted(
		{
			f"{path.relative_to(APP)}: {text}"
			for source in (python_strings(), js_strings(), meta_strings(), template_strings())
			for path, text in source
			if text not in zh
		}
	)
	assert not missing, "\n".join(missing)


def test_translations_keep_placeholders():
	for source, target in zh_translations().items():
		assert sorted(re.findall(r"\{\d\}", source)) == sorted(re.findall(r"\{\d\}", target)), source
