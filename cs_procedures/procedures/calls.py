"""Rules of the hotline, free of Frappe.

Seed text, 002 ch8 §4-7: every incoming call is written in the inbound call log (呼入记录表: who called,
about what, who answered, how long the caller waited and talked, what came of it), every outgoing call
in the outbound call log (呼出记录表), and calls to customers are planned (电话访谈计划: purpose, period,
whom to call). 000 III-1.1 (电话抱怨记录) and 001 4.5-4.7: a complaint made by phone is the first
contact with a complaining customer; the call becomes the complaint's record.

The calls live in ERPNext's Call Log; these rules say what the site checks about them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

# what a call is about (呼入记录表 来电事由), a custom field of Call Log
COMPLAINT, ENQUIRY, ORDER, OTHER = "Complaint", "Enquiry", "Order", "Other"
CALL_PURPOSES = (COMPLAINT, ENQUIRY, ORDER, OTHER)

# ERPNext's Call Log status: a call someone spoke on, and one nobody answered
ANSWERED = ("In Progress", "Completed")
UNANSWERED = ("No Answer", "Busy", "Failed", "Canceled")

# a call plan (电话访谈计划): its purpose, and the result of each planned call
SURVEY, VISIT_FOLLOW_UP, COLLECTION = "Survey", "Visit Follow-up", "Collection"
PLAN_PURPOSES = (SURVEY, VISIT_FOLLOW_UP, COLLECTION, OTHER)
REACHED, NO_ANSWER, CALL_BACK, REFUSED, WRONG_NUMBER = (
	"Reached",
	"No Answer",
	"Call Back",
	"Refused",
	"Wrong Number",
)
RESULTS = (REACHED, NO_ANSWER, CALL_BACK, REFUSED, WRONG_NUMBER)
# a planned call with one of these results needs no other call
FINAL_RESULTS = (REACHED, REFUSED, WRONG_NUMBER)
PLAN_OPEN, PLAN_COMPLETED = "Open", "Completed"

SUBJECT_LENGTH = 140


def is_answered(status: str | None) -> bool:
	return status in ANSWERED


def complaint_problem(customer: str | None, complaint: str | None) -> str | None:
	"""Why a call cannot become a complaint: it already did (`"already_made"`), or it names no
	customer (`"no_customer"`)."""
	if complaint:
		return "already_made"
	if not customer:
		return "no_customer"
	return None


def complaint_subject(summary: str | None, caller: str | None, fallback: str) -> str:
	"""The complaint's subject: the first line of the call's summary (cut to the subject's length),
	else `fallback` (a sentence naming the caller's number, translated by the site)."""
	first = next((line.strip() for line in (summary or "").splitlines() if line.strip()), "")
	text = first or fallback.format(caller or "?")
	return text if len(text) <= SUBJECT_LENGTH else text[: SUBJECT_LENGTH - 1] + "…"


def call_back_problem(status: str | None, call_type: str | None, agent: str | None, due) -> str | None:
	"""A call back is asked for an incoming call nobody answered, with an agent and a due time."""
	if call_type != "Incoming" or is_answered(status):
		return "answered"
	if not agent or not due:
		return "agent_and_due"
	return None


def plan_problems(
	period_start: date,
	period_end: date,
	rows: Iterable[tuple[int, str, date | None, str | None, str | None]],
) -> list[tuple[str, int]]:
	"""Problems of a call plan: (code, row idx). `rows`: (idx, customer, due date, result, customer of
	the Call Log recorded, or None when none is). The period ends after it starts; each due date lies in
	the period; a customer is planned once; a recorded call is a call with that customer."""
	problems = []
	if period_end < period_start:
		problems.append(("period", 0))
	seen = set()
	for idx, customer, due, _result, call_customer in rows:
		if due and not (period_start <= due <= period_end):
			problems.append(("outside_period", idx))
		if customer in seen:
			problems.append(("duplicate", idx))
		seen.add(customer)
		if call_customer is not None and call_customer != customer:
			problems.append(("other_customer", idx))
	return problems


def plan_status(results: Iterable[str | None]) -> str:
	"""A plan is completed when every planned call has a final result."""
	results = list(results)
	return PLAN_COMPLETED if results and all(r in FINAL_RESULTS for r in results) else PLAN_OPEN


def rows_to_add(planned: Iterable[str], candidates: Iterable[str]) -> list[str]:
	"""The candidates not planned yet, once each, in their order."""
	seen = set(planned)
	added = []
	for customer in candidates:
		if customer and customer not in seen:
			seen.add(customer)
			added.append(customer)
	return added


def share(part: float, whole: float) -> float | None:
	"""`part` as a percentage of `whole`, None when there is nothing to share."""
	return round(100.0 * part / whole, 1) if whole else None
