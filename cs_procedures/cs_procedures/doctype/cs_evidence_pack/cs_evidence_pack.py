"""Evidence pack (issue 23): for a period, one PDF and a zip of the underlying records that a CS
manager hands an auditor. Which records belong: procedures/evidence.py; the building, in the
background: pack.py. Once generated the pack is submitted by its job and never changes."""

import frappe
from frappe import _
from frappe.utils import getdate

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.cs_evidence_pack import pack
from cs_procedures.procedures import evidence as rules

MESSAGES = {
	"no_period": lambda: _("Give the first and the last day of the period."),
	"period_reversed": lambda: _("The period ends before it begins."),
	"period_ahead": lambda: _("The period cannot end after today: its records are not all in yet."),
}


class CSEvidencePack(guards.ProcedureDocument):
	def validate(self):
		today = getdate()
		start, end = (getdate(d) if d else None for d in (self.from_date, self.to_date))
		guards.rule_error(MESSAGES, rules.check_period(start, end, today), title=_("Evidence Pack"))
		before = self.get_doc_before_save()
		if before is not None and before.status not in rules.GENERATABLE and not self.flags.generated_by_job:
			guards.refuse(
				_("Evidence pack {0} is {1}: it cannot be changed.").format(self.name, _(before.status))
			)

	def before_submit(self):
		if not self.flags.generated_by_job:
			guards.refuse(_("An evidence pack is completed by generating it, not submitted by hand."))

	def on_trash(self):
		kept = self.docstatus != 0 or self.status not in rules.GENERATABLE
		guards.refuse_deletion(self, _("a generated evidence pack is kept as evidence.") if kept else None)

	@frappe.whitelist()
	def generate(self) -> str:
		return pack.start(self.name)
