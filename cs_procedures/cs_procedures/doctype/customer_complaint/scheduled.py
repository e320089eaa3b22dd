"""The complaint procedure's scheduled job (hooks.py `scheduler_events`): the deadline sweep.
Safe to run any number of times."""

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from cs_procedures import jobs, people
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.notifications import Outbox
from cs_procedures.procedures import complaint as rules

DOCTYPE = "Customer Complaint"
BATCH = 500  # complaints locked and written together
FIELDS = (
	"name", "docstatus", "next_sweep_at", "next_deadline", "breach_level", "deadline_stage", "customer",
	"customer_name", "follower", "escalated_to_vp", "reminders_sent", "responsible_department",
)  # fmt: skip


def sweep_overdue_complaints(now=None) -> int:
	"""Notify, then escalate, complaints whose current deadline has passed.

	Only complaints whose `next_sweep_at` has come are read (an indexed column
	that is empty for closed complaints and for those already escalated), so the
	sweep does not grow with the archive. Returns how many complaints it acted on.

	The complaints go in batches (`_sweep_batch`): each complaint takes its step in a savepoint of
	its own, and the notifications, to-dos, comments and e-mails of the whole batch are written
	after them in a few multi-row statements. A batch whose writing fails is rolled back and done
	again one complaint at a time, so that one bad record neither stops the job nor loses the
	others' work, and nothing is counted as done that was not written.
	"""
	now = now or now_datetime()
	complaint = frappe.qb.DocType(DOCTYPE)
	# the query builder keeps the plain range condition on the index (get_all would wrap it in ifnull)
	due = (
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where((complaint.next_sweep_at <= now) & (complaint.docstatus == 0))
		.orderby(complaint.next_sweep_at)
		.run(as_dict=True)
	)
	if not due:
		return 0
	settings = get_settings()
	calendar = settings.calendar()
	names = [row.name for row in due]
	acted = 0
	for start in range(0, len(names), BATCH):
		batch = names[start : start + BATCH]
		savepoint = f"cs_{frappe.generate_hash(length=12)}"
		frappe.db.savepoint(savepoint)
		try:
			acted += _sweep_batch(batch, now, settings, calendar)
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			acted += sum(
				jobs.each(
					batch,
					lambda name: _sweep_one(name, now, settings, calendar),
					doctype=DOCTYPE,
					title=_("Overdue complaint sweep failed"),
				)
			)
		else:
			frappe.db.release_savepoint(savepoint)
	return acted


def _sweep_one(name: str, now, settings, calendar) -> bool:
	"""One complaint alone, its messages written with it: it raises if any of it fails."""
	return bool(_sweep_batch([name], now, settings, calendar, alone=True))


def _sweep_batch(names: list[str], now, settings, calendar, alone: bool = False) -> int:
	"""The complaints read again under a row lock (an overlapping run finds them handled), each
	stepped in its own savepoint (a failing one is rolled back and logged, unless `alone`: then it
	raises), then the messages of those stepped written together. Returns how many were acted on."""
	complaints = _locked(names, now)
	if not complaints:
		return 0  # deleted or handled since the query
	outbox = Outbox()

	def step(doc) -> bool:
		return _sweep_complaint(doc, now, settings, calendar, outbox)

	if alone:
		acted = [step(doc) for doc in complaints]
	else:
		acted = jobs.each(complaints, step, doctype=DOCTYPE, title=_("Overdue complaint sweep failed"))
	outbox.write()
	_forget_cached(complaints)
	return sum(acted)


def _forget_cached(complaints: list) -> None:
	"""What frappe.db.set_value does after each update, once for the batch: the cached documents go
	(now, and again after the commit or rollback)."""
	keys = [frappe.get_document_cache_key(DOCTYPE, doc.name) for doc in complaints]

	def clear():
		frappe.cache.delete_value(keys)

	clear()
	frappe.db.after_commit.add(clear)
	frappe.db.after_rollback.add(clear)
	frappe.db.value_cache.pop(DOCTYPE, None)


def _locked(names: list[str], now) -> list:
	"""The complaints of `names` still due, locked and read again, with the departments they name."""
	rows = frappe.db.sql(
		f"""select {", ".join(f"`{field}`" for field in FIELDS)} from `tab{DOCTYPE}`
		where name in %(names)s for update""",
		{"names": names},
		as_dict=True,
	)
	stored = {
		row.name: row
		for row in rows
		if row.docstatus == 0 and row.next_sweep_at and get_datetime(row.next_sweep_at) <= now
	}
	if not stored:
		return []
	others = {}
	for parent, department in frappe.db.sql(
		"""select parent, department from `tabComplaint Responsibility`
		where parenttype = %(doctype)s and parentfield = 'responsibilities' and parent in %(names)s
		order by parent, idx""",
		{"doctype": DOCTYPE, "names": list(stored)},
	):
		others.setdefault(parent, []).append(department)
	heads = {}
	complaints = []
	for name in names:
		if name not in stored:
			continue
		doc = stored[name]
		doc.doctype = DOCTYPE
		departments = rules.named_departments(doc.responsible_department, others.get(name, []))
		for department in departments:
			if department not in heads:
				heads[department] = people.department_heads(department)
		doc.heads = [head for department in departments for head in heads[department]]
		complaints.append(doc)
	return complaints


def _sweep_complaint(doc, now, settings, calendar, outbox: Outbox) -> bool:
	"""One complaint's step: its own fields written now, its messages put in `outbox` once that is done."""
	step = rules.sweep_step(
		doc.breach_level, get_datetime(doc.next_deadline), now, settings.escalate_after_hours, calendar
	)
	messages = None
	if step.action == "notify":
		messages = _notify_overdue(doc)
	elif step.action == "escalate":
		messages = _escalate(doc)
	# as frappe.db.set_value(..., update_modified=False) writes it (the document cache is cleared for
	# the whole batch in _sweep_batch), without building the statement anew each time
	frappe.db.sql(
		f"""update `tab{DOCTYPE}` set breach_level = %(level)s, next_sweep_at = %(next)s,
		is_overdue = %(overdue)s, escalated_to_vp = %(escalated)s, reminders_sent = %(reminders)s
		where name = %(name)s""",
		{
			"level": step.level,
			"next": step.next_check,
			"overdue": 1 if step.level else 0,
			"escalated": 1 if step.action == "escalate" else doc.escalated_to_vp,
			# 督促记录 (002 ch6 §12): how often the complaint's late stages were chased
			"reminders": (doc.reminders_sent or 0) + (1 if step.action else 0),
			"name": doc.name,
		},
	)
	if messages:
		outbox.add(messages)
	return bool(step.action)


def _notify_overdue(doc) -> Outbox:
	stage = _(doc.deadline_stage)
	message = _("Complaint {0} ({1}) is overdue: the {2} deadline was {3}.").format(
		doc.name, doc.customer_name or doc.customer, stage, frappe.format(doc.next_deadline, "Datetime")
	)
	users = {doc.follower, *doc.heads} - {None}
	return Outbox().notify(users, message, doc).comment(doc, message)


def _escalate(doc) -> Outbox:
	message = _(
		"Complaint {0} ({1}) is still overdue at the {2} stage and is escalated to the vice president."
	).format(doc.name, doc.customer_name or doc.customer, _(doc.deadline_stage))
	return (
		Outbox()
		.notify({doc.follower}, message, doc)
		.assign(doc, people.vice_presidents(), message)  # the assignment notifies the vice president
		.comment(doc, message)
	)
