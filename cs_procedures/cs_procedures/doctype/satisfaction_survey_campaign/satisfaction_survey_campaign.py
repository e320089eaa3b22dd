"""A satisfaction survey campaign: who is asked, the invitations, and the result (003 §5.3, 001)."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cstr, get_datetime, get_url, getdate, now_datetime

from cs_procedures import guards, jobs
from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign import (
	improvement,
	invitations,
	scoring,
	sign_off,
)
from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	link_token,
)
from cs_procedures.notifications import can_email
from cs_procedures.procedures import satisfaction as rules

# customers invited within a web request; more are invited by a background job on the long queue
INVITE_IN_REQUEST = 200
INVITATION_JOB_TIMEOUT = 3600
# the realtime event the campaign form listens to: the background job has ended
INVITATIONS_DONE = "cs_survey_invitations_done"
# what the invitations were sent for: fixed once they are sent
SENT_FIELDS = ("template", "send_date", "audience", "customer_group", "territory")


class SatisfactionSurveyCampaign(guards.ProcedureDocument):
	HISTORY_STATUS = rules.CAMPAIGN_LIFE  # a campaign of the spreadsheets comes in Closed (history.py)

	def onload(self):
		self.set_onload("can_email", can_email())
		self.set_onload("sign_step", sign_off.next_step_for_user(self))

	def validate_higher_perm_levels(self):
		"""The follow-ups are raised by the procedure: a request that sends others is refused."""
		if not (self.flags.ignore_permissions or guards.is_administrator()):
			before = None if self.is_new() else self.get_latest()
			if improvement.follow_ups(self) != (improvement.follow_ups(before) if before else []):
				guards.refuse(
					_("The follow-ups are raised by the procedure when the campaign is closed."),
					title=_("Written by the Procedure"),
				)
		super().validate_higher_perm_levels()

	def validate(self):
		if getdate(self.period_start) > getdate(self.period_end):
			frappe.throw(_("The period must end after it starts."), title=_("Invalid Period"))
		if getdate(self.reply_by) < getdate(self.send_date):
			frappe.throw(_("Reply By cannot be before Send On."), title=_("Invalid Dates"))
		if self.audience == "Selected Customers" and not self.customers:
			frappe.throw(_("Select the customers to ask."), title=_("No Customers"))
		before = self.get_doc_before_save()
		if before and before.status == rules.CLOSED:
			frappe.throw(_("A closed campaign cannot be changed."), title=_("Campaign Closed"))
		if before and before.status != rules.DRAFT:
			changed = [f for f in SENT_FIELDS if cstr(self.get(f)) != cstr(before.get(f))]
			if [row.customer for row in self.customers] != [row.customer for row in before.customers]:
				changed.append("customers")
			if changed:
				guards.refuse(
					_("The invitations are sent: {0} can no longer change.").format(
						", ".join(_(self.meta.get_label(f)) for f in changed)
					),
					title=_("Invitations Sent"),
				)

	def on_trash(self):
		if self.status != rules.DRAFT:
			guards.refuse_deletion(self, _("its invitations have been sent."))

	def stored_for_update(self):
		"""The stored campaign, locked: the methods act on it, never on the copy a client sent."""
		campaign = frappe.get_doc(self.doctype, self.name, for_update=True)
		campaign.check_permission("write")
		return campaign

	def audience_customers(self) -> list[str]:
		filters = {"disabled": 0}
		if self.audience == "Customer Group":
			filters["customer_group"] = self.customer_group
		elif self.audience == "Territory":
			filters["territory"] = self.territory
		elif self.audience == "Key Customers":
			filters["cs_key_customer"] = 1
		elif self.audience == "Selected Customers":
			filters["name"] = ("in", [row.customer for row in self.customers])
		return frappe.get_all("Customer", filters=filters, pluck="name", order_by="name")

	@frappe.whitelist()
	def send_invitations(self) -> int:
		"""One response per customer contact with an e-mail (one without e-mail for a phone survey).

		Up to INVITE_IN_REQUEST customers are invited at once (returns how many); a larger audience
		is invited by a background job on the long queue (returns 0, the campaign shows Sending)."""
		invited = self.stored_for_update().start_sending()
		self.reload()
		return invited

	def start_sending(self) -> int:
		self.check_can_send(rules.DRAFT)
		customers = self.audience_customers()
		if len(customers) <= INVITE_IN_REQUEST:
			return self.invite(rules.DRAFT)
		# the audience is fixed from now on (validate refuses changes once it is not a Draft)
		guards.stamp(self, {"status": rules.SENDING, "invited_customers": len(customers)})
		self.add_comment(
			"Info",
			_("Sending the invitations to {0} customers in the background.").format(len(customers)),
		)
		enqueue_invitations(self.name)
		return 0

	def check_can_send(self, status: str):
		if self.status == rules.SENDING and status == rules.DRAFT:
			frappe.throw(
				_("The invitations of this campaign are being sent in the background."),
				title=_("Already Sending"),
			)
		if self.status != status:
			frappe.throw(
				_("The invitations of this campaign have been sent already."), title=_("Already Sent")
			)

	def invite(self, status: str = rules.DRAFT, progress=None) -> int:
		"""Invite the audience of a campaign in `status` (locked by the caller): Draft in a request,
		Sending in the background job. Everything is written in the caller's transaction."""
		self.check_can_send(status)
		customers = self.audience_customers()
		if not customers:
			frappe.throw(_("No active customer matches the audience."), title=_("No Customers"))
		contacts = contacts_by_customer(customers)
		if contacts and not can_email():
			frappe.throw(
				_("Set up a default outgoing Email Account before sending the invitations."),
				frappe.OutgoingEmailError,
				title=_("No Outgoing E-mail"),
			)
		expires = get_datetime(f"{self.reply_by} 23:59:59")
		guards.stamp(
			self, {"status": rules.SENT, "invited_customers": len(customers)}
		)  # responses join a sent campaign
		invitees = [
			(customer, contact, email)
			for customer in customers
			for contact, email in contacts.get(customer) or [(None, None)]
		]
		invitations.invite(self, invitees, expires, progress)
		self.add_comment("Info", _("Invitations sent: {0} customers invited.").format(len(customers)))
		return len(customers)

	@frappe.whitelist()
	def close(self):
		"""Score each customer once, compute the response rate and validity, propose the follow-ups."""
		self.stored_for_update().score_and_close()
		self.reload()

	def score_and_close(self):
		"""Score each customer once, write the result to its responses, call back where its answers ask
		for it, propose the corrective actions of a valid campaign, and close (003 §5.3.2-5.3.4)."""
		if self.status != rules.SENT:
			frappe.throw(_("Only a campaign whose invitations are sent can be closed."), title=_("Not Sent"))
		template = frappe.get_cached_doc("Satisfaction Survey Template", self.template)
		# an "Every December" campaign counts the complaints and returns up to the day it closes
		self.period_end = rules.period_end_at_close(
			rules.schedule_frequency(self.schedule_key), getdate(self.period_end), getdate()
		)
		scored = scoring.score_responses(self)
		callbacks = scoring.make_callbacks(self, template, scored)
		rate = rules.response_rate(len(scored.scores), self.invited_customers)
		valid = rules.is_valid(rate)
		if rules.raises_follow_ups(valid):
			improvement.propose_actions(self, template)
		self.status, self.closed_on = rules.CLOSED, now_datetime()
		self.responded_customers, self.response_rate = len(scored.scores), rate
		self.is_valid = int(valid)
		self.average_satisfaction = rules.mean(result.satisfaction for result in scored.results.values())
		self.flags.ignore_permissions = True  # the procedure writes the results; write permission checked
		self.save()
		self.explain_close(scored, callbacks)

	def explain_close(self, scored, callbacks: int):
		"""The scores were written without saving each response: the timeline says what was written."""
		self.add_comment(
			"Info",
			_(
				"Closed and scored {0} answered responses of {1} customers: each customer's responses averaged, the complaints and returns from {2} to {3} deducted once per customer, the customer's result written to each of its responses; {4} call-backs raised. Response rate {5} %, average satisfaction {6}."
			).format(
				scored.responses,
				len(scored.scores),
				frappe.format(self.period_start, "Date"),
				frappe.format(self.period_end, "Date"),
				callbacks,
				self.response_rate,
				self.average_satisfaction,
			),
		)
		if not self.is_valid:
			self.add_comment(
				"Info",
				_(
					"Not valid: only {0} % of the invited customers answered (more than 70 % needed). An invalid survey proposes no corrective actions and is not the baseline of the next campaign's trend; the customers who answered are still called back where their answers ask for it."
				).format(self.response_rate),
			)
		elif self.follow_ups:
			self.add_comment(
				"Info",
				_(
					"{0} corrective actions proposed: the CS manager approves them before the Quality Actions go to the departments."
				).format(len(self.follow_ups)),
			)

	def item_averages(self) -> dict[str, float]:
		"""Each question's average over the customers: a customer's answers are averaged first."""
		questions, customer_items = scoring.answered_items(self.name)
		return rules.item_averages(customer_items, questions)


def on_doctype_update():
	"""A scheduled campaign is created once per period: `schedule_key` is unique in the table.

	Frappe adds a unique field's index as `ADD UNIQUE INDEX IF NOT EXISTS schedule_key`, which
	does nothing where the plain index of the same name (from the former search index) was."""
	table = "tabSatisfaction Survey Campaign"
	if not frappe.db.get_column_index(table, "schedule_key", unique=True):
		if plain := frappe.db.get_column_index(table, "schedule_key", unique=False):
			frappe.db.sql_ddl(f"alter table `{table}` drop index `{plain.Key_name}`")
		frappe.db.add_unique("Satisfaction Survey Campaign", ["schedule_key"], "unique_schedule_key")


def invitation_job_id(campaign: str) -> str:
	return f"cs_survey_invitations::{campaign}"


def enqueue_invitations(campaign: str):
	"""The background job of a Sending campaign, once: a job already queued or running is not repeated.

	It is queued after the commit, so that it finds the campaign Sending."""
	frappe.enqueue(
		run_invitations,
		queue="long",
		timeout=INVITATION_JOB_TIMEOUT,
		job_id=invitation_job_id(campaign),
		deduplicate=True,
		enqueue_after_commit=True,
		campaign=campaign,
	)


def run_invitations(campaign: str) -> int:
	"""The background job: invite the audience of a Sending campaign, in one transaction.

	The campaign is locked for the job: an overlapping run waits, then finds it Sent and does nothing.
	If the job fails, nothing it wrote stays (no half-sent invitations); the campaign goes back to
	Draft with a comment and the error in the Error Log, to be sent again. Returns the customers invited."""
	doc = frappe.get_doc("Satisfaction Survey Campaign", campaign, for_update=True)
	if doc.status != rules.SENDING:
		return 0  # sent by an earlier run, or given up

	def progress(done: int, total: int):
		frappe.publish_progress(
			done * 100 / total,
			title=_("Sending Invitations"),
			doctype=doc.doctype,
			docname=doc.name,
			description=_("{0} of {1} contacts invited").format(done, total),
		)

	try:
		invited = doc.invite(rules.SENDING, progress)
	except Exception:
		frappe.db.rollback()
		jobs.record_failure(
			doc,
			_("Sending survey invitations failed"),
			_(
				"Sending the invitations failed: nothing was sent. The error is in Error Log {0}; correct it and send the invitations again."
			),
			INVITATIONS_DONE,
			{"campaign": doc.name},
			reset=(rules.SENDING, rules.DRAFT),
		)
		return 0
	frappe.db.commit()
	frappe.publish_realtime(
		INVITATIONS_DONE, {"campaign": doc.name, "invited": invited}, doctype=doc.doctype, docname=doc.name
	)
	return invited


def contacts_by_customer(customers: list[str]) -> dict[str, list[tuple[str, str]]]:
	"""Each customer's contacts that have an e-mail address, in one query."""
	rows = frappe.db.sql(
		"""select dl.link_name as customer, c.name as contact, c.email_id
		from `tabContact` c
		join `tabDynamic Link` dl on dl.parent = c.name and dl.parenttype = 'Contact'
			and dl.link_doctype = 'Customer'
		where dl.link_name in %(customers)s and ifnull(c.email_id, '') != ''
		order by c.is_primary_contact desc, c.creation""",
		{"customers": customers},
		as_dict=True,
	)
	contacts = defaultdict(list)
	for row in rows:
		contacts[row.customer].append((row.contact, row.email_id))
	return contacts


def survey_link(response) -> str:
	"""The response's personal link; its token is derived again each time (only its hash is stored)."""
	return get_url(f"/survey?token={link_token(response.name)}")


# --- One customer, one result; the improvement loop; the chase list ---------------------------------

CAMPAIGN = "Satisfaction Survey Campaign"
RESPONSE = "Satisfaction Survey Response"
