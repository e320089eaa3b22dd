"""Rules of the customer satisfaction survey (顾客满意度调查), free of Frappe.

003 §5.3: each item must score at least 12; a reply rate above 70 % makes the survey
valid; satisfaction = the customer's score - 1 point per complaint (at most 5)
- 2 points per return (at most 10).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cs_procedures.procedures import Workflow

COMPLAINT_POINTS, COMPLAINT_CAP = 1, 5
RETURN_POINTS, RETURN_CAP = 2, 10
VALID_RESPONSE_RATE = 70.0
TOKEN_BYTES = 32  # 256 bits

# Item category -> complaint type whose responsible department acts on it (003 §5.3.4 A-C).
CATEGORY_COMPLAINT_TYPE = {
	"Product Quality": "Quality",
	"Delivery": "Delivery",
	"Service": "Service",
	"Price": "Coordination",
	"Staff": "Service",
	"Other": "Other",
}


# The campaign's statuses: a draft is edited, Sending while a background job invites, Sent while the
# customers answer, Closed once scored (the campaign keeps its own status: it has no approvals)
DRAFT, SENDING, SENT, CLOSED = "Draft", "Sending", "Sent", "Closed"
INVITED, ANSWERED = "Invited", "Answered"  # a response
# the survey records kept by status, not by a workflow: the status they start in and the ones a record
# brought in as history (cs_procedures/history.py) may have
CAMPAIGN_LIFE = Workflow("Satisfaction Survey Campaign", DRAFT, (CLOSED,))
RESPONSE_LIFE = Workflow("Satisfaction Survey Response", INVITED, (ANSWERED,))


@dataclass(frozen=True)
class Answer:
	question: str
	category: str
	score: float
	max_score: float


@dataclass(frozen=True)
class Satisfaction:
	score: float
	complaint_deduction: int
	return_deduction: int

	@property
	def satisfaction(self) -> float:
		return round(self.score - self.complaint_deduction - self.return_deduction, 2)


def survey_score(answers: Iterable[Answer]) -> float:
	"""The survey score: the items' points added up (a full questionnaire scores 100)."""
	return round(sum(answer.score for answer in answers), 2)


def complaint_deduction(complaints: int) -> int:
	return min(COMPLAINT_POINTS * max(complaints, 0), COMPLAINT_CAP)


def return_deduction(returns: int) -> int:
	return min(RETURN_POINTS * max(returns, 0), RETURN_CAP)


def satisfaction(score: float, complaints: int, returns: int) -> Satisfaction:
	return Satisfaction(score, complaint_deduction(complaints), return_deduction(returns))


def response_rate(responded: int, invited: int) -> float:
	return round(100.0 * responded / invited, 1) if invited else 0.0


def is_valid(rate: float) -> bool:
	"""A campaign is valid only with a reply rate above 70 % (003 §5.3.2)."""
	return rate > VALID_RESPONSE_RATE


def low_items(averages: Mapping[str, float], pass_mark: float) -> list[str]:
	"""Questions whose average is under the pass mark, in the questionnaire's order."""
	return [question for question, average in averages.items() if average < pass_mark]


def complaint_type_for(category: str) -> str:
	return CATEGORY_COMPLAINT_TYPE.get(category, "Other")


def token_usable(expires_on: datetime | None, answered: bool, now: datetime) -> str | None:
	"""Why a token link can no longer be used ("answered", "expired"), or None."""
	if answered:
		return "answered"
	if expires_on is None or now > expires_on:
		return "expired"
	return None


def reminder_due(
	sent_on: date, reply_by: date, reminders_sent: int, today: date, steps: Iterable[int]
) -> bool:
	"""Whether the next reminder step is due for a non-responder.

	`steps` are days after sending (e.g. 7, 14); each is sent once, none after the reply-by date.
	"""
	steps = sorted(steps)
	if reminders_sent >= len(steps) or today > reply_by:
		return False
	return today >= sent_on + timedelta(days=steps[reminders_sent])


def period_ending_before(frequency: str, day: date) -> tuple[date, date]:
	"""The last whole period (Monthly, Quarterly, Half-yearly, Yearly) that ended before `day`."""
	months = {"Monthly": 1, "Quarterly": 3, "Half-yearly": 6, "Yearly": 12}[frequency]
	index = (day.year * 12 + day.month - 1) // months * months - months
	start = date(index // 12, index % 12 + 1, 1)
	end_index = index + months
	end = date(end_index // 12, end_index % 12 + 1, 1) - timedelta(days=1)
	return start, end


def scheduled_period(frequency: str, day: date) -> tuple[date, date] | None:
	"""The period an automatic campaign surveys when the scheduler runs on `day`.

	"Every December" surveys the current year and runs in December only; the others
	survey the last whole period.
	"""
	if frequency == "Every December":
		return (date(day.year, 1, 1), date(day.year, 12, 31)) if day.month == 12 else None
	return period_ending_before(frequency, day)


# --- One customer, one result (003 §5.3.3 scores the customer) -------------------------------------


def mean(values: Iterable[float]) -> float:
	values = list(values)
	return round(sum(values) / len(values), 2) if values else 0.0


def customer_scores(responses: Iterable[tuple[str, float]]) -> dict[str, float]:
	"""Each customer's score: the mean of the scores of its answered responses (two contacts of a
	customer who both answer give the customer one score), in the order the customers come."""
	scores: dict[str, list[float]] = {}
	for customer, score in responses:
		scores.setdefault(customer, []).append(float(score))
	return {customer: mean(values) for customer, values in scores.items()}


def customer_results(
	scores: Mapping[str, float], complaints: Mapping[str, int], returns: Mapping[str, int]
) -> dict[str, Satisfaction]:
	"""Each customer's satisfaction: its score less its complaints and returns, deducted once."""
	return {
		customer: satisfaction(score, complaints.get(customer, 0), returns.get(customer, 0))
		for customer, score in scores.items()
	}


def customer_item_scores(answers: Iterable[tuple[str, str, float]]) -> dict[str, dict[str, float]]:
	"""customer -> question -> the mean of the customer's answers to it, from (customer, question,
	score) rows in the questionnaire's order."""
	scores: dict[str, dict[str, list[float]]] = {}
	for customer, question, score in answers:
		scores.setdefault(customer, {}).setdefault(question, []).append(float(score))
	return {
		customer: {question: mean(values) for question, values in items.items()}
		for customer, items in scores.items()
	}


def item_averages(
	customer_items: Mapping[str, Mapping[str, float]], questions: Iterable[str]
) -> dict[str, float]:
	"""Each question's average over the customers (each customer's own average counted once)."""
	averages = {}
	for question in questions:
		values = [items[question] for items in customer_items.values() if question in items]
		if values:
			averages[question] = mean(values)
	return averages


def item_pass_rate(
	customer_items: Mapping[str, Mapping[str, float]], question: str, pass_mark: float
) -> float:
	"""The share of the customers whose score of the question reaches the pass mark, in %."""
	values = [items[question] for items in customer_items.values() if question in items]
	return round(100.0 * sum(value >= pass_mark for value in values) / len(values), 1) if values else 0.0


def low_customer_items(
	customer_items: Mapping[str, Mapping[str, float]], pass_mark: float
) -> list[tuple[str, str, float]]:
	"""(customer, question, score) for each customer's item under the pass mark (003 §5.3.3: each
	item at least 12), customers in order, questions in the questionnaire's order."""
	return [
		(customer, question, score)
		for customer, items in customer_items.items()
		for question, score in items.items()
		if score < pass_mark
	]


# --- The campaign's period, validity and follow-up --------------------------------------------------


def schedule_frequency(schedule_key: str | None) -> str | None:
	"""The frequency of the automatic campaign a schedule key names ("Every December|..."), or None."""
	return schedule_key.split("|", 1)[0] if schedule_key else None


def period_end_at_close(frequency: str | None, period_end: date, closing_day: date) -> date:
	"""The last day whose complaints and returns are deducted: an "Every December" campaign surveys
	the year up to the day it closes (000 II-4), the others their period."""
	return closing_day if frequency == "Every December" else period_end


def raises_follow_ups(valid: bool) -> bool:
	"""Only a valid campaign proposes corrective actions (003 §5.3.2); call-backs do not wait for it."""
	return bool(valid)


# why a customer is called back (001 4.4)
CALLBACK_TOTAL, CALLBACK_ITEM, CALLBACK_REMARK = "total", "item", "remark"


def callback_reasons(
	satisfaction: float,
	callback_mark: float,
	items: Mapping[str, float],
	pass_mark: float,
	remarks: Iterable[str | None],
) -> list[tuple]:
	"""Why the customer is called back, whatever the campaign's validity (001 4.4; 003 §5.3.3 若未达到,
	需分析并采取对策): its satisfaction under the call-back mark, each of its items under the item mark
	(questionnaire order), any remark it wrote. Empty: no call-back."""
	reasons: list[tuple] = []
	if satisfaction < callback_mark:
		reasons.append((CALLBACK_TOTAL, satisfaction))
	reasons += [(CALLBACK_ITEM, question, score) for question, score in items.items() if score < pass_mark]
	if any((remark or "").strip() for remark in remarks):
		reasons.append((CALLBACK_REMARK,))
	return reasons


# how a survey answer was given -> the complaint channel of a complaint made from its comment
COMPLAINT_CHANNEL = {
	"Portal": "Portal",
	"Phone": "Phone",
	"E-mail": "E-mail",
	"Letter": "Letter",
	"Fax": "Letter",
}


def complaint_channel(response_channel: str | None) -> str:
	return COMPLAINT_CHANNEL.get(response_channel or "", "Phone")


def next_reminder_on(sent_on: date, reply_by: date, reminders_sent: int, steps: Iterable[int]) -> date | None:
	"""The day the next reminder step is due for a non-responder, or None (all sent, or it would
	fall after the reply-by date)."""
	steps = sorted(steps)
	if reminders_sent >= len(steps):
		return None
	due = sent_on + timedelta(days=steps[reminders_sent])
	return due if due <= reply_by else None


# --- The statistics' sign-off (顾客满意度调查统计表 HT-QR-MA-02: 拟制, 审核, 批准) -------------------------

PREPARED, REVIEWED, APPROVED = "prepared", "reviewed", "approved"
SIGN_OFF_STEPS = (PREPARED, REVIEWED, APPROVED)


def next_sign_off(signed: Mapping[str, str | None]) -> str | None:
	"""The step that signs next (prepared, then reviewed, then approved), or None once all signed."""
	return next((step for step in SIGN_OFF_STEPS if not signed.get(step)), None)


def sign_off_problem(
	campaign_status: str, signed: Mapping[str, str | None], user: str, may_sign: bool
) -> str | None:
	"""Why `user` cannot sign the next step: the campaign is not closed, all is signed, their role does
	not sign this step, or they signed an earlier one (each line by another person)."""
	if campaign_status != CLOSED:
		return "not_closed"
	if next_sign_off(signed) is None:
		return "all_signed"
	if not may_sign:
		return "not_your_step"
	if user in {who for who in signed.values() if who}:
		return "signed_already"
	return None
