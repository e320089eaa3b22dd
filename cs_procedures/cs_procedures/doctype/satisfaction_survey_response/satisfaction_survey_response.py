"""One customer's answer to a survey campaign, on the portal or taken by phone (001 4.5-4.7).

The record is evidence (ISO 9001): the procedure writes its status, scores, results and link fields
(permission level 1, refused when a request sets them); the questions are the template's; the
answers are checked here, whoever records them (the portal only hands the scores over).
"""

import base64
import hashlib
import hmac
import math

import frappe
from frappe import _
from frappe.utils import cstr, escape_html, flt, now_datetime
from frappe.utils.password import get_encryption_key

from cs_procedures import guards, people
from cs_procedures.procedures import satisfaction as rules

DOCTYPE = "Satisfaction Survey Response"
QUESTION_FIELDS = ("category", "question", "question_zh", "max_score")
# what the customer said: fixed once answered on the portal, and once the campaign is closed
CUSTOMER_FIELDS = ("channel", "respondent", "comments")
PORTAL = "Portal"

# (share of the maximum, label): the five answers offered for each question, on the portal and in the desk
LEVELS = (
	(1.0, "Very satisfied"),
	(0.8, "Satisfied"),
	(0.6, "Neutral"),
	(0.4, "Dissatisfied"),
	(0.2, "Very dissatisfied"),
)


def offered_scores(max_score) -> list[float]:
	"""The scores of the five answers of a question (0 is "not answered")."""
	return [round(share * flt(max_score), 1) for share, _label in LEVELS]


def link_token(name: str) -> str:
	"""The response's personal link token: derived from the site's secret, never stored."""
	digest = hmac.new(get_encryption_key().encode(), f"cs-survey:{name}".encode(), hashlib.sha256).digest()
	return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def find_by_token(token) -> str | None:
	"""The response a link token opens (its hash is stored, or the hash of an older random token)."""
	if not isinstance(token, str) or not 32 <= len(token) <= 128:
		return None
	digest = hash_token(token)
	return frappe.db.get_value(DOCTYPE, {"token_hash": digest}, "name") or frappe.db.get_value(
		DOCTYPE, {"legacy_token_hash": digest}, "name"
	)


def parse_score(value, idx) -> float:
	"""A score as a finite number; empty is 0 (not answered)."""
	if value is None or value == "":
		return 0.0
	if isinstance(value, bool) or not isinstance(value, int | float | str):
		value = None
	try:
		score = float(value)
	except (TypeError, ValueError, OverflowError):
		score = math.nan
	if not math.isfinite(score):
		frappe.throw(_("Question {0}: the score must be a number.").format(idx), title=_("Invalid Score"))
	return score


class SatisfactionSurveyResponse(guards.ProcedureDocument):
	HISTORY_STATUS = rules.RESPONSE_LIFE  # an answer of the spreadsheets comes in Answered (history.py)

	def check_history(self):
		"""An answer brought in as history belongs to a campaign brought in as history."""
		if not frappe.db.get_value("Satisfaction Survey Campaign", self.campaign, "imported_from"):
			frappe.throw(
				_("{0} was not brought in as history: its answers are given through the survey.").format(
					self.campaign
				),
				title=_("Not a State History Enters"),
			)

	def validate(self):
		before = self.get_doc_before_save()
		campaign = frappe.db.get_value(
			"Satisfaction Survey Campaign",
			self.campaign,
			["status", "template"],
			as_dict=True,
			for_update=True,
		)
		if not campaign:
			frappe.throw(_("Select the campaign of the survey."), title=_("No Campaign"))
		if before is None:
			self.check_campaign_accepts_responses(campaign.status)
		else:
			for field in ("campaign", "customer"):
				if self.get(field) != before.get(field):
					guards.refuse(
						_("The {0} of a survey response cannot change.").format(
							_(self.meta.get_label(field))
						),
						title=_("Not Permitted"),
					)
		self.set_questions(before, campaign.template)
		self.check_answers_may_change(before, campaign.status)
		self.check_channel(before)
		self.record_answers(before)
		self.token_hash = hash_token(link_token(self.name))
		self.legacy_token_hash = before.legacy_token_hash if before else None

	def on_trash(self):
		if self.status == "Answered":
			guards.refuse_deletion(self, _("its answers are evidence of the survey."))

	@frappe.whitelist()
	def make_complaint(self, complaint_type: str | None = None, subject: str | None = None) -> str:
		"""Turn the complaint a customer wrote in the survey's comments into a Customer Complaint
		(000 II-5, 001 4.6): its channel, customer, contact and description from the response,
		linked back from it. CS officers and managers only; acts on the stored response."""
		if not guards.has_role(people.CS_OFFICER, people.CS_MANAGER):
			guards.refuse(
				_("Only a CS officer or manager records a complaint from a survey."), title=_("Not Permitted")
			)
		response = frappe.get_doc(DOCTYPE, self.name, for_update=True)
		response.check_permission("read")
		if response.status != "Answered" or not cstr(response.comments).strip():
			frappe.throw(
				_("Only the comments of an answered survey can be turned into a complaint."),
				title=_("No Comments"),
			)
		if response.complaint:
			frappe.throw(
				_("Complaint {0} has already been made from these comments.").format(response.complaint),
				title=_("Complaint Exists"),
			)
		contact = (
			frappe.db.get_value("Contact", response.contact, ["phone", "mobile_no"], as_dict=True)
			if response.contact
			else None
		)
		complaint = frappe.get_doc(
			{
				"doctype": "Customer Complaint",
				"customer": response.customer,
				"contact_person": response.contact,
				"contact_email": response.email,
				"contact_phone": (contact.mobile_no or contact.phone) if contact else None,
				"channel": rules.complaint_channel(response.channel),
				"received_on": response.answered_on or now_datetime(),
				"received_by": frappe.session.user,
				"complaint_type": complaint_type or "Service",
				"subject": cstr(subject).strip()[:140]
				or _("Comment in satisfaction survey {0}").format(response.campaign),
				"description": "<p>{}</p><p>{}</p>".format(
					escape_html(cstr(response.comments).strip()).replace("\n", "<br>"),
					escape_html(
						_("From the comments of satisfaction survey response {0} (campaign {1}).").format(
							response.name, response.campaign
						)
					),
				),
			}
		).insert()  # the user's own permission to record complaints
		complaint.add_comment(
			"Info",
			_("Made from the comments of satisfaction survey response {0}.").format(response.name),
		)
		response.complaint = complaint.name
		response.flags.ignore_permissions = True  # the procedure writes the link; read checked above
		response.save()
		response.add_comment("Info", _("Complaint {0} made from the comments.").format(complaint.name))
		return complaint.name

	def check_campaign_accepts_responses(self, status):
		if status == rules.CLOSED:
			frappe.throw(
				_("Campaign {0} is closed: it accepts no new responses.").format(self.campaign),
				title=_("Campaign Closed"),
			)
		if status != rules.SENT:
			frappe.throw(
				_("Send the invitations of campaign {0} before recording responses.").format(self.campaign),
				title=_("Invitations Not Sent"),
			)

	def set_questions(self, before, template):
		"""The rows are exactly the template's questions, in its order; the server writes the questions."""
		items = sorted(frappe.get_doc("Satisfaction Survey Template", template).items, key=lambda i: i.idx)
		if before is None and not self.answers:  # e.g. a phone survey of a customer not invited by e-mail
			for item in items:
				self.append("answers", {f: item.get(f) for f in QUESTION_FIELDS})
			return
		if before is not None:
			stored = {row.name: row.idx for row in before.answers}
			if {row.name for row in self.answers} != set(stored):
				refuse_rows()
			for row in self.answers:
				row.idx = stored[row.name]
			self.answers.sort(key=lambda row: row.idx)
		if len(self.answers) != len(items):
			refuse_rows()
		for position, (row, item) in enumerate(zip(self.answers, items, strict=True), start=1):
			for field in QUESTION_FIELDS:
				value = row.get(field)
				if before is None and value not in (None, "") and not same(value, item.get(field)):
					refuse_rows()  # a new survey sent with questions of its own
				row.set(field, item.get(field))
			row.idx = position

	def customer_answer(self) -> list:
		return [
			*(cstr(self.get(field)) for field in CUSTOMER_FIELDS),
			*(flt(row.score) for row in sorted(self.answers, key=lambda row: row.idx)),
		]

	def check_answers_may_change(self, before, campaign_status):
		if before is None or before.customer_answer() == self.customer_answer():
			return
		if campaign_status == rules.CLOSED:
			frappe.throw(
				_("The campaign is closed: its answers can no longer change."), title=_("Campaign Closed")
			)
		if before.status == "Answered" and before.channel == PORTAL:
			guards.refuse(
				_("The customer answered this survey on the portal: the answers cannot be changed."),
				title=_("Answered by the Customer"),
			)

	def check_channel(self, before):
		if (
			self.channel == PORTAL
			and not self.flags.via_portal
			and (before is None or before.channel != PORTAL)
		):
			guards.refuse(
				_(
					"Only an answer given by the customer on the portal is recorded as Portal: choose how you took it down."
				),
				title=_("Not Permitted"),
			)

	def record_answers(self, before):
		"""Check every answer (one of the five levels, or 0 for not answered yet) and score the survey."""
		for row in self.answers:
			row.score = parse_score(row.score, row.idx)
			offered = offered_scores(row.max_score)
			if row.score and not any(abs(row.score - level) < 0.001 for level in offered):
				frappe.throw(
					_("Question {0}: the score must be one of {1} (0 = not answered).").format(
						row.idx, ", ".join(f"{level:g}" for level in offered)
					),
					title=_("Invalid Score"),
				)
		if any(row.score for row in self.answers) and (
			before is None or before.customer_answer() != self.customer_answer()
		):
			# who took the answers down: the staff member in the desk, the customer's portal user, or
			# nobody for an answer by link
			self.recorded_by = None if frappe.session.user == "Guest" else frappe.session.user
		missing = [row.idx for row in self.answers if not row.score]
		if missing and self.flags.via_portal:
			frappe.throw(_("Please answer question {0}.").format(missing[0]), title=_("Unanswered Question"))
		if missing and before is not None and before.status == "Answered":
			frappe.throw(
				_("An answered survey keeps an answer to every question: question {0} has none.").format(
					missing[0]
				),
				title=_("Unanswered Question"),
			)
		if missing:  # staff taking a phone survey may save it half done
			self.status, self.score, self.answered_on = "Invited", 0, None
			return
		self.score = rules.survey_score(
			rules.Answer(r.question, r.category, flt(r.score), flt(r.max_score)) for r in self.answers
		)
		if not self.flags.via_portal and not self.channel:
			frappe.throw(_("Select how the customer answered (Answered By)."), title=_("Missing Channel"))
		if before is None or before.status != "Answered":
			self.status, self.answered_on = "Answered", now_datetime()


def same(value, expected) -> bool:
	if isinstance(expected, int | float):
		try:
			return abs(float(value) - expected) < 0.001
		except (TypeError, ValueError):
			return False
	return cstr(value) == cstr(expected)


def refuse_rows():
	guards.refuse(
		_("The questions of a survey are those of its template: rows cannot be added, removed or reworded."),
		title=_("Not Permitted"),
	)
