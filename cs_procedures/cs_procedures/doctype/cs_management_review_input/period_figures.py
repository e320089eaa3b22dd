"""The figures of a review period as rows of the management review input's snapshot: the CS figures
of `cs_procedures.figures` (the same as the monthly figures, read from the app's reports), over the
review's period. The measured quality goals read their value from the same figures
(`measured_values`)."""

from frappe.utils import flt

from cs_procedures import figures
from cs_procedures.procedures import management_review as rules

# the sections of the CS figures -> the snapshot's sections
SECTIONS = {
	"complaints": rules.COMPLAINTS,
	"satisfaction": rules.SATISFACTION,
	"returns": rules.AFTER_SALES,
	"repairs": rules.AFTER_SALES,
	"visits": rules.VISITS,
	"calls": rules.CALLS,
}
NUMBERS = ("Int", "Float", "Percent", "Currency")


def figure(section: str, name: str, value=None, detail=None, doctype=None, reference=None) -> dict:
	"""One row of the snapshot: a figure's name (stored in English, shown translated), its number or
	its words, and the record it comes from."""
	return {
		"section": section,
		"figure": name,
		"value": None if value is None else flt(value, 2),
		"has_value": int(value is not None),
		"detail": detail,
		"reference_doctype": doctype if reference else None,
		"reference_name": reference,
	}


def snapshot_row(section: str, item: dict) -> dict:
	"""A CS figure as a row: its number, or its words (a campaign, a cause class, "Yes"), and the record
	it is about."""
	number = item["value"] if item["fieldtype"] in NUMBERS else None
	words = item["detail"] or (None if item["value"] is None or number is not None else str(item["value"]))
	return figure(section, item["name"], number, words, *(item["reference"] or (None, None)))


def period_figures(from_date, to_date) -> list[dict]:
	"""Every figure of the period (both days included), section by section."""
	return [
		snapshot_row(SECTIONS[section["key"]], item)
		for section in figures.period_figures(from_date, to_date)["sections"]
		for item in section["figures"]
	]


def measured_values(from_date, to_date) -> dict:
	"""The value of each measure (`rules.MEASURES`) over the period; None where the period has none."""
	values = {
		(section["key"], item["key"]): item["value"]
		for section in figures.period_figures(from_date, to_date)["sections"]
		for item in section["figures"]
	}
	return {name: values.get(measure.figure) for name, measure in rules.MEASURES.items()}
