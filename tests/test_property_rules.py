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
	assert p.TRANSITIONS[None] == {p.RECEIVED}  # a new record starts as Received


def test_every_open_state_leads_to_an_end():
	"""From every open state some chain of moves closes the record."""
	for start in p.OPEN_STATUSES:
		seen, todo = set(), [start]
		while todo:
			state = todo.pop()
			seen.add(state)
			todo += [nxt for nxt in p.TRANSITIONS[state] if nxt not in seen]
		assert seen & set(p.FINAL_STATUSES), start


ALLOWED_MOVES = {
	(None, p.RECEIVED),
	(p.RECEIVED, p.INSPECTED),
	(p.RECEIVED, p.NONCONFORMING),
	(p.RECEIVED, p.RETURNED),
	(p.INSPECTED, p.NONCONFORMING),
	(p.INSPECTED, p.IN_STORE),
	(p.INSPECTED, p.CONSUMED),
	(p.INSPECTED, p.RETURNED),
	(p.NONCONFORMING, p.CUSTOMER_NOTIFIED),
	(p.CUSTOMER_NOTIFIED, p.IN_STORE),
	(p.CUSTOMER_NOTIFIED, p.RETURNED),
	(p.CUSTOMER_NOTIFIED, p.DISPOSED),
	(p.IN_STORE, p.NONCONFORMING),
	(p.IN_STORE, p.CONSUMED),
	(p.IN_STORE, p.RETURNED),
	(p.IN_STORE, p.DISPOSED),
}


@pytest.mark.parametrize("old, new", product((None, *STATUSES), STATUSES))
def test_can_move(old, new):
	assert p.can_move(old, new) is (old == new or (old, new) in ALLOWED_MOVES)


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
REJECTED_TOLD = p.Facts(p.REJECTED, "torn bags", customer_notified=True, stored=True)


@pytest.mark.parametrize(
	"old, new, facts, blockers",
	[
		# inspection: passed and nothing wrong, or the lot goes to Nonconforming
		(p.RECEIVED, p.INSPECTED, p.Facts(p.ACCEPTED), []),
		(p.RECEIVED, p.INSPECTED, p.Facts(p.NOT_REQUIRED), []),
		(p.RECEIVED, p.INSPECTED, p.Facts(p.PENDING), [p.NOT_INSPECTED]),
		(p.RECEIVED, p.INSPECTED, p.Facts(p.REJECTED, "torn"), [p.NOT_INSPECTED, p.NONCONFORMITY_OPEN]),
		(p.RECEIVED, p.INSPECTED, p.Facts(p.ACCEPTED, "2 short"), [p.NONCONFORMITY_OPEN]),
		(p.RECEIVED, p.NONCONFORMING, p.Facts(p.REJECTED, "torn"), []),
		(p.RECEIVED, p.NONCONFORMING, p.Facts(p.PENDING, "2 bags short"), []),
		(p.RECEIVED, p.NONCONFORMING, p.Facts(p.ACCEPTED, "  "), [p.NO_NONCONFORMITY]),
		(p.IN_STORE, p.NONCONFORMING, p.Facts(p.ACCEPTED, "dented", stored=True), []),
		# the customer's notice
		(p.NONCONFORMING, p.CUSTOMER_NOTIFIED, p.Facts(p.REJECTED, "torn"), [p.CUSTOMER_NOT_NOTIFIED]),
		(p.NONCONFORMING, p.CUSTOMER_NOTIFIED, p.Facts(p.REJECTED, "torn", True), []),
		# storing
		(p.INSPECTED, p.IN_STORE, STORED_OK, []),
		(p.INSPECTED, p.IN_STORE, p.Facts(p.ACCEPTED), [p.NO_WAREHOUSE]),
		(p.INSPECTED, p.IN_STORE, p.Facts(p.ACCEPTED, "dented", stored=True), [p.CUSTOMER_NOT_NOTIFIED]),
		(p.CUSTOMER_NOTIFIED, p.IN_STORE, REJECTED_TOLD, []),
		# skipping a state: not allowed, and what the target would need besides
		(p.RECEIVED, p.IN_STORE, STORED_OK, [p.NOT_ALLOWED]),
		(p.RECEIVED, p.IN_STORE, p.Facts(p.PENDING, stored=True), [p.NOT_ALLOWED, p.NOT_INSPECTED]),
		(
			p.NONCONFORMING,
			p.IN_STORE,
			p.Facts(p.REJECTED, "torn", stored=True),
			[p.NOT_ALLOWED, p.CUSTOMER_NOT_NOTIFIED],
		),
		(p.NONCONFORMING, p.RETURNED, p.Facts(p.REJECTED, "torn"), [p.NOT_ALLOWED, p.CUSTOMER_NOT_NOTIFIED]),
		(None, p.IN_STORE, STORED_OK, [p.NOT_ALLOWED]),
		# closing
		(p.IN_STORE, p.RETURNED, STORED_OK, []),
		(p.IN_STORE, p.CONSUMED, STORED_OK, []),
		(p.IN_STORE, p.DISPOSED, STORED_OK, []),
		(p.IN_STORE, p.CONSUMED, REJECTED_TOLD, [p.NOT_INSPECTED]),
		(p.IN_STORE, p.DISPOSED, REJECTED_TOLD, []),
		(p.INSPECTED, p.CONSUMED, p.Facts(p.ACCEPTED), []),
		(p.INSPECTED, p.CONSUMED, p.Facts(p.ACCEPTED, "short"), [p.CUSTOMER_NOT_NOTIFIED]),
		(p.RECEIVED, p.RETURNED, p.Facts(p.PENDING), []),
		(p.RECEIVED, p.CONSUMED, p.Facts(p.PENDING), [p.NOT_ALLOWED, p.NOT_INSPECTED]),
		(p.RECEIVED, p.DISPOSED, p.Facts(p.ACCEPTED), [p.NOT_ALLOWED]),
		(p.CUSTOMER_NOTIFIED, p.RETURNED, REJECTED_TOLD, []),
		(p.CUSTOMER_NOTIFIED, p.CONSUMED, REJECTED_TOLD, [p.NOT_ALLOWED, p.NOT_INSPECTED]),
		# a closed record stays closed; staying put is no move
		(p.RETURNED, p.DISPOSED, STORED_OK, [p.NOT_ALLOWED]),
		(p.RETURNED, p.IN_STORE, STORED_OK, [p.NOT_ALLOWED]),
		(p.RETURNED, p.RETURNED, STORED_OK, [p.NOT_ALLOWED]),
		(p.IN_STORE, p.IN_STORE, STORED_OK, [p.NOT_ALLOWED]),
	],
)
def test_move_blockers(old, new, facts, blockers):
	assert p.move_blockers(old, new, facts) == blockers


@pytest.mark.parametrize("old, new", sorted(ALLOWED_MOVES, key=str))
def test_every_move_of_the_procedure_can_happen(old, new):
	"""Each move has facts that allow it (no state is a dead end by its rules)."""
	candidates = [
		p.Facts(result, text, told, stored)
		for result, text, told, stored in product(RESULTS, (None, "short"), (False, True), (False, True))
	]
	if old is None:
		return  # a new record: the controller starts it as Received
	assert any(p.move_blockers(old, new, facts) == [] for facts in candidates)


@pytest.mark.parametrize(
	"state, facts, undone",
	[
		(p.RECEIVED, p.Facts(p.PENDING), []),
		(p.INSPECTED, p.Facts(p.ACCEPTED), []),
		(p.INSPECTED, p.Facts(p.REJECTED, "x"), []),  # found wrong later: reported by its action
		(p.INSPECTED, p.Facts(p.PENDING), [p.NOT_INSPECTED]),
		(p.IN_STORE, STORED_OK, []),
		(p.IN_STORE, p.Facts(p.ACCEPTED), [p.NO_WAREHOUSE]),
		(p.IN_STORE, p.Facts(None), [p.NOT_INSPECTED, p.NO_WAREHOUSE]),
		(p.CUSTOMER_NOTIFIED, REJECTED_TOLD, []),
		(p.CUSTOMER_NOTIFIED, p.Facts(p.REJECTED, "x"), [p.CUSTOMER_NOT_NOTIFIED]),
		(p.NONCONFORMING, p.Facts(p.PENDING), []),
	],
)
def test_facts_undone(state, facts, undone):
	assert p.facts_undone(state, facts) == undone


@pytest.mark.parametrize(
	"before, after, told",
	[
		(None, p.Facts(p.PENDING), False),
		(None, p.Facts(p.REJECTED, "torn"), True),  # recorded with the receipt
		(p.Facts(p.PENDING), p.Facts(p.PENDING, "2 short"), True),
		(p.Facts(p.PENDING), p.Facts(p.REJECTED, "torn"), True),
		(p.Facts(p.ACCEPTED, "2 short"), p.Facts(p.ACCEPTED, "2 short", True), False),  # not again
		(p.Facts(p.ACCEPTED, "2 short"), p.Facts(p.ACCEPTED, " 2 short "), False),
		(p.Facts(p.ACCEPTED, "2 short"), p.Facts(p.ACCEPTED, "2 short, 1 torn"), True),  # a new finding
		(p.Facts(p.REJECTED, "torn"), p.Facts(p.REJECTED, "torn", stored=True), False),
		(p.Facts(p.ACCEPTED, "2 short"), p.Facts(p.ACCEPTED, ""), False),
	],
)
def test_anomaly_recorded(before, after, told):
	assert p.anomaly_recorded(before, after) is told


@pytest.mark.parametrize(
	"status, facts, state",
	[
		(p.RECEIVED, p.Facts(p.PENDING), p.RECEIVED),
		(p.RECEIVED, p.Facts(p.ACCEPTED), p.INSPECTED),
		(p.RECEIVED, p.Facts(p.NOT_REQUIRED, stored=True), p.INSPECTED),
		(p.NONCONFORMING, p.Facts(p.REJECTED, "torn"), p.NONCONFORMING),
		(p.NONCONFORMING, REJECTED_TOLD, p.CUSTOMER_NOTIFIED),
		(p.IN_STORE, STORED_OK, p.IN_STORE),
		(p.RETURNED, p.Facts(p.PENDING), p.RETURNED),
		(p.CONSUMED, STORED_OK, p.CONSUMED),
		(p.DISPOSED, REJECTED_TOLD, p.DISPOSED),
		(None, p.Facts(p.PENDING), p.RECEIVED),
	],
)
def test_migrated_state(status, facts, state):
	assert p.migrated_state(status, facts) == state
	assert state in STATUSES


@pytest.mark.parametrize(
	"closed_on, valid",
	[(RECEIVED_ON, True), (date(2026, 3, 9), False), (date(2026, 4, 1), True), (date(2026, 4, 2), False)],
)
def test_closing_date_valid(closed_on, valid):
	assert p.closing_date_valid(closed_on, RECEIVED_ON, date(2026, 4, 1)) is valid


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


def test_the_record_of_a_lot_still_held_is_kept():
	"""HT-QR-MA-10 keeps the record a year after the lot leaves: none is set while it is held."""
	assert p.retention_until(None) is None
	assert not p.record_deletable(p.retention_until(None), date(2100, 1, 1))


def test_a_lot_in_store_for_a_year_is_reviewed():
	assert p.storage_review_on(date(2026, 3, 10)) == date(2027, 3, 10)
	assert p.reminder_due(p.IN_STORE, p.storage_review_on(date(2026, 3, 10)), date(2027, 3, 10))
	assert not p.reminder_due(p.IN_STORE, p.storage_review_on(date(2026, 3, 10)), date(2027, 3, 9))
