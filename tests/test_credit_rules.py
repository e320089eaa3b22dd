"""Credit rules (procedures/credit.py): the investigation's weighted score and grade, who reads a file of
each confidentiality level, and what a credit change must change."""

import pytest

from cs_procedures.procedures import credit

BEST = {key: next(iter(levels)) for key, (_weight, levels) in credit.CRITERIA.items()}
WORST = {key: list(levels)[-1] for key, (_weight, levels) in credit.CRITERIA.items()}


def test_the_weights_make_a_hundred():
	assert sum(weight for weight, _levels in credit.CRITERIA.values()) == 100


def test_the_best_and_the_worst_customer():
	assert credit.score(BEST) == (100.0, None)
	# the lowest levels of accounts (30), organisation (50), premises (40) and prospects (20) still count
	assert credit.score(WORST) == (9.5, None)
	assert credit.grade_for_score(100) == "AAA" and credit.grade_for_score(0) == "B"


def test_an_unrated_or_unknown_level_is_refused():
	assert credit.score({**BEST, "bank_credit": None}) == (None, credit.MISSING_CRITERIA)
	assert credit.score({**BEST, "bank_credit": "Excellent"}) == (None, credit.MISSING_CRITERIA)


@pytest.mark.parametrize("value, grade", [(85, "AAA"), (84.9, "AA"), (70, "AA"), (55, "A"), (54.9, "B")])
def test_grade_bands(value, grade):
	assert credit.grade_for_score(value) == grade


def test_payment_attitude_weighs_most():
	late = credit.score({**BEST, "payment_attitude": "Leaves Balances Unpaid"})[0]
	poor_neighbours = credit.score({**BEST, "neighbour_evaluation": "Very Poor"})[0]
	assert late == 70.0 and poor_neighbours == 95.0


@pytest.mark.parametrize(
	"level, roles, reads",
	[
		("Internal", {"CS Officer"}, True),
		("Internal", {"Sales User"}, True),
		("Confidential", {"CS Officer"}, False),
		("Confidential", {"CS Vice President"}, True),
		("Secret", {"CS Vice President"}, False),
		("Secret", {"CS General Manager"}, True),
		("Secret", {"CS Manager"}, True),
		(None, {"CS Officer"}, True),
		("Internal", {"Customer"}, False),
	],
)
def test_who_reads_a_file(level, roles, reads):
	assert credit.may_read_file(level, roles) is reads


def test_readable_levels():
	assert credit.readable_levels({"CS Vice President"}) == ["Internal", "Confidential"]
	assert credit.readable_levels({"Customer"}) == []


@pytest.mark.parametrize(
	"old_grade, new_grade, old_limit, new_limit, problem",
	[
		("A", "A", 1000, None, credit.NOTHING_CHANGES),
		("A", None, 1000, 1000, credit.NOTHING_CHANGES),
		("A", "AA", 1000, None, None),
		("A", None, 1000, 2000, None),
		(None, None, 0, -5, credit.LIMIT_NEGATIVE),
	],
)
def test_a_credit_change_changes_something(old_grade, new_grade, old_limit, new_limit, problem):
	assert credit.change_problem(old_grade, new_grade, old_limit, new_limit) == problem
