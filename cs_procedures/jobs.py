"""Scheduled jobs work record by record: one bad record neither stops a job nor repeats its messages."""

from collections.abc import Callable, Iterable

import frappe

from cs_procedures import guards


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


def record_failure(doc, title: str, message: str, event: str, data: dict, reset: tuple[str, str]) -> None:
	"""A background job on `doc` failed and was rolled back: the error goes to the Error Log; the
	stored record goes from status `reset[0]` (if it still shows it) back to `reset[1]` and gets a
	comment, `message` naming the Error Log as {0}; its form hears `event` with `data` and `failed`.
	Commits."""
	error = frappe.log_error(title=title, reference_doctype=doc.doctype, reference_name=doc.name)
	doc = frappe.get_doc(doc.doctype, doc.name, for_update=True)
	if doc.status == reset[0]:
		guards.stamp(doc, {"status": reset[1]})
	doc.add_comment("Info", message.format(error.name))
	frappe.db.commit()
	frappe.publish_realtime(event, {**data, "failed": 1}, doctype=doc.doctype, docname=doc.name)
