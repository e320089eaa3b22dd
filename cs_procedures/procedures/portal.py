"""What the customer sees of a complaint on the portal, and what they may do there, free of Frappe.

The customer does not need the procedure's states: they see four words (received, being handled,
answered, closed), the date they may expect an answer, and, once answered, whether the reply
satisfies them (002 ch6 §17 "客户是否满意"). A "no" sends the complaint back for renegotiation.
"""

from __future__ import annotations

from datetime import datetime

from cs_procedures.procedures import complaint as rules

# The customer's words for a complaint's state (English; the page translates them).
RECEIVED = "Received"
BEING_HANDLED = "Being Handled"
ANSWERED = "Answered"
CLOSED = "Closed"

CUSTOMER_WORDS = {
	rules.RECEIVED: RECEIVED,
	rules.SHEET_ISSUED: BEING_HANDLED,
	rules.ESCALATED: BEING_HANDLED,
	rules.APPROVED: BEING_HANDLED,
	rules.REPLIED: ANSWERED,
	rules.AWAITING_VERIFICATION: ANSWERED,
	rules.VERIFIED: ANSWERED,
	rules.CLOSED: CLOSED,
	rules.NOT_ACCEPTED: CLOSED,
}

# The customer's answer to the reply.
SATISFIED, NOT_SATISFIED = "Yes", "No"

# What the portal offers to pick, and how long a customer's texts may be.
SUBJECT_LENGTH, TEXT_LENGTH, FEEDBACK_LENGTH = 140, 5000, 2000
COMPLAINT_TYPES = ("Quality", "Quantity", "Delivery", "Service", "Coordination", "Other")
REQUESTS = ("Replacement", "Refund", "Discount", "Repair", "Other")


def customer_state(state: str | None) -> str:
	"""The customer's word for the state a complaint is in (a new complaint is received)."""
	return CUSTOMER_WORDS.get(state or rules.RECEIVED, BEING_HANDLED)


def reply_visible(state: str | None) -> bool:
	"""The reply is the customer's once the complaint has been answered."""
	return customer_state(state) in (ANSWERED, CLOSED) and state != rules.NOT_ACCEPTED


def expected_date(
	state: str | None,
	customer_required_by: datetime | None,
	countermeasure_due_by: datetime | None,
) -> datetime | None:
	"""When the customer may expect the answer: the time they asked for, else the date the
	countermeasure is due (the reply follows it); nothing once answered or closed."""
	if customer_state(state) not in (RECEIVED, BEING_HANDLED):
		return None
	return customer_required_by or countermeasure_due_by


def may_answer(state: str | None, replied_on: datetime | None, answered_on: datetime | None) -> bool:
	"""The customer accepts or rejects a reply once: while the complaint stands at Replied and
	they have not answered since it was replied."""
	if state != rules.REPLIED:
		return False
	return answered_on is None or (replied_on is not None and answered_on < replied_on)


def reopen_state(responsible_department: str | None) -> str:
	"""Where a reply the customer does not accept sends the complaint: back to the responsible
	department's complaint sheet, or, when none was named (sales answered alone), to Received for
	the CS manager to route."""
	return rules.SHEET_ISSUED if responsible_department else rules.RECEIVED


def feedback_problem(satisfied: str | None, feedback: str | None) -> str | None:
	"""Why an answer is not acceptable: no yes/no, or a "no" without its reason."""
	if satisfied not in (SATISFIED, NOT_SATISFIED):
		return "choice"
	if satisfied == NOT_SATISFIED and not (feedback or "").strip():
		return "reason"
	if len(feedback or "") > FEEDBACK_LENGTH:
		return "length"
	return None


def plain_paragraphs(text: str) -> list[str]:
	"""A customer's text as paragraphs (blank lines dropped), for the complaint's rich-text description."""
	return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]
