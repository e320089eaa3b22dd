"""Which records the evidence pack of a period holds, and where they land (procedures/evidence.py)."""

from datetime import date, datetime

import pytest

from cs_procedures.procedures import evidence as rules

START, END = date(2026, 1, 1), date(2026, 3, 31)


def test_a_period_is_two_days_in_order_not_ahead():
	today = date(2026, 6, 1)
	assert rules.check_period(START, END, today) is None
	assert rules.check_period(END, END, today) is None
	assert rules.check_period(None, END, today) == "no_period"
	assert rules.check_period(END, START, today) == "period_reversed"
	assert rules.check_period(START, date(2026, 6, 2), today) == "period_ahead"


@pytest.mark.parametrize(
	("received_on", "belongs"),
	[
		(datetime(2025, 12, 31, 23, 59, 59), False),  # the last second before
		(datetime(2026, 1, 1, 0, 0, 0), True),
		(datetime(2026, 3, 31, 23, 59, 59), True),  # the last second of the last day
		(datetime(2026, 4, 1, 0, 0, 0), False),
		(None, False),
	],
)
def test_a_complaint_belongs_to_the_days_it_was_received_in(received_on, belongs):
	assert rules.complaint_belongs(received_on, START, END) is belongs


def test_the_complaint_filter_covers_whole_days():
	(_op, (first, last)) = rules.complaint_filters(START, END)["received_on"]
	assert (first, last) == (datetime(2026, 1, 1), datetime(2026, 3, 31, 23, 59, 59))


@pytest.mark.parametrize(
	("send_date", "status", "belongs"),
	[
		(date(2026, 1, 1), "Sent", True),
		(date(2026, 3, 31), "Closed", True),
		(date(2026, 2, 1), "Sending", True),
		(date(2026, 2, 1), "Draft", False),  # never sent
		(date(2025, 12, 31), "Closed", False),
		(date(2026, 4, 1), "Sent", False),
		(None, "Sent", False),
	],
)
def test_a_campaign_belongs_to_the_period_it_was_sent_in(send_date, status, belongs):
	assert rules.campaign_belongs(send_date, status, START, END) is belongs


def test_the_campaign_filter_leaves_drafts_out():
	filters = rules.campaign_filters(START, END)
	assert filters["send_date"] == ("between", [START, END])
	assert "Draft" not in filters["status"][1]


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b\\c", "..", "", "<script>.png"])
def test_a_file_name_stays_one_segment_of_the_zip(name):
	path = rules.attachment_path(rules.COMPLAINT, "CC-2026-00001", "f1", name)
	assert path.startswith("attachments/complaints/CC-2026-00001/f1-")
	segment = path.rsplit("/", 1)[1]
	assert "/" not in segment and "\\" not in segment and "<" not in segment
	assert path.count("/") == 3


def test_each_kind_of_record_has_its_folder():
	assert rules.record_path(rules.RESPONSE, "SSR-2026-00001") == "survey_responses/SSR-2026-00001.json"
	assert {rules.record_path(d, "x").split("/")[0] for d in rules.FOLDERS} == set(rules.FOLDERS.values())
