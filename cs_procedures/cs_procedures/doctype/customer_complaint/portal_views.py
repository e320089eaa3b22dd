"""What the customer's portal shows of their complaints, and the documents they may name in one:
only their own customers' (checked by the callers with `cs_procedures.portal.require_customers`)."""

import html

import frappe
from frappe import _

from cs_procedures.portal import as_datetime, require_customers
from cs_procedures.procedures import after_sales
from cs_procedures.procedures import portal as rules

COMPLAINT = "Customer Complaint"
PICKER_LIMIT = 500

# -- the customer's own documents --------------------------------------------------------------


def own_sales_orders(customers) -> list[dict]:
	return frappe.get_all(
		"Sales Order",
		filters={"customer": ("in", customers), "docstatus": 1},
		fields=["name", "customer", "transaction_date", "po_no"],
		order_by="transaction_date desc, name desc",
		limit=PICKER_LIMIT,
	)


def own_delivery_notes(customers) -> list[dict]:
	return frappe.get_all(
		"Delivery Note",
		filters={"customer": ("in", customers), "docstatus": 1, "is_return": 0},
		fields=["name", "customer", "posting_date", "po_no"],
		order_by="posting_date desc, name desc",
		limit=PICKER_LIMIT,
	)


def own_items(customers) -> list[dict]:
	"""The items the customers ordered or were delivered (submitted documents)."""
	if not customers:
		return []
	return frappe.db.sql(
		"""
		select item_code, max(item_name) as item_name from (
			select i.item_code, i.item_name from `tabSales Order Item` i
			join `tabSales Order` o on o.name = i.parent
			where o.customer in %(customers)s and o.docstatus = 1
			union all
			select i.item_code, i.item_name from `tabDelivery Note Item` i
			join `tabDelivery Note` d on d.name = i.parent
			where d.customer in %(customers)s and d.docstatus = 1
		) bought
		group by item_code
		order by item_code
		limit %(limit)s
		""",
		{"customers": tuple(customers), "limit": PICKER_LIMIT},
		as_dict=True,
	)


def check_own_document(doctype: str, name: str | None, customer: str) -> str | None:
	"""`name` if it is a submitted document of `customer`; refused otherwise (whether it exists
	or belongs to someone else is not told)."""
	if not name:
		return None
	if (
		not isinstance(name, str)
		or frappe.db.get_value(doctype, {"name": name, "docstatus": 1}, "customer") != customer
	):
		frappe.throw(
			_("{0} {1} is not one of your documents.").format(_(doctype), str(name)[:140]),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	return name


def check_own_item(item_code: str | None, customer: str) -> str | None:
	if not item_code:
		return None
	if not isinstance(item_code, str) or item_code not in {row.item_code for row in own_items([customer])}:
		frappe.throw(
			_("Item {0} is not among the items you bought from us.").format(str(item_code)[:140]),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	return item_code


def own_complaint(name) -> str:
	"""The name of a complaint of one of the logged-in user's customers; refused otherwise."""
	customers = require_customers()
	if (
		not name
		or not isinstance(name, str)
		or frappe.db.get_value(COMPLAINT, name, "customer") not in customers
	):
		frappe.throw(
			_("This complaint is not one of yours."), frappe.PermissionError, title=_("Not Permitted")
		)
	return name


# -- what the pages show ----------------------------------------------------------------------

LIST_FIELDS = [
	"name",
	"customer",
	"customer_name",
	"subject",
	"complaint_type",
	"workflow_state",
	"received_on",
	"customer_required_by",
	"countermeasure_due_by",
	"replied_on",
	"closed_on",
]


def complaint_rows(customers) -> list[dict]:
	rows = frappe.get_all(
		COMPLAINT,
		filters={"customer": ("in", customers), "docstatus": ("<", 2)},
		fields=LIST_FIELDS,
		order_by="received_on desc, name desc",
		limit=200,
		ignore_permissions=True,  # the customer's own complaints only (filter above)
	)
	for row in rows:
		row.state_words = rules.customer_state(row.workflow_state)
		row.expected_on = rules.expected_date(
			row.workflow_state,
			as_datetime(row.customer_required_by),
			as_datetime(row.countermeasure_due_by),
		)
	return rows


def complaint_view(name: str) -> frappe._dict:
	"""What the customer sees of their own complaint (checked by the caller)."""
	doc = frappe.get_doc(COMPLAINT, name)
	view = frappe._dict({field: doc.get(field) for field in LIST_FIELDS})
	view.update(
		{
			# the text as the customer wrote it (the page escapes it again)
			"description": html.unescape(frappe.utils.strip_html_tags(doc.description or "")).strip(),
			"item_code": doc.item_code,
			"item_name": doc.item_name,
			"sales_order": doc.sales_order,
			"delivery_note": doc.delivery_note,
			"qty": doc.qty,
			"defect_qty": doc.defect_qty,
			"customer_request": doc.customer_request,
			"state_words": rules.customer_state(doc.workflow_state),
			"expected_on": rules.expected_date(
				doc.workflow_state,
				as_datetime(doc.customer_required_by),
				as_datetime(doc.countermeasure_due_by),
			),
			"reply": doc.reply_summary if rules.reply_visible(doc.workflow_state) else None,
			"may_answer": rules.may_answer(
				doc.workflow_state, as_datetime(doc.replied_on), as_datetime(doc.customer_feedback_on)
			),
			"customer_satisfied": doc.customer_satisfied,
			"customer_feedback": doc.customer_feedback,
			"customer_feedback_on": doc.customer_feedback_on,
			"may_attach": rules.customer_state(doc.workflow_state) != rules.CLOSED,
			**after_sales_view(doc),
			"attachments": frappe.get_all(
				"File",
				filters={
					"attached_to_doctype": COMPLAINT,
					"attached_to_name": name,
					"owner": frappe.session.user,  # the customer's own uploads; staff files stay internal
				},
				fields=["name", "file_name", "file_url", "creation"],
				order_by="creation",
			),
		}
	)
	return view


def after_sales_view(doc) -> dict:
	"""The complaint's return requests and repair, in the customer's words (001 4.12)."""
	returns = []
	for request in frappe.get_all(
		"Return Request",
		filters={"customer_complaint": doc.name, "customer": doc.customer},
		fields=["name", "request_type", "workflow_state", "docstatus", "return_status"],
		order_by="creation",
	):
		words = after_sales.customer_return_state(
			request.workflow_state, request.docstatus, request.return_status
		)
		if words:
			returns.append(
				frappe._dict(name=request.name, request_type=request.request_type, state_words=words)
			)
	repair = None
	if doc.warranty_claim:
		words = after_sales.customer_repair_state(
			frappe.db.get_value("Warranty Claim", doc.warranty_claim, "status")
		)
		if words:
			repair = frappe._dict(state_words=words, repaired_on=doc.repaired_on)
	return {"returns": returns, "repair": repair}
