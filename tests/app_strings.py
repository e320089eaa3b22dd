"""The user-facing strings of the app, read from its files without Frappe."""

import ast
import json
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "cs_procedures"
MODULE = APP / "cs_procedures"

JS_CALL = re.compile(r"""__\(\s*(["'`])((?:\\.|(?!\1).)*)\1""")


def load(path: Path):
	return json.loads(path.read_text(encoding="utf-8"))


def doctype_files():
	return sorted(MODULE.glob("doctype/*/*.json"))


def record_files(folder: str):
	"""The records of a module folder (report, number_card, …): `<name>/<name>.json`, not the data files
	beside them (a report's `columns.json`)."""
	return sorted(path for path in MODULE.glob(f"{folder}/*/*.json") if path.stem == path.parent.name)


def python_strings():
	"""Literal first arguments of _() and _lt() (translated when shown) in the app's Python."""
	for path in APP.rglob("*.py"):
		for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
			if (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Name)
				and node.func.id in ("_", "_lt")
				and node.args
				and isinstance(node.args[0], ast.Constant)
				and isinstance(node.args[0].value, str)
			):
				yield path, node.args[0].value


def js_strings():
	for path in APP.rglob("*.js"):
		for match in JS_CALL.finditer(path.read_text(encoding="utf-8")):
			yield path, match.group(2)


JINJA_CALL = re.compile(r"""_\(\s*(["'])((?:\\.|(?!\1).)*)\1""")


def template_strings():
	"""Literal strings of _() in the app's Jinja templates (portal pages, e-mails)."""
	for path in APP.rglob("*.html"):
		for match in JINJA_CALL.finditer(path.read_text(encoding="utf-8")):
			yield path, match.group(2)


def meta_strings():
	"""Labels, descriptions and Select options of the app's doctypes, workflow and desk records."""
	for path in doctype_files():
		doctype = load(path)
		for df in doctype["fields"]:
			for key in ("label", "description"):
				if df.get(key):
					yield path, df[key]
			if df["fieldtype"] == "Select" and df.get("options") and df["fieldname"] != "naming_series":
				for option in df["options"].split("\n"):
					if option:
						yield path, option
	for path in doctype_files():
		yield path, load(path)["name"]
	fixtures = APP / "fixtures"
	for field in load(fixtures / "custom_field.json"):
		for key in ("label", "description"):
			if field.get(key):
				yield fixtures / "custom_field.json", field[key]
	for name in ("workflow_state", "workflow_action_master", "role"):
		for record in load(fixtures / f"{name}.json"):
			yield fixtures / f"{name}.json", record["name"]
	for folder in ("report", "number_card", "dashboard_chart", "workspace"):
		for path in record_files(folder):
			yield path, load(path)["name"]
	for path in MODULE.glob("report/*/*columns.json"):  # a report's declared columns (report/columns.py)
		yield from ((path, column["label"]) for column in load(path))
