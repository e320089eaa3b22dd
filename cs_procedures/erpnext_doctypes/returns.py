"""Returns on ERPNext's own documents, held to the CS department's approval (001 4.12.2).

A return Delivery Note or credit note (return Sales Invoice) made against a Return Request carries
only what the request approved, counted against the other returns of the same kind; with "Returns
Need an Approved Request" on (CS Settings) a return of goods without one is refused. The request and
its complaint learn what came back."""

import frappe
from frappe import _
from frappe.utils import flt

from cs_procedures import guards
from cs_procedures.cs_procedures.doctype.cs_settings.cs_settings import get_settings
from cs_procedures.procedures import after_sales as rules

# per doctype: the request row's field that counts what came back on it
DONE_FIELD = {"Delivery Note": "returned_qty", "Sales Invoice": "credited_qty"}

MESSAGES = {
	"not_approved": lambda request, item: _("Return request {0} is not approved.").format(request),
	"other_customer": lambda request, item: _("Return request {0} is another customer's.").format(request),
	"other_document": lambda request, item: _(
		"Return request {0} was approved for another delivery note or invoice."
	).format(request),
	"not_in_request": lambda request, item: _("Item {0} is not approved for return on {1}.").format(
		item, request
	),
	"over_approved": lambda request, item: _(
		"Item {0}: with the returns already made this exceeds the quantity approved on {1}."
	).format(item, request),
	"approval_required": lambda company, item: _(
		"Returns of {0} need a return request approved by the CS department (001 4.12.2): make this return from the approved request. CS Settings lists the companies that follow this procedure."
	).format(company),
}


def _throw(code, request=None, item=None):
	guards.rule_error(MESSAGES, code, request, item, title=_("Return Not Approved"))


def validate_return(doc, method=None):
	"""Delivery Note / Sales Invoice validate: the return stays within its approved request."""
	if not doc.get("is_return"):
		if doc.get("cs_return_request"):
			doc.cs_return_request = None  # only a return can be made against a request
		return
	name = doc.get("cs_return_request")
	if not name:
		# goods come back on return delivery notes and money on credit notes: both need the approval
		if get_settings().gate_applies("returns_need_approval", doc.company):
			_throw("approval_required", doc.company)
		return
	request = frappe.get_doc("Return Request", name)  # stored, whatever the client sent
	code = rules.request_problem(request.workflow_state, request.docstatus, request.customer, doc.customer)
	if code:
		_throw(code, name)
	against = request.delivery_note if doc.doctype == "Delivery Note" else request.sales_invoice
	if doc.return_against != against:
		_throw("other_document", name)
	this = _quantities([(row.item_code, row.qty) for row in doc.items])
	elsewhere = _quantities(_other_returns(doc, name))
	approved = rules.approved_by_item(
		[rules.RequestRow(r.idx, r.item_code, flt(r.qty), 0, flt(r.approved_qty)) for r in request.items]
	)
	for item, code in rules.return_problems(approved, elsewhere, this):
		_throw(code, name, item)


def _quantities(rows) -> dict[str, float]:
	totals: dict[str, float] = {}
	for item_code, qty in rows:
		totals[item_code] = totals.get(item_code, 0.0) + abs(flt(qty))
	return totals


def _other_returns(doc, request: str) -> list[tuple[str, float]]:
	"""The lines of the other returns of the same kind against the request (drafts count: two drafts
	cannot each take the whole approval)."""
	return _return_lines(doc.doctype, request, submitted_only=False, exclude=doc.name)


def _return_lines(doctype: str, request: str, submitted_only: bool, exclude: str | None = None):
	"""(item code, qty) of the returns of `doctype` made against `request`: the submitted ones, or the
	drafts too; without `exclude`."""
	item, parent = frappe.qb.DocType(f"{doctype} Item"), frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(item)
		.join(parent)
		.on(item.parent == parent.name)
		.select(item.item_code, item.qty)
		.where(parent.cs_return_request == request)
		.where(parent.is_return == 1)
		.where(parent.docstatus == 1 if submitted_only else parent.docstatus < 2)
	)
	if exclude:
		query = query.where(parent.name != exclude)
	return query.run()


def update_request(doc, method=None):
	"""Delivery Note / Sales Invoice on_submit and on_cancel: the request's returned (credited)
	quantities and return status, recounted from the submitted returns; the complaint learns of it."""
	name = doc.get("cs_return_request")
	if not (doc.get("is_return") and name):
		return
	sync_request(name)
	complaint = frappe.db.get_value("Return Request", name, "customer_complaint")
	if complaint and doc.doctype == "Delivery Note":
		stored = frappe.get_doc("Customer Complaint", complaint)
		if doc.docstatus == 1 and stored.docstatus == 0 and not stored.return_delivery_note:
			guards.stamp(stored, {"return_delivery_note": doc.name})
		stored.add_comment(
			"Info",
			(
				_("Return delivery note {0} submitted against return request {1}.")
				if doc.docstatus == 1
				else _("Return delivery note {0} against return request {1} was cancelled.")
			).format(doc.name, name),
		)


def sync_request(name: str):
	"""Recount what came back on each row of a request from the submitted returns (idempotent)."""
	request = frappe.get_doc("Return Request", name)
	done = {}
	for doctype, field in DONE_FIELD.items():
		rows = _return_lines(doctype, name, submitted_only=True)
		done[field] = _quantities(rows)
	for field, per_item in done.items():
		for row in request.items:  # an item on several rows fills them in order
			take = min(per_item.get(row.item_code, 0.0), flt(row.approved_qty))
			per_item[row.item_code] = per_item.get(row.item_code, 0.0) - take
			row.db_set(field, take, update_modified=False)
	returned = sum(flt(row.returned_qty) for row in request.items)
	request.db_set(
		{
			"returned_qty": returned,
			"credited_qty": sum(flt(row.credited_qty) for row in request.items),
			"return_status": rules.return_status(sum(flt(r.approved_qty) for r in request.items), returned),
		},
		update_modified=False,
	)
