"""每月客服统计报表 (001 §4.10): the CS figures of one month, a row per figure grouped by section, with
the complaints of the last twelve months as a chart. The figures are `cs_procedures.figures`'."""

import frappe
from frappe import _
from frappe.utils import getdate

from cs_procedures import figures
from cs_procedures.cs_procedures.report.columns import declared, escape_text


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not filters.get("month"):
		frappe.throw(_("Select a month."), title=_("Invalid Filters"))
	month = figures.month_figures(getdate(filters.month))
	rows = [
		{
			"section": escape_text(section["title"]),
			"figure": escape_text(item["label"]),
			"value": escape_text(figures.formatted(item)),
		}
		for section in month["sections"]
		for item in section["figures"]
	]
	return declared(__file__), rows, None, month["chart"]
