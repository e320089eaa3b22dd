"""The sign-off of a campaign's statistics, as the paper form has it (顾客满意度调查统计表 HT-QR-MA-02:
拟制 prepared, 审核 reviewed, 批准 approved): real approvals with who and when, each by another person,
in order, on the stored, closed campaign."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from cs_procedures import guards, people
from cs_procedures.procedures import satisfaction as rules

# who signs each line of the form
SIGNERS = {
	rules.PREPARED: (people.CS_OFFICER, people.CS_MANAGER),
	rules.REVIEWED: (people.CS_MANAGER,),
	rules.APPROVED: (people.GENERAL_MANAGER_ROLE,),
}
MESSAGES = {
	"not_closed": lambda step: _("The statistics are signed once the campaign is closed and scored."),
	"all_signed": lambda step: _("The statistics are prepared, reviewed and approved already."),
	"not_your_step": lambda step: _("The statistics are {0} next, by a {1}.").format(
		_(step), " / ".join(_(role) for role in SIGNERS[step])
	),
	"signed_already": lambda step: _(
		"You signed an earlier line: the statistics are {0} by someone else."
	).format(_(step)),
}


def signatures(doc) -> dict[str, str | None]:
	return {step: doc.get(f"statistics_{step}_by") for step in rules.SIGN_OFF_STEPS}


def next_step_for_user(doc) -> str | None:
	"""The step the current user may sign now (for the form's button), or None."""
	step = rules.next_sign_off(signatures(doc))
	if step and not rules.sign_off_problem(doc.status, signatures(doc), frappe.session.user, may_sign(step)):
		return step
	return None


def may_sign(step: str | None) -> bool:
	return bool(step) and guards.has_role(*SIGNERS[step])


@frappe.whitelist(methods=["POST"])
def sign_statistics(campaign: str) -> str:
	"""Sign the next line of the statistics (prepared, reviewed, approved) on the stored campaign."""
	doc = frappe.get_doc("Satisfaction Survey Campaign", campaign, for_update=True)
	doc.check_permission("read")
	signed = signatures(doc)
	step = rules.next_sign_off(signed)
	problem = rules.sign_off_problem(doc.status, signed, frappe.session.user, may_sign(step))
	exc = frappe.PermissionError if problem in ("not_your_step", "signed_already") else frappe.ValidationError
	guards.rule_error(MESSAGES, problem, step, title=_("Statistics Sign-off"), exc=exc)
	guards.stamp(
		doc,
		{
			f"statistics_{step}_by": frappe.session.user,
			f"statistics_{step}_on": now_datetime().replace(microsecond=0),
		},
	)
	doc.add_comment("Info", _("Statistics {0} by {1}.").format(_(step), frappe.utils.get_fullname()))
	return step
