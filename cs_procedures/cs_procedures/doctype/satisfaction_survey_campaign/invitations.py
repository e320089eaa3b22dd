"""Survey invitations and reminders in bulk.

A campaign invites thousands of contacts: the responses, their answer rows and the queued e-mails
are written with a few multi-row INSERTs per batch, never a document save per contact, so the
number of SQL statements does not grow with the contacts.

- Responses: the first one is inserted as a document (its validation fills the questions, status,
  token hash...); the others are copies of its row with the contact's own values (name reserved
  from the naming series in one step, customer, contact, e-mail, token hash).
- E-mails: the Email Template and Frappe's e-mail layout are rendered once with placeholders; each
  contact's message is that rendering with the contact's name and personal link put in, built into
  the MIME message by Frappe's own `get_email`, as `frappe.sendmail` would. The Email Queue and Email
  Queue Recipient rows are those `EmailQueue.new` would insert, so Frappe's queue sends them.
"""

import html
from collections.abc import Callable

import frappe
from frappe.email.doctype.email_queue.email_queue import QueueBuilder
from frappe.email.email_body import get_email, get_message_id
from frappe.utils import cstr, get_string_between, get_url, now, validate_email_address
from markdownify import MarkdownConverter, whitespace_re

from cs_procedures import bulk
from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	hash_token,
	link_token,
)
from cs_procedures.footprint import SURVEY_EMAIL_TEMPLATE
from cs_procedures.notifications import qp_encode

RESPONSE = "Satisfaction Survey Response"
ANSWER = "Satisfaction Survey Answer"
BATCH = 1000
# what each contact's values replace in the rendering made once for the campaign; a link token is
# 43 characters long (link_token): the mark is as long, so that it wraps as the token does
NAME_MARK = "CsSurveyCustomerNameMark"
TOKEN_MARK = "CsSurveyTokenMark".ljust(43, "X")
WRAP_WIDTH = 80  # markdownify's, with which Frappe makes the plain-text version


class SurveyMail:
	"""The invitation or reminder of one campaign, rendered once; `build` makes one contact's message.

	Frappe's rendering (Email Template, e-mail layout with inlined styles, plain-text version, MIME
	message) costs several milliseconds a message. It is done once with marks where the contact's
	name and link token go; each contact's message is that MIME message with the two text parts
	encoded again with the contact's values and a Message-Id of its own. The marks have the length
	of what replaces them where the layout depends on it (the token), and a contact whose name would
	change the plain text's line wrapping, or a rendering where the parts are not found verbatim, is
	built by Frappe's own `get_email` instead: the result is the same message either way."""

	def __init__(self, campaign: str, reply_by, reminder: bool):
		template = frappe.get_doc("Email Template", SURVEY_EMAIL_TEMPLATE)
		mail = template.get_formatted_email(
			{
				"customer_name": NAME_MARK,
				"link": get_url(f"/survey?token={TOKEN_MARK}"),
				"reply_by": frappe.format(reply_by, "Date"),
				"reminder": reminder,
			}
		)
		# the arguments frappe.sendmail gives the QueueBuilder for one recipient
		builder = QueueBuilder(
			recipients=[],
			subject=mail["subject"],
			message=mail["message"],
			reference_doctype=RESPONSE,
		)
		self.builder = builder
		self.message = mail["message"]
		self.subject = mail["subject"]
		self.account = builder.get_outgoing_email_account()
		self.sender = builder.sender
		self.html = builder.email_html_content()
		self.text = builder.email_text_content()
		queue = frappe.new_doc("Email Queue")
		queue.update(builder.as_dict(include_recipients=False))
		queue.set_recipients(["prototype@example.com"])
		self.queue_row = queue.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
		self.recipient_row = queue.recipients[0].get_valid_dict(
			convert_dates_to_str=True, ignore_virtual=True
		)
		self.converter = MarkdownConverter()
		self.layout = self.message_layout()

	def message_layout(self) -> tuple | None:
		"""The prototype message cut around its Message-Id and its two encoded parts (None: not found)."""
		if NAME_MARK in self.subject:
			return None  # a subject naming the customer: each message is built by Frappe
		message_id, message = self.frappe_build(TOKEN_MARK, NAME_MARK, None)
		cuts = []
		for piece in (message_id, qp_encode(self.text), qp_encode(self.html)):
			position = message.find(piece, cuts[-1][1] if cuts else 0)
			if position < 0 or message.count(piece) != 1:
				return None
			cuts.append((position, position + len(piece)))
		(id_start, id_end), (text_start, text_end), (html_start, html_end) = cuts
		return (
			message[:id_start],
			message[id_end:text_start],
			message[text_end:html_start],
			message[html_end:],
		)

	def frappe_build(self, token: str, name: str, email: str | None) -> tuple[str, str]:
		"""(Message-Id, message) as QueueBuilder.prepare_email_content makes them."""
		mail = get_email(
			recipients=[email] if email else [],
			sender=self.sender,
			subject=self.subject.replace(NAME_MARK, name),
			formatted=self.html.replace(TOKEN_MARK, token).replace(NAME_MARK, html.escape(name, quote=False)),
			text_content=self.plain_text(token, name),
			reply_to=None,
			cc=[],
			bcc=[],
			email_account=self.account,
		)
		mail.set_message_id(None, False)
		message = cstr(mail.as_string())
		return get_string_between("<", mail.msg_root["Message-Id"], ">"), message

	def plain_text(self, token: str, name: str) -> str:
		"""The plain-text version as QueueBuilder.email_text_content makes it from the contact's message."""
		if name == NAME_MARK:
			return self.text.replace(TOKEN_MARK, token)
		shown = self.converter.escape(whitespace_re.sub(" ", name))
		lines = [line for line in self.text.splitlines() if NAME_MARK in line]
		if name.isprintable() and all(
			max(len(line), len(line.replace(NAME_MARK, shown))) <= WRAP_WIDTH for line in lines
		):
			return self.text.replace(TOKEN_MARK, token).replace(NAME_MARK, shown)
		# a name that changes the wrapping of its paragraph: converted again, as Frappe does
		builder = self.builder
		builder._message = self.message.replace(TOKEN_MARK, token).replace(NAME_MARK, name)
		try:
			return builder.email_text_content()
		finally:
			builder._message = self.message

	def build(self, email: str, customer_name: str, token: str) -> tuple[str, str]:
		"""(Message-Id, the MIME message stored in Email Queue) for one contact."""
		validate_email_address(email, throw=True)  # what EMail.validate refuses
		name = cstr(customer_name)
		if not self.layout or len(token) != len(TOKEN_MARK):
			return self.frappe_build(token, name, email)
		head, between_id_and_text, between_parts, tail = self.layout
		message_id = get_string_between("<", get_message_id(), ">")
		text = self.plain_text(token, name)
		formatted = self.html.replace(TOKEN_MARK, token).replace(NAME_MARK, html.escape(name, quote=False))
		message = "".join(
			(
				head,
				message_id,
				between_id_and_text,
				qp_encode(text),
				between_parts,
				qp_encode(formatted),
				tail,
			)
		)
		return message_id, message

	def build_for(self, row: dict) -> tuple[str, str] | None:
		"""The message of one invitation; none for an invalid address, logged as Frappe logs it."""
		try:
			return self.build(row["email"], row["customer_name"], link_token(row["response"]))
		except frappe.InvalidEmailAddressError:
			frappe.log_error(
				title="Invalid email address",
				message=f"Invalid email address Sender: {self.sender}, Recipients: {row['email']}",
				reference_doctype=RESPONSE,
				reference_name=row["response"],
			)
			return None

	def queue(self, invitations: list[dict]) -> set[str]:
		"""Queue one e-mail per {"response", "email", "customer_name"}; returns the responses mailed.

		Addresses unsubscribed from all e-mail (or from that response) get none, as with
		frappe.sendmail; an invalid address is logged as Frappe logs it and gets none either."""
		invitations = [row for row in invitations if row["email"]]
		if not invitations:
			return set()
		unsubscribed = unsubscribed_from(
			[row["email"] for row in invitations], [row["response"] for row in invitations]
		)
		stamp, user = now(), frappe.session.user
		queues, recipients, mailed = [], [], set()
		for row in invitations:
			if row["email"] in unsubscribed.get(row["response"], ()) or row["email"] in unsubscribed.get(
				None, ()
			):
				continue
			built = self.build_for(row)
			if not built:
				continue
			message_id, message = built
			queue_name = frappe.generate_hash(length=16)
			queues.append(
				{
					**self.queue_row,
					"name": queue_name,
					"creation": stamp,
					"modified": stamp,
					"owner": user,
					"modified_by": user,
					"message": message,
					"message_id": message_id,
					"reference_name": row["response"],
				}
			)
			recipients.append(
				{
					**self.recipient_row,
					"name": frappe.generate_hash(length=16),
					"creation": stamp,
					"modified": stamp,
					"owner": user,
					"modified_by": user,
					"parent": queue_name,
					"recipient": row["email"],
				}
			)
			mailed.add(row["response"])
		bulk.insert_emails(queues, recipients)
		return mailed


def unsubscribed_from(emails: list[str], responses: list[str]) -> dict:
	"""{response or None (all e-mail): {address}} for the addresses that asked for no more e-mail."""
	rows = frappe.db.sql(
		"""select distinct email, if(global_unsubscribe, null, reference_name) as response
		from `tabEmail Unsubscribe`
		where email in %(emails)s and (global_unsubscribe = 1
			or (reference_doctype = %(doctype)s and reference_name in %(responses)s))""",
		{"emails": list(set(emails)), "responses": responses, "doctype": RESPONSE},
	)
	unsubscribed = {}
	for email, response in rows:
		unsubscribed.setdefault(response, set()).add(email)
	return unsubscribed


def invite(campaign, invitees: list[tuple], expires, progress: Callable | None = None) -> int:
	"""One response per (customer, contact, e-mail), and an invitation e-mail to those with an e-mail.

	Returns the number of responses created."""
	if not invitees:
		return 0
	names = customer_names({customer for customer, _contact, _email in invitees})
	mail = (
		SurveyMail(campaign.name, campaign.reply_by, reminder=False)
		if any(e for *_x, e in invitees)
		else None
	)
	first, *others = invitees
	prototype = first_response(campaign, first, expires)
	if mail and prototype.email:
		if mail.queue([invitation(prototype.name, prototype.email, names, prototype.customer)]):
			prototype.db_set("invitation_sent_on", now(), update_modified=False)
	response_row = prototype.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True)
	answer_rows = [
		row.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True) for row in prototype.answers
	]
	done = 1
	for start in range(0, len(others), BATCH):
		batch = others[start : start + BATCH]
		insert_batch(batch, prototype.naming_series, response_row, answer_rows, names, mail)
		done += len(batch)
		if progress:
			progress(done, len(invitees))
	return len(invitees)


def insert_batch(batch, series: str, response_row: dict, answer_rows: list, names: dict, mail) -> None:
	"""Responses (copies of the first one, with their answers) for a batch of invitees, written in
	bulk; the invitation e-mails are queued for those with an e-mail."""
	responses = bulk.reserve_names(series, len(batch))
	stamp = now()
	rows = [
		{
			**response_row,
			"name": name,
			"creation": stamp,
			"modified": stamp,
			"customer": customer,
			"customer_name": names.get(customer),
			"contact": contact,
			"email": email,
			"token_hash": hash_token(link_token(name)),
			"invitation_sent_on": None,
		}
		for name, (customer, contact, email) in zip(responses, batch, strict=True)
	]
	mailed = (
		mail.queue([invitation(row["name"], row["email"], names, row["customer"]) for row in rows])
		if mail
		else set()
	)
	for row in rows:
		if row["name"] in mailed:
			row["invitation_sent_on"] = stamp
	bulk.insert_rows(RESPONSE, rows)
	bulk.insert_rows(
		ANSWER,
		[
			{**answer, "name": child, "creation": stamp, "modified": stamp, "parent": row["name"]}
			for row in rows
			for answer, child in zip(answer_rows, bulk.random_names(len(answer_rows)), strict=True)
		],
	)


def invitation(response: str, email: str, names: dict, customer: str) -> dict:
	return {"response": response, "email": email, "customer_name": names.get(customer) or customer}


def customer_names(customers) -> dict[str, str]:
	return dict(
		frappe.db.sql("select name, customer_name from `tabCustomer` where name in %s", [list(customers)])
	)


def first_response(campaign, invitee, expires):
	"""The first response, saved as a document: the others are copies of its validated row."""
	customer, contact, email = invitee
	return frappe.get_doc(
		{
			"doctype": RESPONSE,
			"campaign": campaign.name,
			"customer": customer,
			"contact": contact,
			"email": email,
			"token_expires_on": expires,
		}
	).insert(ignore_permissions=True)


def remind(rows: list[dict]) -> int:
	"""Queue the next reminder of each {"name", "reminders_sent", "campaign", "reply_by", "email",
	"customer", "customer_name"} row and count it sent, in one statement per batch.

	The rows are locked and read again first: one answered since, or reminded by an overlapping run
	(the count moved on), is left alone. Returns the number reminded."""
	reminded = 0
	by_campaign = {}
	for row in rows:
		by_campaign.setdefault(row["campaign"], []).append(row)
	for campaign_rows in by_campaign.values():
		mail = SurveyMail(campaign_rows[0]["campaign"], campaign_rows[0]["reply_by"], reminder=True)
		for start in range(0, len(campaign_rows), BATCH):
			reminded += remind_batch(mail, campaign_rows[start : start + BATCH])
	return reminded


def remind_batch(mail: SurveyMail, rows: list[dict]) -> int:
	current = dict(
		frappe.db.sql(
			f"""select name, reminders_sent from `tab{RESPONSE}`
			where name in %s and status = 'Invited' for update""",
			[[row["name"] for row in rows]],
		)
	)
	rows = [row for row in rows if row["name"] in current and current[row["name"]] == row["reminders_sent"]]
	if not rows:
		return 0
	mailed = mail.queue(
		[
			{
				"response": row["name"],
				"email": row["email"],
				"customer_name": row["customer_name"] or row["customer"],
			}
			for row in rows
		]
	)
	# the step is done for every row (an unsubscribed address is not asked again), as one statement
	frappe.db.sql(
		f"""update `tab{RESPONSE}` set reminders_sent = reminders_sent + 1,
		invitation_sent_on = if(name in %(mailed)s, %(now)s, invitation_sent_on)
		where name in %(names)s""",
		{"mailed": list(mailed) or [""], "now": now(), "names": [row["name"] for row in rows]},
	)
	return len(rows)
