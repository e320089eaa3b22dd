"""Files attached to the procedures' records (a memo's signed copy, a customer's photos): evidence too.

- Every file attached to a record of the app is private and stored under a random name: a file URL
  cannot be guessed from the name the customer gave the photo (which stays its display name).
- Once a record has left its first state (`ProcedureDocument.is_evidence`), its attachments are
  neither deleted, made public, nor moved to another record, except by Administrator.
- Frappe lets the owner of a File record read its file: nobody may point a File of their own at a
  private file they cannot already read (`POST /api/resource/File {"file_url": "/private/files/…"}`).

Registered in hooks.py (`has_permission` and `doc_events` of File).
"""

import os
from urllib.parse import quote, unquote, urlsplit

import frappe
from frappe import _
from frappe.utils import cint

from cs_procedures import guards

PRIVATE_PREFIX = "/private/files/"


def attached_record(file):
	"""The app's record a File is attached to, or None."""
	doctype, name = file.get("attached_to_doctype"), file.get("attached_to_name")
	if not doctype or not name or frappe.get_meta(doctype).module != "CS Procedures":
		return None
	if not frappe.db.exists(doctype, name):
		return None
	return frappe.get_doc(doctype, name)


def is_evidence_file(file) -> bool:
	record = attached_record(file)
	return bool(record) and isinstance(record, guards.ProcedureDocument) and record.is_evidence()


def private_path(url: str | None) -> str | None:
	"""/private/files/<name> as Frappe resolves it, or None for any other URL."""
	path = unquote(urlsplit(url or "").path)
	return path if path.startswith(PRIVATE_PREFIX) else None


def may_read_private_file(path: str, user: str, exclude: str | None = None) -> bool:
	"""Whether `user` can already download the private file at `path` through a File that exists."""
	for name in frappe.get_all("File", filters={"file_url": path}, pluck="name"):
		if name != exclude and frappe.get_doc("File", name).is_downloadable():
			return True
	return False


def file_permission(doc, ptype=None, user=None, debug=False):
	"""`has_permission` hook of File: only denies (None leaves the answer to Frappe)."""
	user = user or frappe.session.user
	if user == guards.ADMINISTRATOR:
		return None
	if ptype == "delete" and is_evidence_file(doc):
		return False
	if ptype in ("create", "write") and doc.get("file_url") and not doc.get("content"):
		path = private_path(doc.file_url)
		stored = None if doc.is_new() else frappe.db.get_value("File", doc.name, "file_url")
		if path and path != private_path(stored) and not may_read_private_file(path, user, doc.name):
			return False
	return None


def before_validate_file(doc, method=None):
	"""Evidence attachments stay private and where they are; the change is refused with a reason."""
	if doc.is_new() or guards.is_administrator() or doc.flags.ignore_permissions:
		return
	before = doc.get_doc_before_save()
	if before is None or not is_evidence_file(before):
		return
	if not cint(doc.is_private) and cint(before.is_private):
		guards.refuse(_("An attachment of a record kept as evidence cannot be made public."))
	if (doc.attached_to_doctype, doc.attached_to_name) != (
		before.attached_to_doctype,
		before.attached_to_name,
	):
		guards.refuse(_("An attachment of a record kept as evidence cannot be moved to another record."))


def after_insert_file(doc, method=None):
	"""A file attached to a record of the app is stored privately, under a random name (the name it
	was uploaded with stays its display name); the attachment comment points at the new URL."""
	if doc.is_folder or not doc.file_url or doc.is_remote_file or not attached_record(doc):
		return
	old_url, old_path = doc.file_url, doc.get_full_path()
	content = doc.get_content()
	shared = frappe.db.exists("File", {"file_url": old_url, "name": ("!=", doc.name)})
	name = frappe.generate_hash(length=20) + os.path.splitext(doc.file_name or "")[1].lower()
	with open(frappe.get_site_path("private", "files", name), "wb") as f:
		f.write(content if isinstance(content, bytes) else content.encode())
	doc.db_set({"file_url": PRIVATE_PREFIX + name, "is_private": 1}, update_modified=False)
	if not shared and os.path.exists(old_path):
		os.remove(old_path)
	for old, new in ((old_url, doc.file_url), (quote(old_url, safe="/:"), doc.file_url)):
		frappe.db.sql(
			"""update `tabComment` set content = replace(content, %s, %s)
			where comment_type = 'Attachment' and reference_doctype = %s and reference_name = %s""",
			(old, new, doc.attached_to_doctype, doc.attached_to_name),
		)
