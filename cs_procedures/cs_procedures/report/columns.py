"""Column definitions shared by the app's script reports."""

import functools
import json
import os

import frappe
from frappe import _

# The desk's report grid (frappe-datatable) puts each cell's formatted value into the page as HTML,
# and Frappe's "Data" formatter passes the value through untouched; the chart tooltip shows its x
# labels as HTML too. Customer text must therefore leave the report already escaped. Only "<" and
# ">" are replaced: in HTML text no tag can open without "<", and the Excel/CSV export (which only
# unescapes cells holding both "<" and ">") keeps "&" and quotes as typed ("A & B", "O'Neil").
_TEXT_ESCAPES = str.maketrans({"<": "&lt;", ">": "&gt;"})


def column(
	fieldname: str,
	label: str,
	fieldtype: str = "Data",
	options: str | None = None,
	width: int = 120,
	precision: int | None = None,
):
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": fieldtype,
		"options": options,
		"width": width,
		"precision": precision,
	}


def declared(report_file: str, name: str = "columns") -> list[dict]:
	"""The columns a report declares in the `columns.json` beside its module (`grouped_columns.json`
	for its rows by group), their labels in the user's language (the metadata test checks each has a zh
	translation). A column is Data, 120 wide, unless it says otherwise; a report adds the columns it
	builds at run time around these. The desk shows a Link cell only to who may read its doctype, so a
	column of a doctype the report's readers may not read (the resolving user, a unit) is plain Data."""
	return [
		column(**{**spec, "label": _(spec["label"])})
		for spec in _columns_file(_columns_path(report_file, name))
	]


def declared_fields(report_file: str, name: str = "columns") -> tuple[str, ...]:
	"""The fieldnames of the columns a report declares, in their order."""
	return tuple(spec["fieldname"] for spec in _columns_file(_columns_path(report_file, name)))


def _columns_path(report_file: str, name: str) -> str:
	return os.path.join(os.path.dirname(report_file), f"{name}.json")


def group_column(label: str, fieldtype: str, options: str | None, width: int = 180) -> dict:
	"""The first column of a report's rows by group (`grp`), named after the grouping."""
	return column("grp", _(label), fieldtype, options, width)


@functools.cache
def _columns_file(path: str) -> tuple[dict, ...]:
	with open(path, encoding="utf-8") as f:
		return tuple(json.load(f))


def group_of(filters, groups: dict, default: str | None = None) -> str | None:
	"""The filter `group_by` (or `default`): empty (one row per record) or one of `groups`."""
	group_by = filters.get("group_by") or default
	if group_by and group_by not in groups:
		frappe.throw(
			_("Cannot group this report by {0}.").format(frappe.utils.escape_html(str(group_by))),
			title=_("Invalid Filters"),
		)
	return group_by


def response_columns() -> list[dict]:
	"""The first columns of the survey reports that list responses: the response and its customer."""
	return [
		column("name", _("Response"), "Link", "Satisfaction Survey Response", 150),
		column("customer", _("Customer"), "Link", "Customer", 150),
		column("customer_name", _("Customer Name"), "Data", width=180),
	]


def translate_values(rows: list, fields: tuple[str, ...]) -> None:
	"""Show Select values (stored in English) in the user's language, escaped like any Data cell: a
	value written past the Select's validation (db_set, SQL) is shown untranslated."""
	shown = {}  # each distinct value translated once
	for row in rows:
		for field in fields:
			value = row[field]
			if value not in shown:
				shown[value] = escape_text(_(value)) if value else None
			row[field] = shown[value]


def escape_text(value):
	"""User text made inert for the desk's report grid and chart tooltips (see `_TEXT_ESCAPES`)."""
	if isinstance(value, str) and ("<" in value or ">" in value):
		return value.translate(_TEXT_ESCAPES)
	return value


def escaped_sql(expression: str) -> str:
	"""`escape_text` of an SQL expression, done by MariaDB (for reports of many rows)."""
	return f"replace(replace({expression}, '<', '&lt;'), '>', '&gt;')"


def bar_chart(rows: list, datasets: dict[str, str], translate: bool = False):
	"""A bar per grouped row (`grp`), a dataset per name -> field; the labels escaped (the tooltip shows
	them as HTML), translated where they are Select values, an empty group "Not Set"."""
	if not rows:
		return None
	return {
		"data": {
			"labels": [
				escape_text(_(row.grp) if translate else row.grp) if row.grp else _("Not Set") for row in rows
			],
			"datasets": [
				{"name": name, "values": [row.get(field) or 0 for row in rows]}
				for name, field in datasets.items()
			],
		},
		"type": "bar",
	}


def escape_values(rows: list, fields: tuple[str, ...]) -> None:
	"""Escape the free-text (Data) cells; Link cells are built with innerText by the desk, and their
	values are document names, which cannot hold "<" or ">"."""
	for row in rows:
		for field in fields:
			row[field] = escape_text(row.get(field))


def json_rows(fields: dict[str, str], rest: str, values: dict) -> list:
	"""The rows of `select <fields' expressions> <rest>` as dicts keyed by the fields. Each row leaves
	MariaDB as one JSON array, read by the json module in C: pymysql decodes a result a column at a
	time in Python, which at tens of thousands of rows of thirty columns cost more than the query.
	JSON gives numbers, text and NULL; dates and stamps come as their text (ISO, as the grid reads them)."""
	result = frappe.db.sql(f"select json_array({', '.join(fields.values())}) {rest}", values)
	keys = tuple(fields)
	return [
		frappe._dict(zip(keys, row, strict=True))
		for row in json.loads(f"[{','.join(text for (text,) in result)}]")
	]


def campaign_of(filters):
	"""The campaign a survey report is about, which the user must be allowed to read."""
	if not filters.get("campaign"):
		frappe.throw(_("Select a campaign."), title=_("Invalid Filters"))
	campaign = frappe.get_doc("Satisfaction Survey Campaign", filters.campaign)
	campaign.check_permission("read")
	return campaign
