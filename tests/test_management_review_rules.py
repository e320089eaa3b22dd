from datetime import date

import pytest

from cs_procedures.procedures import management_review as mr

ON_TIME = "On-time Countermeasure %"
COMPLAINTS = "Complaints Received"


@pytest.mark.parametrize(
	"target, better, expected",
	[
		("≥ 95 %", mr.HIGHER, (">=", 95.0)),
		(">=95", mr.HIGHER, (">=", 95.0)),
		("95", mr.HIGHER, (">=", 95.0)),
		("95", mr.LOWER, ("<=", 95.0)),
		("≤ 3", mr.HIGHER, ("<=", 3.0)),
		("<= 2,5", mr.HIGHER, ("<=", 2.5)),
		(" 90.5% ", mr.HIGHER, (">=", 90.5)),
		("about 95", mr.HIGHER, None),
		("", mr.HIGHER, None),
		(None, mr.LOWER, None),
		("> 95", mr.HIGHER, None),
	],
)
def test_targets_read_as_operator_and_number(target, better, expected):
	assert mr.parse_target(target, better) == expected


def test_target_problems():
	assert mr.target_problem(None, "whatever") is None
	assert mr.target_problem(ON_TIME, "≥ 95 %") is None
	assert mr.target_problem(ON_TIME, "most") == "unreadable_target"
	assert mr.target_problem("Happiness", "95") == "unknown_measure"


def test_judge_by_the_way_the_measure_is_better():
	assert mr.judge(96.0, "≥ 95 %", ON_TIME) == mr.PASSED
	assert mr.judge(95.0, "95", ON_TIME) == mr.PASSED
	assert mr.judge(94.9, "95", ON_TIME) == mr.FAILED
	assert mr.judge(3, "5", COMPLAINTS) == mr.PASSED  # lower is better: 5 at most
	assert mr.judge(6, "5", COMPLAINTS) == mr.FAILED
	assert mr.judge(6, "≥ 5", COMPLAINTS) == mr.PASSED  # the target's own operator wins
	assert mr.judge(None, "95", ON_TIME) == mr.OPEN  # nothing to measure in the period
	assert mr.judge(99, "most", ON_TIME) == mr.OPEN
	assert mr.judge(99, "95", "Happiness") == mr.OPEN


def test_every_measure_has_a_direction_and_unit():
	for measure in mr.MEASURES.values():
		assert measure.better in (mr.HIGHER, mr.LOWER)
		assert measure.unit in ("", "%", "h")
		assert measure.name.endswith("%") == (measure.unit == "%")


def test_review_period_looks_back_by_frequency():
	assert mr.review_period("Daily", date(2026, 3, 1)) == (date(2026, 2, 28), date(2026, 2, 28))
	assert mr.review_period("Weekly", date(2026, 3, 9)) == (date(2026, 3, 2), date(2026, 3, 8))
	# the whole month or quarter before, as a survey campaign's period is found
	assert mr.review_period("Monthly", date(2026, 1, 15)) == (date(2025, 12, 1), date(2025, 12, 31))
	assert mr.review_period(None, date(2026, 5, 20)) == (date(2026, 4, 1), date(2026, 4, 30))
	assert mr.review_period("Quarterly", date(2026, 1, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
	assert mr.review_period("Quarterly", date(2026, 12, 5)) == (date(2026, 7, 1), date(2026, 9, 30))


def test_period_problems():
	today = date(2026, 6, 15)
	assert mr.period_problem(date(2026, 4, 1), date(2026, 6, 30), today) is None
	assert mr.period_problem(date(2026, 5, 1), date(2026, 4, 1), today) == "period_order"
	assert mr.period_problem(date(2026, 7, 1), date(2026, 7, 31), today) == "period_ahead"
	assert mr.period_problem(None, date(2026, 7, 31), today) is None


def test_decisions_need_words_owner_and_due_date():
	approved = date(2026, 6, 15)
	rows = [
		mr.Decision(1, "Train the dispatch staff", "a@x", date(2026, 7, 1)),
		mr.Decision(2, "  ", "a@x", date(2026, 7, 1)),
		mr.Decision(3, "Audit supplier", None, date(2026, 7, 1)),
		mr.Decision(4, "Audit supplier", "a@x", None),
		mr.Decision(5, "Audit supplier", "a@x", date(2026, 6, 14)),
		mr.Decision(6, "Audit supplier", "a@x", approved),
	]
	assert mr.decision_problems(rows, approved) == [
		(2, "no_decision"),
		(3, "no_owner"),
		(4, "no_due_date"),
		(5, "due_in_past"),
	]


def test_all_actions_closed():
	assert not mr.all_actions_closed([])
	assert not mr.all_actions_closed(["Completed", "Open"])
	assert not mr.all_actions_closed(["Completed", None])
	assert mr.all_actions_closed(["Completed", "Completed"])


def test_the_objectives_measure_field_offers_exactly_the_measures():
	"""The custom field on Quality Goal Objective lists the registry's measures, no more, no less."""
	import json
	from pathlib import Path

	fixture = Path(__file__).parent.parent / "cs_procedures/fixtures/custom_field.json"
	(field,) = [
		f for f in json.loads(fixture.read_text()) if f["name"] == "Quality Goal Objective-cs_measure"
	]
	assert [o for o in field["options"].split("\n") if o] == list(mr.MEASURES)


def test_the_figure_sections_are_the_rules_sections():
	import json
	from pathlib import Path

	path = Path(__file__).parent.parent / (
		"cs_procedures/cs_procedures/doctype/cs_management_review_figure/cs_management_review_figure.json"
	)
	(section,) = [f for f in json.loads(path.read_text())["fields"] if f["fieldname"] == "section"]
	assert tuple(section["options"].split("\n")) == mr.SECTIONS
