from datetime import date, datetime

from cs_procedures.procedures import calls as c


def test_answered_calls():
	assert c.is_answered("Completed") and c.is_answered("In Progress")
	assert not any(c.is_answered(status) for status in (*c.UNANSWERED, None, "Ringing"))


def test_a_call_becomes_one_complaint_of_a_known_customer():
	assert c.complaint_problem("ACME", None) is None
	assert c.complaint_problem("ACME", "CC-2026-00001") == "already_made"
	assert c.complaint_problem(None, "CC-2026-00001") == "already_made"
	assert c.complaint_problem("", None) == "no_customer"


def test_complaint_subject_from_the_summary_or_the_caller():
	assert c.complaint_subject("\n  Dryer broken  \nmore", "123", "Call from {0}") == "Dryer broken"
	assert c.complaint_subject(None, "+86 10 5550", "Call from {0}") == "Call from +86 10 5550"
	assert c.complaint_subject("", None, "Call from {0}") == "Call from ?"
	long = c.complaint_subject("x" * 300, None, "")
	assert len(long) == c.SUBJECT_LENGTH and long.endswith("…")


def test_call_back_only_for_unanswered_incoming_calls_with_agent_and_due():
	due = datetime(2026, 1, 1, 9)
	assert c.call_back_problem("No Answer", "Incoming", "a@x", due) is None
	assert c.call_back_problem("Completed", "Incoming", "a@x", due) == "answered"
	assert c.call_back_problem("No Answer", "Outgoing", "a@x", due) == "answered"
	assert c.call_back_problem("Busy", "Incoming", None, due) == "agent_and_due"
	assert c.call_back_problem("Busy", "Incoming", "a@x", None) == "agent_and_due"


def test_plan_problems():
	start, end = date(2026, 1, 1), date(2026, 1, 31)
	rows = [
		(1, "A", date(2026, 1, 5), c.REACHED, "A"),
		(2, "B", date(2026, 2, 5), None, None),
		(3, "A", None, None, None),
		(4, "C", date(2026, 1, 9), c.REACHED, "D"),
	]
	assert c.plan_problems(start, end, rows) == [
		("outside_period", 2),
		("duplicate", 3),
		("other_customer", 4),
	]
	assert c.plan_problems(end, start, []) == [("period", 0)]


def test_plan_completed_when_every_call_has_a_final_result():
	assert c.plan_status([c.REACHED, c.REFUSED, c.WRONG_NUMBER]) == c.PLAN_COMPLETED
	assert c.plan_status([c.REACHED, c.CALL_BACK]) == c.PLAN_OPEN
	assert c.plan_status([c.REACHED, None]) == c.PLAN_OPEN
	assert c.plan_status([]) == c.PLAN_OPEN


def test_rows_to_add_skips_planned_and_repeated_customers():
	assert c.rows_to_add(["A"], ["A", "B", "B", None, "C"]) == ["B", "C"]


def test_share():
	assert c.share(1, 3) == 33.3
	assert c.share(0, 0) is None
