"""客户资料卡 / 法人·自然人客户信息资料表 (000 I-2, 002 ch7 §8–9, ch2 §6–7): what the company knows of a
customer, kept with its history (versions), read according to its confidentiality level (密级,
procedures/credit.py: `file_permission` and `file_query`), with the log of the paper file's loans and
the record of what was destroyed (客户档案管理流程, 002 ch7 §16)."""

import frappe
from frappe import _
from frappe.utils import cstr, getdate

from cs_procedures import guards, people
from cs_procedures.procedures import credit as rules

LOAN_FIELDS = ("borrower", "purpose", "borrowed_on", "due_on", "returned_on")
DESTRUCTION_FIELDS = ("documents", "reason", "method", "destroyed_on", "witnessed_by", "approved_by")


class CustomerFile(guards.ProcedureDocument):
	def validate(self):
		before = self.get_doc_before_save()
		self.check_loans(before)
		self.check_destructions(before)

	def check_loans(self, before):
		"""Only the keeper of the files (the CS Manager) lends a paper file and records its return; a
		loan that came back is fixed."""
		stored = {row.name: row for row in (before.loans if before else [])}
		for row in self.loans:
			old = stored.pop(row.name, None)
			if old is not None and (row.lent_by or None) != (old.lent_by or None):
				guards.refuse(
					_("Who lent the file is recorded by the loan itself."), title=_("Not the Keeper")
				)
			if old is not None and not changed(row, old, LOAN_FIELDS):
				continue
			if not guards.has_role(people.CS_MANAGER):
				guards.refuse(
					_("Only the CS Manager lends the paper file and records its return."),
					title=_("Not the Keeper"),
				)
			if old is not None and old.returned_on:
				guards.refuse(_("A loan that came back is kept as it was."), title=_("Loan Closed"))
			if old is None:
				row.lent_by = frappe.session.user
			if row.returned_on and getdate(row.returned_on) < getdate(row.borrowed_on):
				frappe.throw(
					_("Row {0}: a file comes back after it was lent.").format(row.idx),
					title=_("Invalid Date"),
				)
		if stored:
			guards.refuse(_("The loans of a customer file stay on it."), title=_("Loan Kept"))

	def check_destructions(self, before):
		"""A destruction is recorded by the CS Manager, approved by a CS General Manager, and kept."""
		stored = {row.name: row for row in (before.destructions if before else [])}
		for row in self.destructions:
			old = stored.pop(row.name, None)
			if old is not None:
				if changed(row, old, DESTRUCTION_FIELDS):
					guards.refuse(
						_("A destruction record is kept as it was entered."),
						title=_("Record Kept as Evidence"),
					)
				continue
			if not guards.has_role(people.CS_MANAGER):
				guards.refuse(
					_("Only the CS Manager records the destruction of a file's documents."),
					title=_("Not the Keeper"),
				)
			if people.GENERAL_MANAGER_ROLE not in frappe.get_roles(row.approved_by):
				frappe.throw(
					_("Row {0}: the destruction is approved by a CS General Manager; {1} is not one.").format(
						row.idx, row.approved_by
					),
					title=_("Not the Approver"),
				)
		if stored:
			guards.refuse(
				_("A destruction record is kept as it was entered."), title=_("Record Kept as Evidence")
			)

	def on_trash(self):
		guards.refuse_deletion(
			self,
			_("a customer file is kept; the customer's account is closed with a Customer Account Closure."),
		)


def changed(row, old, fields) -> bool:
	return any(cstr(row.get(field)) != cstr(old.get(field)) for field in fields)


def file_permission(doc, ptype=None, user=None, debug=False):
	"""`has_permission` of Customer File: the confidentiality level limits who reads it (None leaves
	the answer to the roles' permissions)."""
	user = user or frappe.session.user
	if user == guards.ADMINISTRATOR:
		return None
	if not rules.may_read_file(doc.get("confidentiality"), set(frappe.get_roles(user))):
		return False
	return None


def file_query(user=None, doctype=None):
	"""`permission_query_conditions` of Customer File: lists show only the files the user may read."""
	user = user or frappe.session.user
	if user == guards.ADMINISTRATOR:
		return ""
	levels = rules.readable_levels(set(frappe.get_roles(user)))
	if not levels:
		return "1 = 0"
	return "`tabCustomer File`.confidentiality in ({})".format(
		", ".join(frappe.db.escape(level) for level in levels)
	)
