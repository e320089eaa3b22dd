"""The chase list before a campaign's reply-by date: a phone call for each non-responder (000 II-4)."""

import frappe
from frappe import _
from frappe.utils import getdate

from cs_procedures import guards, people
from cs_procedures.notifications import assign, can_email
from cs_procedures.procedures import satisfaction as rules

CAMPAIGN = "Satisfaction Survey Campaign"
RESPONSE = "Satisfaction Survey Response"


@frappe.whitelist()
def make_chase_list(campaign: str) -> int:
	"""003 §5.3.2: before the reply-by date, the CS officer chases the customers who have not answered:
	a phone-call to-do for each non-responder without e-mail (for every non-responder when the site
	cannot e-mail); the others get the e-mailed reminders, whose state the Chase List report shows."""
	if not guards.has_role(people.CS_MANAGER, people.CS_OFFICER):
		guards.refuse(_("Only CS staff chase the survey's non-responders."), title=_("Not Permitted"))
	doc = frappe.get_doc(CAMPAIGN, campaign, for_update=True)
	doc.check_permission("write")
	if doc.status != rules.SENT:
		frappe.throw(
			_("Only a campaign whose invitations are sent, and that is not closed, has customers to chase."),
			title=_("Nothing to Chase"),
		)
	if getdate() > getdate(doc.reply_by):
		frappe.throw(
			_("The reply-by date has passed: the campaign closes with the answers it has."),
			title=_("Reply-by Date Passed"),
		)
	return chase_non_responders(doc, frappe.session.user)


def chase_non_responders(campaign, user: str) -> int:
	"""A phone-call to-do for `user` for each non-responder to call; returns the to-dos made (an open
	one is not repeated)."""
	emailing = can_email()
	made = 0
	rows = frappe.get_all(
		RESPONSE,
		filters={"campaign": campaign.name, "status": "Invited"},
		fields=["name", "customer", "customer_name", "contact", "email"],
		order_by="customer asc, name asc",
	)
	phones = contact_phones(row.contact for row in rows)
	for row in rows:
		if row.email and emailing:
			continue  # reminded by e-mail
		phone = phones.get(row.contact)
		made += len(
			assign(
				frappe.get_doc(RESPONSE, row.name),
				[user],
				_("Phone {0} for the satisfaction survey ({1}): no answer yet, reply by {2}.").format(
					row.customer_name or row.customer,
					phone or _("no phone number on record"),
					frappe.format(campaign.reply_by, "Date"),
				),
			)
		)
	campaign.add_comment(
		"Info", _("Chase list: {0} phone calls put on the to-do list of {1}.").format(made, user)
	)
	return made


def contact_phones(contacts) -> dict[str, str]:
	"""The mobile (or else the landline) number of each contact, in one query."""
	contacts = sorted({contact for contact in contacts if contact})
	if not contacts:
		return {}
	rows = frappe.get_all(
		"Contact", filters={"name": ("in", contacts)}, fields=["name", "mobile_no", "phone"]
	)
	return {row.name: row.mobile_no or row.phone for row in rows if row.mobile_no or row.phone}
