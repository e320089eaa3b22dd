"""Writing many rows in a constant number of statements."""

import frappe
from frappe.utils import now

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


def reserve_names(naming_series: str, count: int) -> list[str]:
	"""The next `count` names of a naming series (e.g. "SSR-.YYYY.-.#####"), reserved in one step.

	The counter row of `tabSeries` is read under a lock and advanced once by `count`, as
	`frappe.model.naming.getseries` advances it by one for a single document.
	"""
	from frappe.model.naming import parse_naming_series

	if count <= 0:
		return []
	reserved = {}

	def counter(prefix: str, digits: int) -> str:
		reserved.update(prefix=prefix, digits=digits)
		return "\0"  # where the number goes in the name

	template = parse_naming_series(naming_series, number_generator=counter)
	prefix, digits = reserved["prefix"], reserved["digits"]
	current = frappe.db.sql("select `current` from `tabSeries` where `name` = %s for update", prefix)
	if current and current[0][0] is not None:
		start = int(current[0][0])
		frappe.db.sql("update `tabSeries` set `current` = `current` + %s where `name` = %s", (count, prefix))
	else:
		start = 0
		frappe.db.sql("insert into `tabSeries` (`name`, `current`) values (%s, %s)", (prefix, count))
	return [template.replace("\0", f"{number:0{digits}d}") for number in range(start + 1, start + count + 1)]


def random_names(count: int) -> list[str]:
	"""`count` distinct random names for rows whose doctype is named by hash (child rows, e-mails)."""
	names = set()
	while len(names) < count:
		names.add(frappe.generate_hash(length=16))
	return list(names)


def insert_rows(doctype: str, rows: list[dict], chunk: int = CHUNK) -> None:
	"""INSERT rows given as {column: value} dicts (all with the same columns), `chunk` rows per statement.

	The statement is written directly (as `frappe.db.bulk_insert` writes it through the query
	builder, which costs more than the insert itself for thousands of rows); values are escaped by
	the database driver."""
	if not rows:
		return
	columns = list(rows[0])
	names = ", ".join(f"`{column}`" for column in columns)
	placeholder = f"({', '.join(['%s'] * len(columns))})"
	for start in range(0, len(rows), chunk):
		part = rows[start : start + chunk]
		frappe.db.sql(
			f"insert into `tab{doctype}` ({names}) values {', '.join([placeholder] * len(part))}",
			[row[column] for row in part for column in columns],
		)


def insert_docs(doctype: str, values: list[dict], chunk: int = CHUNK) -> list[str]:
	"""Insert new documents of a doctype named by hash, one {field: value} dict each, with `insert_rows`.

	Each row is what `frappe.new_doc(doctype)` holds (its defaults) with the given values over it, named
	at random and stamped now by the session user. No controller method runs: the caller does what
	the doctype's hooks would. Returns the names, in the order of `values`."""
	if not values:
		return []
	prototype = frappe.new_doc(doctype).get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
	stamp, user = now(), frappe.session.user
	names = random_names(len(values))
	rows = []
	for name, given in zip(names, values, strict=True):
		row = dict(prototype)
		row.update((field, value) for field, value in given.items() if field in prototype)
		row.update(name=name, creation=stamp, modified=stamp, owner=user, modified_by=user)
		rows.append(row)
	insert_rows(doctype, rows, chunk)
	return names


def insert_emails(queues: list[dict], recipients: list[dict]) -> None:
	"""Email Queue rows and their Email Queue Recipient rows, a few MB a statement (the server
	accepts 16 MB by default)."""
	if queues:
		longest = max(len(row["message"] or "") for row in queues)
		insert_rows("Email Queue", queues, chunk=max(1, 4_000_000 // max(longest, 1)))
	insert_rows("Email Queue Recipient", recipients)
