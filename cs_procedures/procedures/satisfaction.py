"""Rules of the customer satisfaction survey (顾客满意度调查), free of Frappe.

003 §5.3: each item must score at least 12; a reply rate above 70 % makes the survey
valid; satisfaction = the customer's score - 1 point per complaint (at most 5)
- 2 points per return (at most 10).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


def check_answer(score: float | None, max_score: float) -> str | None:
	"""Why an answer is not acceptable, or None."""
	if score is None:
		return "missing"
	if score < 0 or score > max_score:
		return "out_of_range"
	return None


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


def new_token() -> str:
	"""An unguessable link token (256 random bits, URL-safe)."""
	return secrets.token_urlsafe(TOKEN_BYTES)


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
