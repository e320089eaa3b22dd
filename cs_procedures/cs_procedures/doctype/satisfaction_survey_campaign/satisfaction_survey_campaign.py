"""A satisfaction survey campaign: who is asked, the invitations, and the result (003 §5.3, 001)."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import add_days, cstr, flt, get_datetime, get_url, getdate, now_datetime

from cs_procedures import bulk, guards
from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	link_token,
)
from cs_procedures.install import SURVEY_EMAIL_TEMPLATE
from cs_procedures.notifications import assign, can_email
from cs_procedures.people import department_heads
from cs_procedures.procedures import satisfaction as rules

# customers invited within a web request; more are invited by a background job
INVITE_IN_REQUEST = 200
# what the invitations were sent for: fixed once they are sent
SENT_FIELDS = ("template", "send_date", "audience", "customer_group", "territory")
FOLLOW_UP_FIELDS = ("question", "category", "average_score", "department", "quality_action")


class SatisfactionSurveyCampaign(guards.ProcedureDocument):
	def onload(self):
		self.set_onload("can_email", can_email())

	def validate_higher_perm_levels(self):
		"""The follow-ups are raised by the procedure: a request that sends others is refused."""
		if not (self.flags.ignore_permissions or guards.is_administrator()):
			before = None if self.is_new() else self.get_latest()
			if follow_ups(self) != (follow_ups(before) if before else []):
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
		if before and before.status == "Closed":
			frappe.throw(_("A closed campaign cannot be changed."), title=_("Campaign Closed"))
		if before and before.status != "Draft":
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
		if self.status != "Draft":
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
		"""One response per customer contact with an e-mail (one without e-mail for a phone survey)."""
		invited = self.stored_for_update().invite()
		self.reload()
		return invited

	def invite(self) -> int:
		if self.status != "Draft":
			frappe.throw(
				_("The invitations of this campaign have been sent already."), title=_("Already Sent")
			)
		customers = self.audience_customers()
		if not customers:
			frappe.throw(_("No active customer matches the audience."), title=_("No Customers"))
		template = frappe.get_doc("Satisfaction Survey Template", self.template)
		contacts = contacts_by_customer(customers)
		if contacts and not can_email():
			frappe.throw(
				_("Set up a default outgoing Email Account before sending the invitations."),
				frappe.OutgoingEmailError,
				title=_("No Outgoing E-mail"),
			)
		expires = get_datetime(f"{self.reply_by} 23:59:59")
		self.db_set({"status": "Sent", "invited_customers": len(customers)})  # responses join a sent campaign
		for customer in customers:
			for contact, email in contacts.get(customer) or [(None, None)]:
				response = new_response(self, template, customer, contact, email, expires)
				if email:
					send_survey_mail(response, reminder=False)
		self.add_comment("Info", _("Invitations sent: {0} customers invited.").format(len(customers)))
		return len(customers)

	@frappe.whitelist()
	def close(self):
		"""Score every answer, compute the response rate and validity, raise the follow-ups."""
		self.stored_for_update().score_and_close()
		self.reload()

	def score_and_close(self):
		if self.status != "Sent":
			frappe.throw(_("Only a campaign whose invitations are sent can be closed."), title=_("Not Sent"))
		template = frappe.get_cached_doc("Satisfaction Survey Template", self.template)
		responses = frappe.get_all(
			"Satisfaction Survey Response",
			filters={"campaign": self.name, "status": "Answered"},
			fields=["name", "customer", "score"],
		)
		customers = {r.customer for r in responses}
		complaints, returns = count_complaints(self, customers), count_returns(self, customers)
		results = {
			r.name: rules.satisfaction(r.score, complaints.get(r.customer, 0), returns.get(r.customer, 0))
			for r in responses
		}
		bulk.set_values(
			"Satisfaction Survey Response",
			{
				r.name: {
					"complaint_count": complaints.get(r.customer, 0),
					"complaint_deduction": results[r.name].complaint_deduction,
					"return_count": returns.get(r.customer, 0),
					"return_deduction": results[r.name].return_deduction,
					"satisfaction": results[r.name].satisfaction,
				}
				for r in responses
			},
		)
		callbacks = 0
		for response in responses:
			if results[response.name].satisfaction < flt(template.callback_mark):
				create_callback(response.name, response.customer, results[response.name].satisfaction)
				callbacks += 1
		satisfactions = [result.satisfaction for result in results.values()]
		rate = rules.response_rate(len(customers), self.invited_customers)
		self.raise_quality_actions(template)
		self.status, self.closed_on = "Closed", now_datetime()
		self.responded_customers, self.response_rate = len(customers), rate
		self.is_valid = int(rules.is_valid(rate))
		self.average_satisfaction = round(sum(satisfactions) / len(satisfactions), 2) if satisfactions else 0
		self.flags.ignore_permissions = True  # the procedure writes the results; write permission checked
		self.save()
		# the scores were written without saving each response: the timeline says what was written
		self.add_comment(
			"Info",
			_(
				"Closed and scored {0} answered responses: complaints and returns of the period counted, deductions and satisfaction written to each; {1} call-backs raised. Response rate {2} %, average satisfaction {3}."
			).format(len(responses), callbacks, rate, self.average_satisfaction),
		)

	def item_averages(self) -> dict[str, float]:
		rows = frappe.db.sql(
			"""select a.question, avg(a.score) as average, min(a.idx) as idx
			from `tabSatisfaction Survey Answer` a
			join `tabSatisfaction Survey Response` r on r.name = a.parent
			where r.campaign = %s and r.status = 'Answered' and a.parenttype = 'Satisfaction Survey Response'
			group by a.question order by idx""",
			self.name,
			as_dict=True,
		)
		return {row.question: flt(row.average, 2) for row in rows}

	def raise_quality_actions(self, template):
		"""A Quality Action, assigned to the department of its category, for each item under the pass mark."""
		from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings

		averages = self.item_averages()
		categories = {item.question: item.category for item in template.items}
		routing = get_settings().department_map()
		for question in rules.low_items(averages, flt(template.pass_mark)):
			category = categories.get(question, "Other")
			department = routing.get(rules.complaint_type_for(category))
			heads = department_heads(department)
			problem = _('Satisfaction survey {0}: "{1}" averaged {2} (pass mark {3}).').format(
				self.name, question, averages[question], template.pass_mark
			)
			action = frappe.get_doc(
				{
					"doctype": "Quality Action",
					"corrective_preventive": "Corrective",
					"date": getdate(),
					"status": "Open",
					"cs_survey_campaign": self.name,
					"resolutions": [
						{
							"problem": problem,
							"status": "Open",
							"responsible": heads[0] if heads else None,
							"completion_by": add_days(getdate(), 30),
						}
					],
				}
			).insert(ignore_permissions=True)
			assign(action, heads, problem)
			self.append(
				"follow_ups",
				{
					"question": question,
					"category": category,
					"average_score": averages[question],
					"department": department,
					"quality_action": action.name,
				},
			)


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


def new_response(campaign, template, customer, contact, email, expires):
	return frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Response",
			"campaign": campaign.name,
			"customer": customer,
			"contact": contact,
			"email": email,
			"token_expires_on": expires,
			"answers": [
				{
					"category": item.category,
					"question": item.question,
					"question_zh": item.question_zh,
					"max_score": item.max_score,
				}
				for item in template.items
			],
		}
	).insert(ignore_permissions=True)


def survey_link(response) -> str:
	"""The response's personal link; its token is derived again each time (only its hash is stored)."""
	return get_url(f"/survey?token={link_token(response.name)}")


def send_survey_mail(response, reminder: bool):
	"""The invitation or reminder, worded by the "Satisfaction Survey Invitation" Email Template."""
	mail = frappe.get_doc("Email Template", SURVEY_EMAIL_TEMPLATE).get_formatted_email(
		{
			"customer_name": response.customer_name or response.customer,
			"link": survey_link(response),
			"reply_by": frappe.format(
				frappe.db.get_value("Satisfaction Survey Campaign", response.campaign, "reply_by"), "Date"
			),
			"reminder": reminder,
		}
	)
	frappe.sendmail(
		recipients=[response.email],
		subject=mail["subject"],
		message=mail["message"],
		reference_doctype=response.doctype,
		reference_name=response.name,
	)
	response.db_set("invitation_sent_on", now_datetime(), update_modified=False)


def count_complaints(campaign, customers) -> dict[str, int]:
	"""Customer Complaints received in the campaign's period, per customer (one grouped query).

	Only accepted complaints count: not those dismissed as Not Accepted, nor e-mails nobody has
	triaged yet (anyone can send an e-mail naming a customer)."""
	if not customers:
		return {}
	return dict(
		frappe.db.sql(
			"""select customer, count(*) from `tabCustomer Complaint`
			where customer in %(customers)s and docstatus < 2
			and received_on >= %(start)s and received_on < %(end)s
			and ifnull(workflow_state, '') != 'Not Accepted'
			and not (channel = 'E-mail' and ifnull(workflow_state, '') = 'Received'
				and ifnull(follower, '') = '')
			group by customer""",
			{
				"customers": list(customers),
				"start": campaign.period_start,
				"end": add_days(campaign.period_end, 1),
			},
		)
	)


def count_returns(campaign, customers) -> dict[str, int]:
	"""Goods returned in the period, per customer: return Delivery Notes and stock-updating return
	invoices (a credit note without goods is a price correction, and a return through a Delivery
	Note is not counted twice)."""
	if not customers:
		return {}
	values = {"customers": list(customers), "start": campaign.period_start, "end": campaign.period_end}
	counts = defaultdict(int)
	for query in (
		"""select customer, count(*) from `tabDelivery Note` where is_return = 1 and docstatus = 1
		and customer in %(customers)s and posting_date between %(start)s and %(end)s group by customer""",
		"""select customer, count(*) from `tabSales Invoice` where is_return = 1 and update_stock = 1
		and docstatus = 1 and customer in %(customers)s and posting_date between %(start)s and %(end)s
		group by customer""",
	):
		for customer, count in frappe.db.sql(query, values):
			counts[customer] += count
	return counts


def create_callback(response_name, customer, satisfaction):
	"""A call-back ToDo for the customer's account manager (or the CS manager) (001 4.4)."""
	owner = frappe.db.get_value("Customer", customer, "account_manager") or frappe.db.get_value(
		"Satisfaction Survey Response", response_name, "owner"
	)
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": owner,
			"reference_type": "Satisfaction Survey Response",
			"reference_name": response_name,
			"date": add_days(getdate(), 3),
			"priority": "High",
			"description": _("Call {0} back: satisfaction {1} is under the call-back mark.").format(
				customer, satisfaction
			),
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Satisfaction Survey Response", response_name, "callback_todo", todo.name)


def follow_ups(campaign) -> list[tuple]:
	"""The follow-up rows as comparable values."""
	return [
		tuple(flt(row.get(f)) if f == "average_score" else cstr(row.get(f)) for f in FOLLOW_UP_FIELDS)
		for row in campaign.get("follow_ups") or []
	]
