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
