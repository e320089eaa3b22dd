"""Bringing a department's history in (客户投诉案件追踪表 and the like, 002 ch6 §12): how a record that an
import brings enters its procedure. Free of Frappe."""

from __future__ import annotations

from collections.abc import Mapping

from cs_procedures.procedures import Workflow

LIVE, HISTORY = "live", "history"
UNKNOWN_STATE, OPEN_STATE, CANCELLED_STATE = "unknown_state", "open_state", "cancelled_state"

# ERPNext Issue statuses whose Issue is done: it becomes a closed complaint, the others live ones
ISSUE_DONE = ("Resolved", "Closed")


def entry(
	workflow: Workflow, doc_status: Mapping[str, int], state: str | None
) -> tuple[str | None, str | None]:
	"""(how the record enters, refusal code). A record without a state or at the workflow's first
	state is a live one: its procedure runs from the start. A record already decided (a state the
	workflow ends in, or one whose record is submitted) enters as history, as it was: nothing of the
	procedure runs again. Any other state is refused: an open case is brought in at the start."""
	if not state or state == workflow.first:
		return LIVE, None
	if state not in doc_status:
		return None, UNKNOWN_STATE
	if doc_status[state] == 2:
		return None, CANCELLED_STATE
	if state in workflow.ends or doc_status[state] == 1:
		return HISTORY, None
	return None, OPEN_STATE


def history_states(workflow: Workflow, doc_status: Mapping[str, int]) -> list[str]:
	"""The states a history record may enter, in the workflow's order."""
	return [state for state in doc_status if entry(workflow, doc_status, state)[0] == HISTORY]
