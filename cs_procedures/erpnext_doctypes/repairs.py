"""Repairs on ERPNext's Warranty Claim and Maintenance Visit (001 4.12.3, 002 ch5 §4 产品维修报告单).

A complaint about a product under service becomes a Warranty Claim (fault, first cause, warranty
status, estimated repair cost); the CS manager approves a repair cost before the Maintenance Visit that
does the repair (work done, parts) is submitted; the visit's result goes back to the complaint, and a
repair completed starts the after-sales satisfaction survey (002 ch5 §8-9)."""

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc
from frappe.utils import cstr, flt, get_fullname, now_datetime, strip_html

from cs_procedures import guards, people
from cs_procedures.notifications import assign, close_assignments, notify
from cs_procedures.procedures import after_sales as rules

STAMPS = ("cs_repair_cost_status", "cs_repair_cost_approved_by", "cs_repair_cost_approved_on")

MESSAGES = {
	"cost_not_approved": lambda claim: _(
		"The repair cost of warranty claim {0} is not approved by the CS department yet."
	).format(claim),
	"cost_rejected": lambda claim: _(
		"The CS department rejected the repair cost of warranty claim {0}: change the estimate and ask again."
	).format(claim),
	"not_awaiting": lambda claim: _("No repair cost of warranty claim {0} waits for a decision.").format(
		claim
	),
	"no_cost": lambda claim: _("Enter the estimated repair cost of warranty claim {0} first.").format(claim),
	"reason_required": lambda claim: _("Say why the repair cost is rejected."),
	"already_asked": lambda claim: _(
		"The repair cost of warranty claim {0} is already awaiting approval or approved."
	).format(claim),
	"claim_closed": lambda claim: _("Warranty claim {0} is closed.").format(claim),
}


def _throw(code, claim, exc=frappe.ValidationError):
	guards.rule_error(MESSAGES, code, claim, exc=exc, title=_("Repair Cost"))


@frappe.whitelist()
def make_warranty_claim(source_name: str, target_doc=None):
	"""*Create > Warranty Claim* on a complaint: the customer, item and the complaint's words."""

	def fill(complaint, claim):
		claim.cs_customer_complaint = complaint.name
		claim.complaint_date = frappe.utils.getdate(complaint.received_on)
		claim.complaint = frappe.utils.escape_html(complaint.subject or "") + (
			f"<br>{complaint.description}" if complaint.description else ""
		)
		claim.status = "Open"
		claim.company = claim.company or frappe.defaults.get_user_default("Company")

	return get_mapped_doc(
		"Customer Complaint",
		source_name,
		{
			"Customer Complaint": {
				"doctype": "Warranty Claim",
				"field_map": {"contact_person": "contact_person"},
				"field_no_map": [
					"naming_series",
					"workflow_state",
					"status",
					"description",
					"amended_from",
				],
			}
		},
		target_doc,
		fill,
	)


def validate_claim(doc, method=None):
	"""Warranty Claim validate: the complaint is an open complaint of the customer and stays the
	claim's; a changed cost is asked again, and fixed once a repair visit of the claim is submitted.

	The approval stamps are permlevel 1, which no role may write: Frappe has already put back any value
	a client sent, and only the methods below set them."""
	before = doc.get_doc_before_save()
	complaint, linked = (
		doc.get("cs_customer_complaint"),
		before.get("cs_customer_complaint") if before else None,
	)
	if linked and complaint != linked:
		guards.refuse(
			_("Warranty claim {0} was opened for complaint {1}: the link stays.").format(doc.name, linked),
			title=_("Repair of a Complaint"),
		)
	if complaint and complaint != linked:
		stored = frappe.db.get_value("Customer Complaint", complaint, ["customer", "docstatus"], as_dict=True)
		if not stored or stored.customer != doc.customer:
			frappe.throw(
				_("Complaint {0} is not one of {1}'s.").format(complaint, doc.customer),
				title=_("Other Customer"),
			)
		if stored.docstatus != 0:
			frappe.throw(
				_("Complaint {0} is closed: a repair is opened from an open complaint.").format(complaint),
				title=_("Complaint Closed"),
			)
	old_cost = flt(before.get("cs_repair_cost")) if before else 0.0
	if before is not None and abs(old_cost - flt(doc.get("cs_repair_cost"))) > rules.EPSILON:
		visit = _submitted_visit(doc.name)
		if visit:
			frappe.throw(
				_(
					"The repair of warranty claim {0} is recorded on visit {1}: its cost cannot change any more."
				).format(doc.name, visit),
				title=_("Repair Cost"),
			)
	kept = rules.repair_cost_status(
		old_cost,
		flt(doc.get("cs_repair_cost")),
		before.get("cs_repair_cost_status") if before else None,
		is_new=before is None,
	)
	if before is not None and kept is None and before.get("cs_repair_cost_status"):
		doc.update(dict.fromkeys(STAMPS))
		doc.add_comment("Info", _("The repair cost changed: its approval is asked again."))


def _submitted_visit(claim: str) -> str | None:
	return frappe.db.get_value(
		"Maintenance Visit Purpose",
		{"prevdoc_doctype": "Warranty Claim", "prevdoc_docname": claim, "docstatus": 1},
		"parent",
	)


def _stored_claim(name: str):
	claim = frappe.get_doc("Warranty Claim", name, for_update=True)
	claim.check_permission("write")
	return claim


@frappe.whitelist(methods=["POST"])
def request_cost_approval(claim: str):
	"""Ask the CS department to approve the estimated repair cost (003 4.12.3 审核、报批)."""
	doc = _stored_claim(claim)
	code = rules.cost_request_problem(doc.cs_repair_cost_status, flt(doc.cs_repair_cost), doc.status)
	if code:
		_throw(code, claim)
	guards.stamp(doc, {"cs_repair_cost_status": rules.COST_AWAITING, "cs_repair_cost_approved_by": None})
	doc.add_comment(
		"Info",
		_("Repair cost {0} sent for the CS department's approval.").format(
			frappe.format(doc.cs_repair_cost, {"fieldtype": "Currency"})
		),
	)
	assign(
		doc,
		people.managers(),
		_("Approve the repair cost of warranty claim {0} ({1}).").format(
			doc.name, doc.customer_name or doc.customer
		),
	)
	return doc.cs_repair_cost_status


@frappe.whitelist(methods=["POST"])
def decide_cost(claim: str, approve: int | str, note: str | None = None):
	"""The CS manager approves or rejects the repair cost of the stored claim."""
	if not guards.has_role(people.CS_MANAGER):
		guards.refuse(_("Only a CS manager approves repair costs."), title=_("Repair Cost"))
	doc = frappe.get_doc("Warranty Claim", claim, for_update=True)
	doc.check_permission("read")
	approve = bool(frappe.utils.cint(approve))
	note = cstr(note).strip() if isinstance(note, str) else ""
	code = rules.cost_decision_problem(doc.cs_repair_cost_status, flt(doc.cs_repair_cost), approve, note)
	if code:
		_throw(code, claim)
	status = rules.COST_APPROVED if approve else rules.COST_REJECTED
	guards.stamp(
		doc,
		{
			"cs_repair_cost_status": status,
			"cs_repair_cost_approved_by": frappe.session.user,
			"cs_repair_cost_approved_on": now_datetime().replace(microsecond=0),
		},
	)
	doc.add_comment(
		"Info",
		(_("Repair cost approved by {0}.") if approve else _("Repair cost rejected by {0}.")).format(
			get_fullname(frappe.session.user)
		)
		+ (f" {frappe.utils.escape_html(note)}" if note else ""),
	)
	close_assignments(doc)
	notify(
		{doc.owner, doc.modified_by} - {frappe.session.user},
		(
			_("The repair cost of warranty claim {0} is approved: the repair can go ahead.")
			if approve
			else _("The repair cost of warranty claim {0} was rejected.")
		).format(doc.name),
		doc,
	)
	return status


def _claims(visit) -> list[str]:
	return sorted(
		{
			row.prevdoc_docname
			for row in visit.purposes
			if row.prevdoc_doctype == "Warranty Claim" and row.prevdoc_docname
		}
	)


def check_repair_approved(doc, method=None):
	"""Maintenance Visit before_submit: a repair with a cost is done only once the cost is approved."""
	for claim in _claims(doc):
		cost, status = frappe.db.get_value(
			"Warranty Claim", claim, ["cs_repair_cost", "cs_repair_cost_status"]
		) or (0, None)
		code = rules.repair_problem(flt(cost), status)
		if code:
			_throw(code, claim)


def validate_visit(doc, method=None):
	"""Maintenance Visit validate: the parts' amounts and total."""
	for row in doc.get("cs_repair_parts") or []:
		row.amount = flt(row.qty) * flt(row.rate)
	doc.cs_parts_cost = sum(flt(row.amount) for row in doc.get("cs_repair_parts") or [])


def report_to_complaint(doc, method=None):
	"""Maintenance Visit on_submit / on_cancel: the repair's result goes back to the complaint of each
	warranty claim it served; a repair fully completed starts the after-sales survey."""
	for claim in _claims(doc):
		complaint = frappe.db.get_value("Warranty Claim", claim, "cs_customer_complaint")
		if complaint:
			sync_complaint(complaint)
			comment = (
				_("Repair visit {0} ({1}) for warranty claim {2}: {3}")
				if doc.docstatus == 1
				else _("Repair visit {0} ({1}) for warranty claim {2} was cancelled. {3}")
			).format(doc.name, _(doc.completion_status or ""), claim, _work_done(doc, claim))
			complaint_doc = frappe.get_doc("Customer Complaint", complaint)
			complaint_doc.add_comment("Info", frappe.utils.escape_html(comment))
			notify({complaint_doc.follower} - {None}, comment, complaint_doc, email=False)
		if doc.docstatus == 1 and doc.completion_status == "Fully Completed":
			from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.after_sales import (
				enqueue_after_sales_survey,
			)

			enqueue_after_sales_survey(claim)


def _work_done(visit, claim) -> str:
	return "; ".join(
		strip_html(cstr(row.work_done)).strip()
		for row in visit.purposes
		if row.prevdoc_docname == claim and row.work_done
	)


def sync_complaint(complaint: str):
	"""The complaint's repair fields, recomputed from its warranty claims' latest submitted visits
	(idempotent; written by the procedure only)."""
	claims = frappe.get_all(
		"Warranty Claim",
		filters={"cs_customer_complaint": complaint, "status": ("!=", "Cancelled")},
		pluck="name",
		order_by="creation",
	)
	latest = None
	if claims:
		visit, purpose = (
			frappe.qb.DocType("Maintenance Visit"),
			frappe.qb.DocType("Maintenance Visit Purpose"),
		)
		rows = (
			frappe.qb.from_(visit)
			.join(purpose)
			.on(purpose.parent == visit.name)
			.select(
				visit.name,
				visit.mntc_date,
				visit.completion_status,
				purpose.work_done,
				purpose.prevdoc_docname,
			)
			.where(visit.docstatus == 1)
			.where(purpose.prevdoc_doctype == "Warranty Claim")
			.where(purpose.prevdoc_docname.isin(claims))
			.orderby(visit.mntc_date, order=frappe.qb.desc)
			.orderby(visit.creation, order=frappe.qb.desc)
			.limit(1)
			.run(as_dict=True)
		)
		latest = rows[0] if rows else None
	values = {
		"warranty_claim": (latest.prevdoc_docname if latest else claims[-1]) if claims else None,
		"repair_result": (
			f"{_(latest.completion_status or '')}: {strip_html(cstr(latest.work_done)).strip()}"
			if latest
			else None
		),
		"repaired_on": latest.mntc_date if latest and latest.completion_status == "Fully Completed" else None,
	}
	if latest and latest.completion_status == "Fully Completed":
		values["handling_method"] = (
			frappe.db.get_value("Customer Complaint", complaint, "handling_method") or "Repair"
		)
	stored = frappe.get_doc("Customer Complaint", complaint)
	if stored.docstatus == 0:  # an archived complaint stays as it was closed
		guards.stamp(stored, values)


def claim_created(doc, method=None):
	"""Warranty Claim after_insert: the complaint knows its claim."""
	if doc.get("cs_customer_complaint"):
		sync_complaint(doc.cs_customer_complaint)
		frappe.get_doc("Customer Complaint", doc.cs_customer_complaint).add_comment(
			"Info", _("Warranty claim {0} opened for the repair.").format(doc.name)
		)
