from datetime import date
from itertools import product

import pytest

from cs_procedures.procedures import property as p

RECEIVED_ON = date(2026, 3, 10)
UNTIL = date(2027, 3, 10)
RESULTS = (p.PENDING, p.ACCEPTED, p.REJECTED, p.NOT_REQUIRED, None)
STATUSES = (*p.OPEN_STATUSES, *p.FINAL_STATUSES)


@pytest.mark.parametrize(
	"received, years, until",
	[
		(date(2026, 3, 10), 1, date(2027, 3, 10)),
		(date(2026, 12, 31), 1, date(2027, 12, 31)),
		(date(2024, 2, 29), 1, date(2025, 3, 1)),  # leap day into a common year
		(date(2024, 2, 29), 4, date(2028, 2, 29)),  # leap day into a leap year
		(date(2023, 2, 28), 1, date(2024, 2, 28)),
		(date(2023, 3, 1), 1, date(2024, 3, 1)),
		(date(2026, 5, 1), 0, date(2026, 5, 1)),
		(date(2026, 5, 1), 3, date(2029, 5, 1)),
	],
)
def test_retention_until(received, years, until):
	assert p.retention_until(received, years) == until


def test_retention_defaults_to_one_year():
	assert p.RETENTION_YEARS == 1
	assert p.retention_until(RECEIVED_ON) == UNTIL


def test_retention_years_cannot_be_negative():
	with pytest.raises(ValueError):
		p.retention_until(RECEIVED_ON, -1)


def test_retention_never_shorter_than_a_year():
	day = date(2024, 1, 1)
	while day.year == 2024:
		assert (p.retention_until(day) - day).days >= 365
		day = date.fromordinal(day.toordinal() + 1)


@pytest.mark.parametrize(
	"on_day, ended",
	[(date(2027, 3, 9), False), (UNTIL, True), (date(2027, 3, 11), True), (RECEIVED_ON, False)],
)
def test_retention_ended(on_day, ended):
	assert p.retention_ended(UNTIL, on_day) is ended
	assert p.days_left(UNTIL, on_day) == (0 if ended else (UNTIL - on_day).days)


def test_retention_without_a_date_never_ends():
	assert not p.retention_ended(None, date(2100, 1, 1))


@pytest.mark.parametrize("result, nonconformity", product(RESULTS, (None, "", "  ", "12 pcs short")))
def test_needs_customer_notice(result, nonconformity):
	facts = p.Facts(result, nonconformity)
	expected = result == p.REJECTED or bool(nonconformity and nonconformity.strip())
	assert p.needs_customer_notice(facts) is expected
	assert p.notice_missing(facts) is expected
	assert not p.notice_missing(p.Facts(result, nonconformity, customer_notified=True))


def test_transitions_cover_every_status():
	assert set(p.TRANSITIONS) == {None, *STATUSES}
	for targets in p.TRANSITIONS.values():
		assert targets <= set(STATUSES)
	for final in p.FINAL_STATUSES:
		assert p.TRANSITIONS[final] == set()


@pytest.mark.parametrize("old, new", product((None, *STATUSES), STATUSES))
def test_can_move(old, new):
	allowed = {
		(None, p.RECEIVED),
		(None, p.NONCONFORMING),
		(None, p.IN_STORE),
		(p.RECEIVED, p.NONCONFORMING),
		(p.RECEIVED, p.IN_STORE),
		(p.RECEIVED, p.RETURNED),
		(p.RECEIVED, p.CONSUMED),
		(p.NONCONFORMING, p.RECEIVED),
		(p.NONCONFORMING, p.IN_STORE),
		(p.NONCONFORMING, p.RETURNED),
		(p.NONCONFORMING, p.DISPOSED),
		(p.IN_STORE, p.NONCONFORMING),
		(p.IN_STORE, p.RETURNED),
		(p.IN_STORE, p.CONSUMED),
		(p.IN_STORE, p.DISPOSED),
	}
	assert p.can_move(old, new) is (old == new or (old, new) in allowed)


@pytest.mark.parametrize(
	"facts, blockers",
	[
		(p.Facts(p.PENDING), [p.NOT_INSPECTED]),
		(p.Facts(None), [p.NOT_INSPECTED]),
		(p.Facts(p.ACCEPTED), []),
		(p.Facts(p.NOT_REQUIRED), []),
		(p.Facts(p.REJECTED), [p.CUSTOMER_NOT_NOTIFIED]),
		(p.Facts(p.REJECTED, customer_notified=True), []),
		(p.Facts(p.ACCEPTED, "scratched cartons"), [p.CUSTOMER_NOT_NOTIFIED]),
		(p.Facts(p.ACCEPTED, "scratched cartons", True), []),
		(p.Facts(p.PENDING, "short"), [p.NOT_INSPECTED, p.CUSTOMER_NOT_NOTIFIED]),
	],
)
def test_storing_blockers(facts, blockers):
	assert p.storing_blockers(facts) == blockers


@pytest.mark.parametrize(
	"facts, status",
	[
		(p.Facts(p.PENDING), p.RECEIVED),
		(p.Facts(p.ACCEPTED), p.RECEIVED),
		(p.Facts(p.NOT_REQUIRED), p.RECEIVED),
		(p.Facts(p.ACCEPTED, stored=True), p.IN_STORE),
		(p.Facts(p.PENDING, stored=True), p.RECEIVED),  # not inspected: never in store
		(p.Facts(None, stored=True), p.RECEIVED),
		(p.Facts(p.NOT_REQUIRED, stored=True), p.IN_STORE),
		(p.Facts(p.REJECTED), p.NONCONFORMING),
		(p.Facts(p.REJECTED, stored=True), p.NONCONFORMING),  # not notified: never in store
		(p.Facts(p.REJECTED, customer_notified=True), p.NONCONFORMING),  # awaiting the customer's solution
		(p.Facts(p.REJECTED, customer_notified=True, stored=True), p.IN_STORE),
		(p.Facts(p.ACCEPTED, "dented", stored=True), p.NONCONFORMING),
		(p.Facts(p.ACCEPTED, "dented", True, True), p.IN_STORE),
	],
)
def test_derive_status(facts, status):
	assert p.derive_status(facts) == status
	for current in p.OPEN_STATUSES:
		assert p.derive_status(facts, current) == status


@pytest.mark.parametrize("final", p.FINAL_STATUSES)
def test_closed_record_keeps_its_outcome(final):
	for facts in (p.Facts(), p.Facts(p.REJECTED), p.Facts(p.ACCEPTED, stored=True)):
		assert p.derive_status(facts, final) == final


@pytest.mark.parametrize("outcome", p.FINAL_STATUSES)
def test_the_lot_may_leave_at_once(outcome):
	"""Retention is how long the record is kept: a lot is returned or scrapped when the customer wants."""
	assert p.may_close(outcome)


@pytest.mark.parametrize("status", p.OPEN_STATUSES)
def test_open_statuses_do_not_close(status):
	assert not p.may_close(status)


@pytest.mark.parametrize(
	"on_day, deletable",
	[(RECEIVED_ON, False), (date(2027, 3, 9), False), (UNTIL, True), (date(2028, 1, 1), True)],
)
def test_record_is_kept_until_its_retention_ends(on_day, deletable):
	assert p.record_deletable(UNTIL, on_day) is deletable


def test_record_without_retention_date_is_kept():
	assert not p.record_deletable(None, date(2100, 1, 1))


def test_leap_day_retention():
	until = p.retention_until(date(2024, 2, 29))
	assert not p.record_deletable(until, date(2025, 2, 28))
	assert p.record_deletable(until, date(2025, 3, 1))


STORED_OK = p.Facts(p.ACCEPTED, stored=True)


@pytest.mark.parametrize(
	"current, outcome, facts, on_day, blockers",
	[
		(p.IN_STORE, p.RETURNED, STORED_OK, RECEIVED_ON, []),
		(p.IN_STORE, p.CONSUMED, STORED_OK, RECEIVED_ON, []),
		(p.IN_STORE, p.DISPOSED, STORED_OK, RECEIVED_ON, []),
		(p.IN_STORE, p.DISPOSED, STORED_OK, UNTIL, []),
		(p.RECEIVED, p.CONSUMED, p.Facts(p.ACCEPTED), RECEIVED_ON, []),
		(p.RECEIVED, p.CONSUMED, p.Facts(p.PENDING), RECEIVED_ON, [p.NOT_INSPECTED]),
		(p.RECEIVED, p.RETURNED, p.Facts(p.PENDING), RECEIVED_ON, []),
		(p.RECEIVED, p.DISPOSED, p.Facts(p.ACCEPTED), UNTIL, [p.NOT_ALLOWED]),
		(p.NONCONFORMING, p.RETURNED, p.Facts(p.REJECTED), RECEIVED_ON, [p.CUSTOMER_NOT_NOTIFIED]),
		(p.NONCONFORMING, p.RETURNED, p.Facts(p.REJECTED, customer_notified=True), RECEIVED_ON, []),
		(
			p.NONCONFORMING,
			p.DISPOSED,
			p.Facts(p.REJECTED),
			RECEIVED_ON,
			[p.CUSTOMER_NOT_NOTIFIED],
		),
		(p.NONCONFORMING, p.DISPOSED, p.Facts(p.REJECTED, customer_notified=True), UNTIL, []),
		(
			p.NONCONFORMING,
			p.CONSUMED,
			p.Facts(p.REJECTED, customer_notified=True),
			RECEIVED_ON,
			[p.NOT_ALLOWED],
		),
		(p.RETURNED, p.DISPOSED, STORED_OK, UNTIL, [p.NOT_ALLOWED]),
		(p.RETURNED, p.RETURNED, STORED_OK, UNTIL, [p.NOT_ALLOWED]),
		(p.IN_STORE, p.IN_STORE, STORED_OK, UNTIL, [p.NOT_ALLOWED]),
		(None, p.RETURNED, STORED_OK, UNTIL, [p.NOT_ALLOWED]),
	],
)
def test_closure_blockers(current, outcome, facts, on_day, blockers):
	del on_day  # the day no longer matters: retention keeps the record, not the lot
	assert p.closure_blockers(current, outcome, facts) == blockers


@pytest.mark.parametrize(
	"status, on_day", product(STATUSES, (RECEIVED_ON, date(2027, 3, 9), UNTIL, date(2027, 6, 1)))
)
def test_reminder_due(status, on_day):
	assert p.reminder_due(status, UNTIL, on_day) is (status == p.IN_STORE and on_day >= UNTIL)


@pytest.mark.parametrize(
	"status, docstatus, result",
	[
		("Accepted", 1, p.ACCEPTED),
		("Rejected", 1, p.REJECTED),
		("Accepted", 0, p.PENDING),
		("Rejected", 0, p.PENDING),
		(None, 1, p.PENDING),
		("Accepted", 2, None),
		("Rejected", 2, None),
	],
)
def test_result_from_quality_inspection(status, docstatus, result):
	assert p.result_from_quality_inspection(status, docstatus) == result
