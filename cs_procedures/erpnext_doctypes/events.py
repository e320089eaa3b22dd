"""Document events on ERPNext and Frappe doctypes (registered in hooks.py doc_events)."""

import frappe
from frappe import _
from frappe.utils import cint
from frappe.utils.html_utils import sanitize_html

from cs_procedures import guards, people
from cs_procedures.erpnext_doctypes.credit import guard_customer_credit
from cs_procedures.procedures import satisfaction


def describe_complaint_from_email(communication, method=None):
	"""A complaint created from an incoming e-mail takes the e-mail's text as its description."""
	if (
		communication.reference_doctype != "Customer Complaint"
		or communication.sent_or_received != "Received"
		or not communication.reference_name
		or not communication.content
	):
		return
	if not frappe.db.get_value("Customer Complaint", communication.reference_name, "description"):
		frappe.db.set_value(
			"Customer Complaint",
			communication.reference_name,
			"description",
			sanitize_html(
				communication.content
			),  # set directly, so Frappe's Text Editor sanitizer did not run
			update_modified=False,
		)


def verify_survey_action_before_completion(action, method=None):
	"""A Quality Action raised by a satisfaction survey closes only once its effect is verified (003 §5.1.5)."""
	if (
		action.get("cs_survey_campaign")
		and action.status == "Completed"
		and not action.get("cs_effect_verified")
	):
		frappe.throw(
			_("Verify the effectiveness of the action before completing it."),
			title=_("Effectiveness Not Verified"),
		)


# the records of the app that raise Quality Actions, each kept on its actions: (field, messages of a
# changed link and of a refused deletion)
RAISED_BY = {
	"cs_survey_campaign": (
		lambda name: _(
			"This action was raised by satisfaction survey {0}: the link cannot be changed or cleared."
		).format(name),
		lambda name: _("it was raised by satisfaction survey {0}.").format(name),
	),
	"cs_management_review": (
		lambda name: _(
			"This action was decided by management review {0}: the link cannot be changed or cleared."
		).format(name),
		lambda name: _("it was decided by management review {0}.").format(name),
	),
}


def guard_survey_action(action, method=None):
	"""Every desk user may edit a Quality Action: the survey's trace holds on the server. The link to
	the campaign that raised the action stays, and only a CS Verifier confirms its effect (003 §5.1.5)."""
	before = action.get_doc_before_save()
	for field, (changed, _kept) in RAISED_BY.items():
		linked = before.get(field) if before else None
		if linked and action.get(field) != linked:
			guards.refuse(changed(linked), title=_("Raised by a Procedure"))
	if cint(action.get("cs_effect_verified")) != cint(before.get("cs_effect_verified") if before else 0):
		if not guards.has_role(people.VERIFIER_ROLE):
			guards.refuse(
				_("Only a CS Verifier can confirm or withdraw the verification of effectiveness."),
				title=_("Not a Verifier"),
			)
		quality = people.quality_department()
		if quality and raises_quality_issue(action) and not guards.is_administrator():
			if people.user_department() != quality:
				guards.refuse(
					_(
						"The effect on a product quality issue is confirmed by the quality department ({0}) (001 4.9)."
					).format(quality),
					title=_("Quality Department"),
				)


def raises_quality_issue(action) -> bool:
	"""Whether the survey items behind a Quality Action include product quality (001 4.9)."""
	categories = frappe.get_all(
		"Satisfaction Survey Follow Up", filters={"quality_action": action.name}, pluck="category"
	)
	return any(satisfaction.CATEGORY_COMPLAINT_TYPE.get(category) == "Quality" for category in categories)


def keep_survey_action(action, method=None):
	"""A corrective action raised by a survey or decided by a management review is evidence: only
	Administrator deletes it."""
	for field, (_changed, kept) in RAISED_BY.items():
		if action.get(field):
			guards.refuse_deletion(action, kept(action.get(field)))


def sales_order_before_submit(sales_order, method=None):
	"""A Sales Order waits for its approved order review when CS Settings ask for one (003 5.1.3)."""
	from cs_procedures.cs_procedures.doctype.order_review.order_review import check_sales_order_reviewed

	check_sales_order_reviewed(sales_order)


def customer_validate(customer, method=None):
	"""The grade, the credit grade, the watch list and the credit limits on the Customer are written by
	the procedures only (erpnext_doctypes/credit.py)."""
	from cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record import (
		guard_customer_grade,
	)

	guard_customer_grade(customer)
	guard_customer_credit(customer)
