"""The customer's view of a complaint on the portal (cs_procedures.procedures.portal)."""

from datetime import datetime

import pytest

from cs_procedures.procedures import complaint as c
from cs_procedures.procedures import portal as p

T = datetime(2026, 11, 16, 9, 0)


@pytest.mark.parametrize(
	"state, words",
	[
		(None, p.RECEIVED),
		(c.RECEIVED, p.RECEIVED),
		(c.SHEET_ISSUED, p.BEING_HANDLED),
		(c.ESCALATED, p.BEING_HANDLED),
		(c.APPROVED, p.BEING_HANDLED),
		(c.REPLIED, p.ANSWERED),
		(c.AWAITING_VERIFICATION, p.ANSWERED),
		(c.VERIFIED, p.ANSWERED),
		(c.CLOSED, p.CLOSED),
		(c.NOT_ACCEPTED, p.CLOSED),
	],
)
def test_customer_words_for_every_state(state, words):
	assert p.customer_state(state) == words


def test_every_workflow_state_has_customer_words():
	assert set(p.CUSTOMER_WORDS) == {
		c.RECEIVED, c.SHEET_ISSUED, c.ESCALATED, c.APPROVED, c.REPLIED,
		c.AWAITING_VERIFICATION, c.VERIFIED, c.CLOSED, c.NOT_ACCEPTED,
	}  # fmt: skip
	assert set(p.CUSTOMER_WORDS.values()) == {p.RECEIVED, p.BEING_HANDLED, p.ANSWERED, p.CLOSED}
	assert p.customer_state("Some Future State") == p.BEING_HANDLED  # never shows an internal name


def test_the_reply_is_shown_once_answered_never_for_a_dismissed_complaint():
	assert not p.reply_visible(c.SHEET_ISSUED)
	assert p.reply_visible(c.REPLIED) and p.reply_visible(c.CLOSED)
	assert not p.reply_visible(c.NOT_ACCEPTED)


def test_expected_date():
	asked, due = T.replace(day=20), T.replace(day=18)
	assert p.expected_date(c.RECEIVED, asked, due) == asked
	assert p.expected_date(c.SHEET_ISSUED, None, due) == due
	assert p.expected_date(c.SHEET_ISSUED, None, None) is None
	assert p.expected_date(c.REPLIED, asked, due) is None
	assert p.expected_date(c.CLOSED, asked, due) is None


def test_the_customer_answers_a_reply_once_and_only_at_replied():
	replied = T
	assert p.may_answer(c.REPLIED, replied, None)
	assert not p.may_answer(c.REPLIED, replied, replied.replace(hour=10))  # answered already
	assert p.may_answer(c.REPLIED, replied.replace(day=20), replied.replace(hour=10))  # a new reply
	for state in (c.RECEIVED, c.SHEET_ISSUED, c.APPROVED, c.AWAITING_VERIFICATION, c.CLOSED, None):
		assert not p.may_answer(state, replied, None)


def test_reopen_goes_back_to_the_sheet_or_to_routing():
	assert p.reopen_state("Quality - X") == c.SHEET_ISSUED
	assert p.reopen_state(None) == c.RECEIVED


@pytest.mark.parametrize(
	"satisfied, feedback, problem",
	[
		("Yes", None, None),
		("Yes", "thanks", None),
		("No", "the parts are still bent", None),
		("No", "   ", "reason"),
		("No", None, "reason"),
		(None, "x", "choice"),
		("yes", None, "choice"),
		("Maybe", None, "choice"),
		("No", "x" * (p.FEEDBACK_LENGTH + 1), "length"),
	],
)
def test_feedback_problem(satisfied, feedback, problem):
	assert p.feedback_problem(satisfied, feedback) == problem


def test_plain_paragraphs():
	assert p.plain_paragraphs("Bent parts.\r\n\r\n  Ten of them. \n") == ["Bent parts.", "Ten of them."]
	assert p.plain_paragraphs("") == []
