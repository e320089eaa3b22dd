"""Writing many rows in a constant number of statements."""

import frappe

CHUNK = 5000


def set_values(doctype: str, updates: dict[str, dict], chunk: int = CHUNK) -> None:
	"""Set different values on many documents of `doctype` with one UPDATE per `chunk` rows.

	`updates` maps document name -> {fieldname: value}; `modified` is left alone, as with
	`frappe.db.set_value(..., update_modified=False)`.
	"""
	names = list(updates)
	fields = sorted({field for values in updates.values() for field in values})
	for start in range(0, len(names), chunk):
		part = names[start : start + chunk]
		assignments, values = [], []
		for field in fields:
			assignments.append(
				f"`{field}` = case `name` {' '.join(['when %s then %s'] * len(part))} else `{field}` end"
			)
			for name in part:
				values += [name, updates[name].get(field)]
		frappe.db.sql(
			f"update `tab{doctype}` set {', '.join(assignments)} where `name` in ({', '.join(['%s'] * len(part))})",
			values + part,
		)
