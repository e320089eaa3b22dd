"""The evidence pack of a period (issue 23): which records an auditor gets for a period, and where
each lands in the pack. Free of Frappe.

The rule, by the day (both days included):
- a Customer Complaint belongs to the period it was received in (`received_on`), whatever its state;
- a Satisfaction Survey Campaign belongs to the period it was sent in (`send_date`), once sent
  (Sending, Sent or Closed; a draft was never sent), with every response of it and their answers;
- a Quality Action belongs with the campaign it was raised for (`cs_survey_campaign`); a complaint's
  actions are its own 5W1H rows and its verification, which travel with the complaint;
- a file belongs with the record it is attached to.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from cs_procedures.procedures import satisfaction

COMPLAINT, CAMPAIGN = "Customer Complaint", "Satisfaction Survey Campaign"
RESPONSE, QUALITY_ACTION = "Satisfaction Survey Response", "Quality Action"
SENT_STATUSES = (satisfaction.SENDING, satisfaction.SENT, satisfaction.CLOSED)
# the link of a Quality Action to its campaign (fixtures/custom_field.json)
ACTION_CAMPAIGN_FIELD = "cs_survey_campaign"

DRAFT, QUEUED, GENERATING, GENERATED, FAILED = "Draft", "Queued", "Generating", "Generated", "Failed"
# a pack is generated from these; while Queued or Generating it is left alone
GENERATABLE = (DRAFT, FAILED)


def check_period(start: date | None, end: date | None, today: date) -> str | None:
	"""A refusal code for a period an evidence pack cannot cover, or None."""
	if not start or not end:
		return "no_period"
	if start > end:
		return "period_reversed"
	if end > today:
		return "period_ahead"
	return None


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
	"""The first and the last second of the period, its days included."""
	return datetime.combine(start, time.min), datetime.combine(end, time(23, 59, 59))


def complaint_filters(start: date, end: date) -> dict:
	return {"received_on": ("between", list(bounds(start, end)))}


def campaign_filters(start: date, end: date) -> dict:
	return {"send_date": ("between", [start, end]), "status": ("in", list(SENT_STATUSES))}


def complaint_belongs(received_on: datetime | None, start: date, end: date) -> bool:
	first, last = bounds(start, end)
	return received_on is not None and first <= received_on <= last


def campaign_belongs(send_date: date | None, status: str | None, start: date, end: date) -> bool:
	return send_date is not None and status in SENT_STATUSES and start <= send_date <= end


UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_name(text: str | None, fallback: str = "file") -> str:
	"""A name that stays one plain path segment inside the zip (no folders, no "..")."""
	name = UNSAFE.sub("_", str(text or "")).strip(" .")
	return name[:120] or fallback


def record_path(doctype: str, name: str) -> str:
	"""Where a record's JSON (the record, its rows and its timeline) lands in the zip."""
	return f"{FOLDERS[doctype]}/{safe_name(name)}.json"


def attachment_path(doctype: str, name: str, file_id: str, file_name: str | None) -> str:
	"""Where a record's attached file lands: beside its record, named by the File and its name."""
	return f"attachments/{FOLDERS[doctype]}/{safe_name(name)}/{safe_name(file_id)}-{safe_name(file_name)}"


FOLDERS = {
	COMPLAINT: "complaints",
	CAMPAIGN: "survey_campaigns",
	RESPONSE: "survey_responses",
	QUALITY_ACTION: "quality_actions",
}
