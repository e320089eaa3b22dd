"""Scheduled jobs work record by record: one bad record neither stops a job nor repeats its messages."""

from collections.abc import Callable, Iterable

import frappe


def each(records: Iterable, handle: Callable, *, doctype: str, title: str) -> list:
	"""Call `handle(record)` for every record inside a savepoint of its own.

	A record that fails is rolled back to its savepoint (with the notifications and e-mails it
	queued, which live in the same transaction) and goes to the Error Log; the others go on and
	are committed with the job. Returns the results of the records handled.
	"""
	results = []
	for record in records:
		savepoint = f"cs_{frappe.generate_hash(length=12)}"
		frappe.db.savepoint(savepoint)
		try:
			result = handle(record)
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			name = record if isinstance(record, str) else getattr(record, "name", None)
			frappe.log_error(title=title, reference_doctype=doctype, reference_name=name)
		else:
			frappe.db.release_savepoint(savepoint)
			results.append(result)
	return results
