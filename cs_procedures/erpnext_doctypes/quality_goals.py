"""Quality goals measured from the procedures' own figures (ISO 9001 6.2, 9.1.3, 9.3.2 c).

An objective of an ERPNext Quality Goal may name a measure (`cs_measure`, one of
`procedures.management_review.MEASURES`) and a target it can read ("≥ 95 %", "≤ 3"). Whenever a
Quality Review of the goal is made, by ERPNext's daily scheduler (`quality_review.review`) or by hand,
its period is set (`cs_period_from` / `cs_period_to`: the one a user gave, or the one before the
review's date by the goal's frequency) and each measured objective's row gets the value the app's
reports give for that period and Passed or Failed against the goal's own target. The measurement
is the server's: what a client sends for it is replaced on creation, and refused afterwards.
"""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.cs_management_review_input.period_figures import measured_values
from cs_procedures.procedures import management_review as rules

# what the server writes on a review and its measured rows: fixed once the review is stored
PERIOD_FIELDS = ("goal", "cs_period_from", "cs_period_to")
MEASURED_FIELDS = ("objective", "target", "uom", "cs_measure", "cs_measured_value", "status")
# a review period runs forward and has begun (the management review input's too)
PERIOD_MESSAGES = {
	"period_order": lambda *a: _("The review period must start before it ends."),
	"period_ahead": lambda *a: _("The review period has not begun yet."),
}
MESSAGES = {
	**PERIOD_MESSAGES,
	"unknown_measure": lambda row: _("Objective {0}: {1} is not a measure of the app.").format(
		row.idx, row.cs_measure
	),
	"unreadable_target": lambda row: _(
		'Objective {0} is measured by {1}: its target must be a number, with "≥" or "≤" before it if it is not the usual way ({2}).'
	).format(row.idx, _(row.cs_measure), row.target or ""),
}


def validate_goal(goal, method=None):
	"""`validate` of Quality Goal: a measured objective has a target the comparison can read."""
	for row in goal.objectives:
		guards.rule_error(
			MESSAGES, rules.target_problem(row.get("cs_measure"), row.target), row, title=_("Target")
		)


def measure_review(review, method=None):
	"""`validate` of Quality Review, after ERPNext's own (which copies the goal's objectives into an
	empty review): a new review is measured; a stored one keeps its period and measurements."""
	before = review.get_doc_before_save()
	if before is None:
		set_period(review)
		measure(review)
	else:
		keep_measurements(review, before)
	review.set_status()


def set_period(review) -> None:
	goal = frappe.get_cached_doc("Quality Goal", review.goal)
	if not (review.get("cs_period_from") and review.get("cs_period_to")):
		start, end = rules.review_period(goal.frequency, getdate(review.date or getdate()))
		review.cs_period_from, review.cs_period_to = start, end
	problem = rules.period_problem(getdate(review.cs_period_from), getdate(review.cs_period_to), getdate())
	guards.rule_error(MESSAGES, problem, title=_("Review Period"))


def measure(review) -> None:
	"""Each objective of the goal that names a measure gets its row measured over the period (a row
	added where the review lacks one); no other row claims a measurement."""
	goal = frappe.get_cached_doc("Quality Goal", review.goal)
	measured = [row for row in goal.objectives if row.get("cs_measure")]
	rows = list(review.reviews)
	for row in rows:
		row.cs_measure, row.cs_measured_value = None, None
	if not measured:
		return
	values = measured_values(review.cs_period_from, review.cs_period_to)
	for objective in measured:
		row = next((r for r in rows if r.objective == objective.objective and not r.cs_measure), None)
		if row is None:
			row = review.append("reviews", {"objective": objective.objective})
		value = values.get(objective.cs_measure)
		row.update(
			{
				"target": objective.target,
				"uom": objective.uom,
				"cs_measure": objective.cs_measure,
				"cs_measured_value": value,
				"status": rules.judge(value, objective.target, objective.cs_measure),
			}
		)
		if value is None and not row.review:
			row.review = _("Nothing to measure in the period.")
	texts = {objective.objective for objective in measured}
	for row in rows:  # a second row of a measured objective would claim a result of its own
		if row.objective in texts and not row.cs_measure:
			review.remove(row)


def keep_measurements(review, before) -> None:
	"""A stored review keeps its goal, period and measured rows as the server wrote them; a review
	made before the app measured anything may change its goal, but gains no period or measurement."""
	fixed = PERIOD_FIELDS if before.get("cs_period_from") else PERIOD_FIELDS[1:]
	changed = [review.meta.get_label(f) for f in fixed if guards.changed_value(review, before, f)]
	stored = {row.name: row for row in before.reviews if row.get("cs_measure")}
	rows = {row.name: row for row in review.reviews}
	row_meta = frappe.get_meta("Quality Review Objective")
	fields = [row_meta.get_field(f) for f in MEASURED_FIELDS]
	for name, old in stored.items():
		row = rows.get(name)
		if row is None or guards.forged_fields(row, old, fields):
			changed.append(_("Objective {0}").format(old.idx))
	texts = {row.objective for row in stored.values()}
	planted = [
		row
		for row in review.reviews
		if row.name not in stored
		and (row.get("cs_measure") or flt(row.get("cs_measured_value")) or row.objective in texts)
	]
	changed += [_("Objective {0}").format(row.idx) for row in planted]
	if changed:
		guards.refuse(
			_("{0} of Quality Review {1} were measured by the app and cannot be changed: {2}.").format(
				_("The period and the measured objectives"), review.name, ", ".join(changed)
			),
			title=_("Measured by the App"),
		)
