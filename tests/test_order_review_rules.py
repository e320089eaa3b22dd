import pytest

from cs_procedures.procedures import order_review as r

ALL_FEASIBLE = [r.FEASIBLE, r.FEASIBLE, r.CONDITIONAL, r.FEASIBLE]
ONE_OBJECTION = [r.FEASIBLE, r.NOT_FEASIBLE, r.FEASIBLE, r.FEASIBLE]


def test_counts():
	assert r.open_reviews([r.PENDING, "", None, r.FEASIBLE]) == 3
	assert r.objections(ONE_OBJECTION) == 1


@pytest.mark.parametrize(
	"conclusions, decision, remarks, problem",
	[
		([r.PENDING, r.FEASIBLE, r.FEASIBLE, r.FEASIBLE], r.APPROVED, "", "open_reviews"),
		(ALL_FEASIBLE, None, "", "no_decision"),
		(ALL_FEASIBLE, r.APPROVED, "", None),
		(ONE_OBJECTION, r.APPROVED, "", "objection_needs_measures"),
		(ONE_OBJECTION, r.APPROVED_WITH_MEASURES, "  ", "remarks_required"),
		(ONE_OBJECTION, r.APPROVED_WITH_MEASURES, "Second shift in week 12", None),
		(ONE_OBJECTION, r.CANCEL_ORDER, "", "remarks_required"),
		(ONE_OBJECTION, r.CANCEL_ORDER, "Customer will not accept a later date", None),
	],
)
def test_approval_problem(conclusions, decision, remarks, problem):
	assert r.approval_problem(conclusions, decision, remarks) == problem


def test_versions_and_internal_changes():
	assert r.next_version(None) == 2 and r.next_version(3) == 4
	assert r.change_needs_vice_president(r.INTERNAL_CHANGE)
	assert not r.change_needs_vice_president(r.CUSTOMER_CHANGE)


def test_every_reviewing_department_has_an_aspect():
	assert set(r.ASPECTS) == {"Engineering", "Quality", "Materials", "Sales"}


@pytest.mark.parametrize(
	"state, changed, problem",
	[
		(r.DRAFT, {"customer_requirements", "order_type"}, None),
		(r.UNDER_REVIEW, {"customer_requirements"}, "requirements_fixed"),
		(r.DRAFT, {"opinions"}, "not_under_review"),
		(r.UNDER_REVIEW, {"opinions"}, None),
		(r.AWAITING_GM, {"opinions"}, "not_under_review"),
		(r.AWAITING_GM, {"gm_remarks"}, None),
		(r.UNDER_REVIEW, {"gm_remarks"}, "not_deciding"),
		(r.CHANGE_REJECTED, {"gm_remarks"}, "final"),
		(r.CHANGE_REJECTED, set(), None),
	],
)
def test_what_may_change_in_each_state(state, changed, problem):
	assert r.editing_problem(state, changed) == problem


def test_transitions_judged_by_the_procedure():
	assert r.transition_problem(r.DRAFT, r.UNDER_REVIEW, r.INTERNAL_CHANGE, False, None) == "vp_first"
	assert r.transition_problem(r.DRAFT, r.UNDER_REVIEW, r.INTERNAL_CHANGE, True, None) is None
	assert r.transition_problem(r.DRAFT, r.UNDER_REVIEW, r.CUSTOMER_CHANGE, False, None) is None
	assert r.transition_problem(r.UNDER_REVIEW, r.AWAITING_GM, None, False, "open_reviews") == "open_reviews"
	assert r.transition_problem(r.UNDER_REVIEW, r.AWAITING_GM, None, False, None) is None
	assert [r.decision_for(s) for s in (r.APPROVED_STATE, r.MEASURES_STATE, r.CANCELLED_STATE, r.DRAFT)] == [
		r.APPROVED,
		r.APPROVED_WITH_MEASURES,
		r.CANCEL_ORDER,
		None,
	]


def test_version_names_follow_frappe_and_skip_a_rejected_change():
	taken = {"OR-2026-00005-1"}.__contains__
	assert r.next_version_name("OR-2026-00005", None, lambda name: False) == "OR-2026-00005-1"
	assert r.next_version_name("OR-2026-00005", None, taken) == "OR-2026-00005-2"
	assert r.next_version_name("OR-2026-00005-1", "OR-2026-00005", lambda name: False) == "OR-2026-00005-2"
