"""The hotline on ERPNext's Call Log (issue 23; 002 ch8 §4-7, 000 III-1.1, 001 4.5-4.7).

A call is recorded in Call Log with what the app adds to it (fixtures/custom_field.json): what it was
about, who answered, how long the caller waited (the talking time is ERPNext's Duration), the outcome,
the complaint made from it, and for an incoming call nobody answered, who calls back by when. A
complaining call becomes a Customer Complaint in one click (`make_complaint`), each linked to the
other; a call back is a to-do of the agent (`schedule_call_back`, and hourly `assign_call_backs` for
call backs written by other doors).
"""

import frappe
from frappe import _
from frappe.utils import escape_html, format_datetime, get_datetime, getdate

from cs_procedures import guards, jobs, people
from cs_procedures.notifications import assign
from cs_procedures.procedures import calls as rules

CALL_LOG = "Call Log"
COMPLAINT = "Customer Complaint"
COMPLAINT_FIELD = "cs_customer_complaint"  # on Call Log (fixtures/custom_field.json)
CALL_FIELD = "cs_call_log"  # on Customer Complaint, permlevel 1: written here only
AGENT_ROLES = (people.CS_OFFICER, people.CS_MANAGER)  # the roles that take complaints

MESSAGES = {
	"already_made": lambda call, complaint: _("Call {0} was already made complaint {1}.").format(
		call, complaint
	),
	"no_customer": lambda call, _complaint: _(
		"Call {0} names no customer: set the customer of the call first."
	).format(call),
	"answered": lambda call: _("Call {0} was answered or made by us: there is nobody to call back.").format(
		call
	),
	"agent_and_due": lambda call: _("A call back of call {0} needs an agent and a time.").format(call),
}


def check_agent() -> None:
	"""Only the roles that take complaints act on calls here (and only on calls they may read)."""
	if not guards.has_role(*AGENT_ROLES):
		guards.refuse(_("Only a CS Officer or a CS Manager acts on calls for customer service."))


def locked_call(name: str):
	call = frappe.get_doc(CALL_LOG, name, for_update=True)
	call.check_permission("read")
	return call


@frappe.whitelist(methods=["POST"])
def make_complaint(call_log: str, complaint_type: str = "Other") -> str:
	"""Make a Customer Complaint of the call (by phone, received when the call began, the call's
	customer, subject and description from its summary and outcome), linked both ways. A call makes
	one complaint."""
	check_agent()
	call = locked_call(call_log)
	made = call.get(COMPLAINT_FIELD) or frappe.db.get_value(COMPLAINT, {CALL_FIELD: call.name})
	guards.rule_error(MESSAGES, rules.complaint_problem(call.customer, made), call.name, made)
	types = (frappe.get_meta(COMPLAINT).get_field("complaint_type").options or "").split("\n")
	if complaint_type not in types:
		frappe.throw(_("{0} is not a complaint type.").format(complaint_type), title=_("Invalid Value"))
	received = get_datetime(call.start_time or call.creation).replace(microsecond=0)
	complaint = frappe.new_doc(COMPLAINT)
	complaint.update(
		{
			"customer": call.customer,
			"channel": "Phone",
			"received_on": received,
			"complaint_type": complaint_type,
			"subject": rules.complaint_subject(call.summary, call.get("from"), _("Phone call from {0}")),
			"description": description_of(call, received),
			"contact_person": next(
				(link.link_name for link in call.links if link.link_doctype == "Contact"), None
			),
		}
	)
	complaint.insert()  # as the user: the complaint's own checks and permissions hold
	guards.stamp(complaint, {CALL_FIELD: call.name})
	values = {COMPLAINT_FIELD: complaint.name}
	if not call.get("cs_call_purpose"):
		values["cs_call_purpose"] = rules.COMPLAINT
	guards.stamp(call, values)
	return complaint.name


def description_of(call, received) -> str:
	"""The complaint's description (a Text Editor: the call's text escaped)."""
	lines = [
		_("Phone call {0} from {1}, {2}.").format(
			call.name, call.get("from") or "?", format_datetime(received)
		)
	]
	for label, text in ((_("Summary"), call.summary), (_("Outcome"), call.get("cs_outcome"))):
		if text:
			lines.append(f"{label}: {text}")
	return "".join(f"<p>{escape_html(line)}</p>" for line in lines)


@frappe.whitelist(methods=["POST"])
def schedule_call_back(call_log: str, agent: str, due: str) -> str:
	"""Ask `agent` to call back an incoming call nobody answered by `due`: written on the call, and a
	to-do of the agent dated `due`."""
	check_agent()
	call = locked_call(call_log)
	due = get_datetime(due) if due else None
	guards.rule_error(MESSAGES, rules.call_back_problem(call.status, call.type, agent, due), call.name)
	if not frappe.db.get_value("User", {"name": agent, "enabled": 1, "user_type": "System User"}):
		frappe.throw(_("{0} is not an enabled desk user.").format(agent), title=_("Invalid Value"))
	guards.stamp(call, {"cs_call_back_agent": agent, "cs_call_back_by": due.replace(microsecond=0)})
	assign_call_back(call)
	return agent


def assign_call_back(call) -> list[str]:
	return assign(
		call,
		[call.cs_call_back_agent],
		_("Call back {0} ({1}) by {2}.").format(
			call.get("from") or call.name,
			call.customer or _("unknown customer"),
			format_datetime(call.cs_call_back_by),
		),
		date=getdate(call.cs_call_back_by),
	)


def assign_call_backs() -> None:
	"""Hourly: a call back written on a call without the button (REST, import, telephony) reaches its
	agent's to-do list once (a to-do closed or cancelled is not repeated)."""
	calls = frappe.get_all(
		CALL_LOG,
		filters={
			"type": "Incoming",
			"status": ("in", rules.UNANSWERED),
			"cs_call_back_agent": ("is", "set"),
			"cs_call_back_by": ("is", "set"),
		},
		pluck="name",
	)
	done = set(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": CALL_LOG, "reference_name": ("in", calls or [""])},
			pluck="reference_name",
		)
	)
	jobs.each(
		[name for name in calls if name not in done],
		lambda name: assign_call_back(frappe.get_doc(CALL_LOG, name)),
		doctype=CALL_LOG,
		title=_("Call back not assigned"),
	)
	frappe.db.commit()
