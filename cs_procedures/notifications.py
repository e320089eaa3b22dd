"""How the procedures tell people: to-dos, in-app notifications, and e-mail where the site can send it.

Frappe's own assignment and notification e-mails fail (an AttributeError inside the e-mail sender)
on a site without a default outgoing Email Account, a common state of a fresh ERPNext site. The
procedures must keep working there, so to-dos, in-app notifications and timeline entries never
depend on e-mail: e-mail is queued in the same transaction as the work (so it goes out only if
that work is committed), and only when an outgoing account exists.

Every assignment of the app goes through `assign`, every notification through `notify`; a job that
tells about many documents at once collects the same in an `Outbox` and writes them in bulk.
"""

import json
from email import policy, quoprimime

import frappe
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.email.doctype.email_queue.email_queue import QueueBuilder
from frappe.email.email_body import get_email, get_message_id
from frappe.utils import (
	cstr,
	escape_html,
	get_fullname,
	get_string_between,
	get_url_to_form,
	now,
	nowdate,
	sanitize_html,
	strip_html,
	validate_email_address,
)

from cs_procedures import bulk


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


def sanitized(text: str) -> str:
	"""A comment's content as Comment.validate stores it; a text without markup is stored as it is
	(what the sanitizer gives back for it), without the sanitizer's cost."""
	if (
		isinstance(text, str)
		and all(char.isprintable() or char in "\t\n" for char in text)
		and not any(mark in text for mark in "<>&")
	):
		return text
	return sanitize_html(text, always_sanitize=True)


class Outbox:
	"""What `notify`, `assign` and `Document.add_comment` write, collected for many documents and
	written by `write` in a few multi-row statements, whatever the number of documents.

	The rows are those the documents' inserts would write (Notification Log, ToDo with its "Assigned"
	comment, `_assign` of the document and a share when the assignee cannot read it, Comment, Email
	Queue with its recipients); of the doctypes' hooks, the bell's realtime update and its unseen mark
	are done once per user. Each method returns the outbox, and `add` takes in another one."""

	def __init__(self):
		self.notices = []  # (users, subject, doctype, name, email)
		self.assignments = []  # (users, description, doctype, name)
		self.comments = []  # (comment type, text, doctype, name)

	def notify(self, users, subject: str, doc, email: bool = True) -> "Outbox":
		self.notices.append((set(users or ()), subject, doc.doctype, doc.name, email))
		return self

	def assign(self, doc, users, description: str) -> "Outbox":
		self.assignments.append((set(users or ()), description, doc.doctype, doc.name))
		return self

	def comment(self, doc, text: str, comment_type: str = "Info") -> "Outbox":
		self.comments.append((comment_type, text, doc.doctype, doc.name))
		return self

	def add(self, other: "Outbox") -> "Outbox":
		self.notices += other.notices
		self.assignments += other.assignments
		self.comments += other.comments
		return self

	def write(self) -> None:
		everyone = {user for users, *_rest in self.notices + self.assignments for user in users}
		enabled = set(enabled_users(everyone))
		notices = [
			(enabled & users, subject, doctype, name, email)
			for users, subject, doctype, name, email in self.notices
		]
		comments = [
			{
				"comment_type": kind,
				"content": sanitized(text),
				"reference_doctype": doctype,
				"reference_name": name,
			}
			for kind, text, doctype, name in self.comments
		]
		todos = self.new_todos(enabled, notices, comments)
		me = frappe.session.user
		logs = [
			{
				"type": "Alert",  # Frappe never e-mails an Alert by itself; we do it below when we can
				"for_user": user,
				"from_user": me,
				"document_type": doctype,
				"document_name": name,
				"subject": escape_html(subject),
			}
			for users, subject, doctype, name, _email in notices
			for user in sorted(users)
		]
		bulk.insert_docs("Notification Log", logs)
		bulk.insert_docs("ToDo", todos)
		comments = [{"comment_email": me, **comment} for comment in comments]
		for comment, name in zip(comments, bulk.insert_docs("Comment", comments), strict=True):
			if comment["comment_type"] == "Assigned":  # the form's assignment list (Comment.notify_change)
				frappe.publish_realtime(
					"docinfo_update",
					{
						"doc": {**comment, "name": name, "owner": me},
						"key": "assignment_logs",
						"action": "add",
					},
					doctype=comment["reference_doctype"],
					docname=comment["reference_name"],
					after_commit=True,
				)
		self.after_todos(todos)
		told = sorted({log["for_user"] for log in logs})
		if told:  # Notification Log.after_insert, once per user
			frappe.db.sql(
				"update `tabNotification Settings` set seen = 0 where name in %(users)s", {"users": told}
			)
			for user in told:
				frappe.publish_realtime("notification", after_commit=True, user=user)
		mails = [
			(sorted(users), subject, doctype, name)
			for users, subject, doctype, name, email in notices
			if email and users
		]
		if mails and can_email():
			queue_emails(mails)

	def new_todos(self, enabled: set, notices: list, comments: list) -> list[dict]:
		"""The to-dos of the assignments (one open to-do per user and document, as `assign`), their
		"Assigned" comments and the notices to the users newly assigned."""
		if not self.assignments:
			return []
		open_todos = {
			tuple(row)
			for row in frappe.db.sql(
				"""select reference_type, reference_name, allocated_to from `tabToDo`
				where status = 'Open' and reference_name in %(names)s""",
				{"names": sorted({name for *_rest, name in self.assignments})},
			)
		}
		me, today, todos = frappe.session.user, nowdate(), []
		for users, description, doctype, name in self.assignments:
			assigned = [user for user in sorted(enabled & users) if (doctype, name, user) not in open_todos]
			for user in assigned:
				open_todos.add((doctype, name, user))
				text = escape_html(description)
				todos.append(
					{
						"allocated_to": user,
						"reference_type": doctype,
						"reference_name": name,
						"description": text,
						"priority": "Medium",
						"status": "Open",
						"date": today,
						"assigned_by": me,
						"assigned_by_full_name": get_fullname(me),
					}
				)
				message = (
					frappe._("{0} self assigned this task: {1}").format(get_fullname(me), text)
					if me == user
					else frappe._("{0} assigned {1}: {2}").format(get_fullname(me), get_fullname(user), text)
				)  # as ToDo.validate words it
				comments.append(
					{
						"comment_type": "Assigned",
						"content": sanitized(message),
						"reference_doctype": doctype,
						"reference_name": name,
					}
				)
			notices.append((set(assigned), description, doctype, name, True))
		return todos

	def after_todos(self, todos: list[dict]) -> None:
		"""What ToDo.on_update and `assign` do after the insert: the documents' `_assign` lists the open
		to-dos' users, and an assignee who cannot read the document gets it shared."""
		if not todos:
			return
		by_doctype = {}
		for todo in todos:
			by_doctype.setdefault(todo["reference_type"], set()).add(todo["reference_name"])
		for doctype, names in by_doctype.items():
			assigned = {name: [] for name in names}
			for name, user in frappe.db.sql(
				"""select reference_name, allocated_to from `tabToDo`
				where reference_type = %(doctype)s and reference_name in %(names)s
				and status not in ('Cancelled', 'Closed') and ifnull(allocated_to, '') != ''
				order by modified desc, creation desc""",
				{"doctype": doctype, "names": sorted(names)},
			):
				assigned[name].append(user)
			bulk.set_values(
				doctype,
				{
					name: {"_assign": json.dumps(users[::-1]) if users else ""}
					for name, users in assigned.items()
				},
			)
		for todo in todos:
			doctype, name, user = todo["reference_type"], todo["reference_name"], todo["allocated_to"]
			if not frappe.has_permission(doctype, "read", doc=name, user=user):
				frappe.share.add_docshare(doctype, name, user, flags={"ignore_share_permission": True})


def notice_message(subject: str, link: str, name: str) -> str:
	"""The body of the e-mail `notify` sends about a document."""
	return f"<p>{escape_html(subject)}</p><p><a href='{link}'>{escape_html(name)}</a></p>"


def qp_encode(text: str) -> str:
	"""A text part's body as Python's e-mail package writes it (utf-8, quoted-printable, CRLF)."""
	encoded = quoprimime.body_encode(text.encode("utf-8").decode("latin1"))
	return "\r\n".join(encoded.splitlines())


class NoticeMail:
	"""The e-mail `notify` sends about a document, built for many documents at the cost of one
	rendering, as the survey invitations are: Frappe's e-mail layout with its inlined styles and the
	MIME message around it (several milliseconds a message) are made once, by Frappe's own `get_email`
	as QueueBuilder does, with marks where the subject, link and name go (the recipient is put in when
	the queue sends it, as for any queued e-mail); each message is that MIME message with its own
	Message-Id and Subject and its two text parts encoded again with the document's values. A layout
	where a mark is not found verbatim is built by Frappe for each message instead."""

	TITLE, SUBJECT, NAME = "CsNoticeTitleMark", "CsNoticeSubjectMark", "CsNoticeNameMark"
	LINK = "https://cs-notice-link.invalid/mark"

	def __init__(self, doctype: str):
		self.doctype = doctype
		builder = QueueBuilder(
			recipients=[],
			subject=self.TITLE,
			message=notice_message(self.SUBJECT, self.LINK, self.NAME),
			reference_doctype=doctype,
		)
		self.account = builder.get_outgoing_email_account()
		self.sender = builder.sender
		self.html = builder.email_html_content()
		builder.email_html_content = lambda: self.html  # rendered once (premailer: about half a second)
		self.queue_row = builder.as_dict(include_recipients=False)  # what every message shares
		if not self.queue_row or not all(mark in self.html for mark in (self.SUBJECT, self.NAME, self.LINK)):
			self.html = None
		self.layout = self.html and self.message_layout(builder.email_text_content())

	def message_layout(self, text: str) -> tuple | None:
		"""The prototype message cut around its To, Subject and Message-Id and its two encoded parts
		(None: one of them not found once, in this order)."""
		message_id, message = self.frappe_build([], self.TITLE, self.html, text)
		self.layout_id, self.layout_text, self.layout_html = (
			f"<{message_id}>",
			qp_encode(text),
			qp_encode(self.html),
		)
		pieces = (
			f"Subject: {self.TITLE}",
			self.layout_id,
			self.layout_text,
			self.layout_html,
		)
		found = sorted((message.find(piece), piece) for piece in pieces)
		if any(position < 0 or message.count(piece) != 1 for position, piece in found):
			return None
		cuts, start = [], 0
		for position, piece in found:
			cuts += [message[start:position], piece]
			start = position + len(piece)
		return (*cuts, message[start:])  # the marked pieces are replaced by their values (build)

	def frappe_build(self, recipients, title, html, text) -> tuple[str, str]:
		"""(Message-Id, message) as QueueBuilder.prepare_email_content makes them."""
		mail = get_email(
			recipients=recipients,
			sender=self.sender,
			subject=title,
			formatted=html,
			text_content=text,
			reply_to=None,
			cc=[],
			bcc=[],
			email_account=self.account,
		)
		mail.set_message_id(None, False)
		return get_string_between("<", mail.msg_root["Message-Id"], ">"), cstr(mail.as_string())

	def subject_line(self, title: str) -> dict:
		"""The Subject line as the e-mail package writes it under Frappe's policy (folded, RFC 2047)."""
		return {
			f"Subject: {self.TITLE}": policy.SMTP.fold("Subject", title).removesuffix(policy.SMTP.linesep)
		}

	def build(self, recipients: list[str], subject: str, name: str) -> dict | None:
		"""The Email Queue values of one message (None: Frappe refused its addresses)."""
		link = get_url_to_form(self.doctype, name)
		title = strip_html(subject)[:140]
		builder = QueueBuilder(
			recipients=recipients,
			subject=title,
			message=notice_message(subject, link, name),
			reference_doctype=self.doctype,
			reference_name=name,
		)
		builder._email_account = self.account
		builder._unsubscribed_user_emails = []  # the caller left out the unsubscribed
		if self.html is None:
			return builder.as_dict(include_recipients=False)
		html = (
			self.html.replace(self.TITLE, escape_html(title))
			.replace(self.SUBJECT, escape_html(subject))
			.replace(self.NAME, escape_html(name))
			.replace(self.LINK, escape_html(link))
		)
		try:
			for address in recipients:
				validate_email_address(address, throw=True)  # what EMail.validate refuses
			text = builder.email_text_content()
			if self.layout:
				message_id = get_string_between("<", get_message_id(), ">")
				values = {
					**self.subject_line(title),
					self.layout_id: f"<{message_id}>",
					self.layout_text: qp_encode(text),
					self.layout_html: qp_encode(html),
				}
				message = "".join(values.get(piece, piece) for piece in self.layout)
			else:
				message_id, message = self.frappe_build(recipients, title, html, text)
		except frappe.InvalidEmailAddressError:
			return builder.as_dict(include_recipients=False)  # which logs it, as frappe.sendmail does
		return {
			**self.queue_row,
			"message": message,
			"message_id": message_id,
			"sender": self.sender,
			"reference_name": name,
		}


def queue_emails(mails: list[tuple]) -> None:
	"""Queue the e-mail of `notify` for each (users, subject, doctype, name), as `frappe.sendmail` queues
	it (one Email Queue for the users' addresses, less those unsubscribed), in a few multi-row
	statements: the messages are built by `NoticeMail`, one look-up finds the unsubscribed for them all."""
	users = sorted({user for recipients, *_rest in mails for user in recipients})
	addresses = dict(frappe.db.sql("select name, email from `tabUser` where name in %s", [users]))
	unsubscribed = {}
	for email, doctype, name, everything in frappe.db.sql(
		"""select email, reference_doctype, reference_name, global_unsubscribe from `tabEmail Unsubscribe`
		where email in %s""",
		[sorted({address for address in addresses.values() if address}) or [""]],
	):
		unsubscribed.setdefault(None if everything else (doctype, name), set()).add(email)
	builders, stamp, me = {}, now(), frappe.session.user
	queues, recipient_rows = [], []
	for recipients, subject, doctype, name in mails:
		left_out = unsubscribed.get(None, set()) | unsubscribed.get((doctype, name), set())
		final = sorted({addresses[user] for user in recipients if addresses.get(user)} - left_out)
		if not final:
			continue
		if doctype not in builders:
			builders[doctype] = NoticeMail(doctype)
		data = builders[doctype].build(final, subject, name)
		if not data:
			continue
		queue = frappe.new_doc("Email Queue")
		queue.update(data)
		queue.set_recipients(final)
		queue.name = frappe.generate_hash(length=16)
		for document in (queue, *queue.recipients):
			document.update({"creation": stamp, "modified": stamp, "owner": me, "modified_by": me})
		for child in queue.recipients:
			child.update({"name": frappe.generate_hash(length=16), "parent": queue.name})
		queues.append(queue.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True))
		recipient_rows += [
			child.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True) for child in queue.recipients
		]
	bulk.insert_emails(queues, recipient_rows)
