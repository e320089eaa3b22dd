"""Records approved by submitting them (credit change, closing an account): one role requests, the
role CS Settings names approves, never the person who requested, and only as requested."""

import frappe
from frappe import _
from frappe.utils import cstr, now_datetime

from cs_procedures import guards


def stamp_request(doc) -> None:
	"""Who asked and when, written on the draft (permlevel 1: no client sets them)."""
	if doc.is_new() or not doc.requested_by:
		doc.requested_by, doc.requested_on = frappe.session.user, now_datetime().replace(microsecond=0)


def check_approval(doc, approver: str, requested_fields: tuple[str, ...]) -> None:
	"""`before_submit`: the approver's role, someone other than the requester, nothing of the request
	changed by the approving save; then the approval's stamps."""
	if not guards.has_role(approver):
		guards.refuse(
			_("{0} is approved by a {1} (CS Settings).").format(_(doc.doctype), _(approver)),
			title=_("Not the Approver"),
		)
	if doc.requested_by == frappe.session.user and not guards.is_administrator():
		guards.refuse(_("{0} is approved by someone other than who requested it.").format(_(doc.doctype)))
	before = doc.get_doc_before_save()
	changed = [
		field for field in requested_fields if before and cstr(before.get(field)) != cstr(doc.get(field))
	]
	if changed:
		guards.refuse(
			_("The approver approves the request as it was made: {0} cannot be changed.").format(
				", ".join(_(doc.meta.get_label(field)) for field in changed)
			),
			title=_("Approve as Requested"),
		)
	doc.approved_by, doc.approved_on = frappe.session.user, now_datetime().replace(microsecond=0)


def keep_approved(doc) -> None:
	"""`before_cancel`: an approved request stays; another request changes it again."""
	guards.refuse(
		_("An approved {0} stays as evidence; make a new one to change it again.").format(_(doc.doctype)),
		title=_("Record Kept as Evidence"),
	)


class ApprovedRecord(guards.ProcedureDocument):
	"""A record whose submit is its approval: once approved it is neither cancelled nor deleted."""

	def before_cancel(self):
		keep_approved(self)

	def on_trash(self):
		if self.docstatus:
			guards.refuse_deletion(self, _("it was approved."))
