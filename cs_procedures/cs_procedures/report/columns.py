"""Column definitions shared by the app's script reports."""

from frappe import _


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


def translate_values(rows: list, fields: tuple[str, ...]) -> None:
	"""Show Select values (stored in English) in the user's language."""
	for row in rows:
		for field in fields:
			row[field] = _(row[field]) if row[field] else None
