"""How a record an import brings enters its procedure (procedures/history.py), and the marks every
procedure with a workflow carries for it."""

import pytest

from cs_procedures import procedures
from cs_procedures.procedures import history
from cs_procedures.procedures.complaint import WORKFLOW as COMPLAINT
from cs_procedures.procedures.order_review import WORKFLOW as REVIEW
from tests.app_strings import APP, load

COMPLAINT_STATES = {
	"Received": 0, "Sheet Issued": 0, "Escalated to VP": 0, "Countermeasure Approved": 0, "Replied": 0,
	"Awaiting Verification": 0, "Verified": 0, "Closed": 1, "Not Accepted": 1,
}  # fmt: skip
REVIEW_STATES = {
	"Draft": 0, "Awaiting Vice President": 0, "Change Rejected": 0, "Under Review": 0,
	"Awaiting General Manager": 0, "Approved": 1, "Approved with Measures": 1, "Order Cancelled": 1,
	"Withdrawn": 2,
}  # fmt: skip


@pytest.mark.parametrize(
	"state, expected",
	[
		(None, (history.LIVE, None)),
		("", (history.LIVE, None)),
		("Received", (history.LIVE, None)),
		("Closed", (history.HISTORY, None)),
		("Not Accepted", (history.HISTORY, None)),
		("Sheet Issued", (None, history.OPEN_STATE)),
		("Replied", (None, history.OPEN_STATE)),
		("Archived", (None, history.UNKNOWN_STATE)),
	],
)
def test_a_complaint_enters_live_at_the_start_or_decided_as_history(state, expected):
	assert history.entry(COMPLAINT, COMPLAINT_STATES, state) == expected


def test_an_order_review_already_decided_is_history_but_not_a_withdrawn_one():
	assert history.history_states(REVIEW, REVIEW_STATES) == [
		"Change Rejected",
		"Approved",
		"Approved with Measures",
		"Order Cancelled",
	]
	assert history.entry(REVIEW, REVIEW_STATES, "Withdrawn") == (None, history.CANCELLED_STATE)
	assert history.entry(REVIEW, REVIEW_STATES, "Under Review") == (None, history.OPEN_STATE)


def history_doctypes() -> list[str]:
	"""The doctypes whose records an import brings in (history.lifecycle_of): those of a procedure's
	workflow, and those whose controller declares the statuses of its history."""
	by_status = [
		path.parent.name
		for path in (APP / "cs_procedures/doctype").glob("*/*.py")
		if path.stem == path.parent.name and "HISTORY_STATUS = " in path.read_text()
	]
	by_workflow = [name.lower().replace(" ", "_") for name in procedures.declared_workflows()]
	return sorted(by_workflow + by_status)


def test_the_surveys_come_in_by_their_status():
	assert {"satisfaction_survey_campaign", "satisfaction_survey_response"} <= set(history_doctypes())


@pytest.mark.parametrize("folder", history_doctypes())
def test_every_procedure_with_a_history_carries_the_import_marks(folder):
	"""A new procedure gets the history import by its workflow (or HISTORY_STATUS); its doctype needs
	the three marks."""
	doctype = load(APP / f"cs_procedures/doctype/{folder}/{folder}.json")
	fields = {f["fieldname"]: f for f in doctype["fields"]}
	for field in ("imported_from", "imported_by", "imported_on"):
		assert fields[field]["read_only"] and fields[field]["no_copy"], field
