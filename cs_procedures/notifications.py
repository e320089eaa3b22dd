"""How the procedures tell people: to-dos, in-app notifications, and e-mail where the site can send it.

Frappe's own assignment and notification e-mails fail (an AttributeError inside the e-mail sender)
on a site without a default outgoing Email Account, a common state of a fresh ERPNext site. The
procedures must keep working there, so to-dos, in-app notifications and timeline entries never
depend on e-mail: e-mail is queued in the same transaction as the work (so it goes out only if
that work is committed), and only when an outgoing account exists.

Every assignment of the app goes through `assign`, every notification through `notify`.
"""

import frappe
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import escape_html, get_url_to_form, nowdate, strip_html


def can_email() -> bool:
	"""Whether the site has an outgoing Email Account to send the app's e-mails with."""
	return bool(EmailAccount.find_default_outgoing())


def enabled_users(users) -> list[str]:
	users = sorted({user for user in users or () if user})
	if not users:
		return []
	return frappe.get_all(
		"User", filters={"name": ("in", users), "enabled": 1}, pluck="name", order_by="name"
	)


def notify(users, subject: str, doc, email: bool = True) -> list[str]:
	"""An in-app notification about `doc` for each enabled user, and an e-mail when the site can send one.

	Returns the users notified.
	"""
	users = enabled_users(users)
	for user in users:
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"type": "Alert",  # Frappe never e-mails an Alert by itself; we do it below when we can
				"for_user": user,
				"from_user": frappe.session.user,
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": escape_html(subject),
			}
		).insert(ignore_permissions=True)
	if email and users and can_email():
		recipients = frappe.get_all("User", filters={"name": ("in", users)}, pluck="email")
		link = get_url_to_form(doc.doctype, doc.name)
		frappe.sendmail(
			recipients=[address for address in recipients if address],
			subject=strip_html(subject)[:140],
			message=f"<p>{escape_html(subject)}</p><p><a href='{link}'>{escape_html(doc.name)}</a></p>",
			reference_doctype=doc.doctype,
			reference_name=doc.name,
		)
	return users


def notified_of(user: str, link: str) -> bool:
	"""Whether `user` already has the in-app notification pointing at `link`."""
	return bool(frappe.db.exists("Notification Log", {"for_user": user, "link": link}))


def notify_page(user: str, subject: str, link: str, message: str) -> bool:
	"""An in-app notification opening the desk page `link` (a report) for `user`, once per link, and the
	HTML `message` by e-mail when the site can send one. Returns whether the user was told now."""
	if notified_of(user, link):
		return False
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"type": "Alert",
			"for_user": user,
			"from_user": frappe.session.user,
			"subject": escape_html(subject),
			"link": link,
		}
	).insert(ignore_permissions=True)
	address = frappe.db.get_value("User", user, "email")
	if address and can_email():
		frappe.sendmail(recipients=[address], subject=strip_html(subject)[:140], message=message)
	return True


def assign(doc, users, description: str, date=None) -> list[str]:
	"""Put `doc` on each user's to-do list (once: an open to-do is not repeated) and notify them.
	`date` is the to-do's date (default today).

	Returns the users newly assigned.
	"""
	assigned = []
	for user in enabled_users(users):
		if frappe.db.exists(
			"ToDo",
			{
				"reference_type": doc.doctype,
				"reference_name": doc.name,
				"allocated_to": user,
				"status": "Open",
			},
		):
			continue
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": doc.doctype,
				"reference_name": doc.name,
				"description": escape_html(description),
				"priority": "Medium",
				"status": "Open",
				"date": date or nowdate(),
				"assigned_by": frappe.session.user,
			}
		).insert(ignore_permissions=True)
		if not frappe.has_permission(doc.doctype, "read", doc=doc, user=user):
			frappe.share.add_docshare(doc.doctype, doc.name, user, flags={"ignore_share_permission": True})
		assigned.append(user)
	notify(assigned, description, doc)
	return assigned


def approval_step(doc, rules, approvers, waiting: str, requester: str, rejected: str) -> None:
	"""Tell the approval step of `doc` as its workflow state changes (`rules`: the procedure's states):
	submitted for approval, it waits on the to-do lists of `approvers()`, saying `waiting`; rejected,
	those to-dos close and the `requester` is told `rejected`."""
	if not doc.has_value_changed("workflow_state"):
		return
	if doc.workflow_state == rules.SUBMITTED:
		assign(doc, approvers(), waiting)
	elif doc.workflow_state == rules.REJECTED:
		close_assignments(doc)
		notify({requester}, rejected, doc)


def close_assignments(doc, users=None) -> None:
	"""Close the open to-dos of `doc` (of `users` only, when given; the timeline records it),
	without Frappe's e-mail."""
	filters = {"reference_type": doc.doctype, "reference_name": doc.name, "status": "Open"}
	if users is not None:
		filters["allocated_to"] = ("in", sorted(users) or [""])
	for name in frappe.get_all("ToDo", filters=filters, pluck="name"):
		todo = frappe.get_doc("ToDo", name)
		todo.status = "Closed"
		todo.save(ignore_permissions=True)
