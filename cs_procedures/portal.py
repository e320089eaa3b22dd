"""The customer's own portal: who the logged-in customer is, and what they may do with their
complaints (file, follow, attach photos, accept or reject the reply).

A portal user is a Website User named in a Customer's Portal Users. They hold no desk permission
on Customer Complaint: they read and act only through these functions and the pages under
`cs_procedures/www`, which check that the complaint belongs to one of their customers and then
act as the procedure (`ignore_permissions`, the portal user named in the record). Whatever else a
client sends (customer, state, channel, dates) is not taken: the server sets them.
"""

import base64
import binascii
import html
import os
import re

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, escape_html, flt, get_datetime, getdate, now_datetime, nowdate

from cs_procedures import people
from cs_procedures.notifications import assign, notify
from cs_procedures.procedures import after_sales
from cs_procedures.procedures import complaint as complaint_rules
from cs_procedures.procedures import portal as rules

COMPLAINT = "Customer Complaint"
CS_MANAGER = people.CS_MANAGER
# photos and documents a customer may attach, and how many and how large
ATTACHMENT_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "heic", "pdf"}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10  # per complaint, by the customer
PICKER_LIMIT = 500


# -- who the customer is ---------------------------------------------------------------------


def portal_customers() -> list[str]:
	"""The customers whose portal user the logged-in user is (never every customer, as ERPNext's
	`get_customers_suppliers` gives staff who may read customers)."""
	user = frappe.session.user
	if user == "Guest" or frappe.get_cached_value("User", user, "user_type") != "Website User":
		return []
	return frappe.get_all(
		"Portal User", filters={"parenttype": "Customer", "user": user}, pluck="parent", distinct=True
	)


def require_customers() -> list[str]:
	customers = portal_customers()
	if not customers:
		frappe.throw(
			_("Only a portal user of one of our customers can use this page."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	return customers


def check_csrf_token() -> None:
	"""A logged-in user's posts (complaints, survey answers) come from the portal pages, which carry
	the session's CSRF token.

	Frappe checks the token only when the session holds one, and a portal user's session holds
	none until a page asks for it: here it is always required."""
	if frappe.session.user == "Guest" or frappe.get_request_header("Authorization"):
		return  # no session cookie to abuse, or an API key instead of a browser session
	expected = frappe.session.data.csrf_token
	if not expected or frappe.get_request_header("X-Frappe-CSRF-Token") != expected:
		frappe.throw(
			_("Open the page again and send it from there."),
			frappe.CSRFTokenError,
			title=_("Invalid Request"),
		)


def text_argument(value, label: str, length: int, required: bool = False) -> str:
	if value is not None and not isinstance(value, str):
		frappe.throw(_("{0} must be text.").format(label), title=_("Invalid Request"))
	value = (value or "").strip()
	if required and not value:
		frappe.throw(_("Please fill in {0}.").format(label), title=_("Missing Information"))
	if len(value) > length:
		frappe.throw(
			_("{0} is too long: at most {1} characters.").format(label, length), title=_("Invalid Request")
		)
	return value


def choice_argument(value, label: str, options) -> str | None:
	if value in (None, ""):
		return None
	if value not in options:
		frappe.throw(_("{0} is not a valid choice for {1}.").format(str(value)[:40], label))
	return value


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
			_as_datetime(row.customer_required_by),
			_as_datetime(row.countermeasure_due_by),
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
				_as_datetime(doc.customer_required_by),
				_as_datetime(doc.countermeasure_due_by),
			),
			"reply": doc.reply_summary if rules.reply_visible(doc.workflow_state) else None,
			"may_answer": rules.may_answer(
				doc.workflow_state, _as_datetime(doc.replied_on), _as_datetime(doc.customer_feedback_on)
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


def _as_datetime(value):
	return get_datetime(value) if value else None


# -- filing a complaint -----------------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=10, seconds=60 * 60)
def file_complaint(
	subject=None,
	description=None,
	complaint_type=None,
	customer_request=None,
	required_by=None,
	sales_order=None,
	delivery_note=None,
	item_code=None,
	qty=None,
	defect_qty=None,
	customer=None,
	attachments=None,
):
	"""A complaint filed by the customer on the portal: channel Portal, received now, customer
	one of the portal user's own; it enters the procedure at Received like any other."""
	check_csrf_token()
	customers = require_customers()
	if customer not in (None, "") and customer not in customers:
		frappe.throw(
			_("You can only file complaints for your own company."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	customer = customer or customers[0]
	subject = text_argument(subject, _("Subject"), rules.SUBJECT_LENGTH, required=True)
	text = text_argument(description, _("Description"), rules.TEXT_LENGTH, required=True)
	complaint_type = choice_argument(complaint_type, _("Complaint Type"), rules.COMPLAINT_TYPES) or "Other"
	customer_request = choice_argument(customer_request, _("What You Ask For"), rules.REQUESTS)
	qty, defect_qty = (
		number_argument(qty, _("Quantity")),
		number_argument(defect_qty, _("Defective Quantity")),
	)
	files = attachments_argument(attachments)
	values = {
		"customer": customer,
		"channel": "Portal",
		"received_on": now_datetime().replace(microsecond=0),
		"received_by": None,  # nobody of the staff has taken it yet: the CS managers are told
		"follower": None,
		"complaint_type": complaint_type,
		"subject": subject,
		"description": "".join(f"<p>{escape_html(line)}</p>" for line in rules.plain_paragraphs(text)),
		"customer_request": customer_request,
		"customer_required_by": required_by_argument(required_by),
		"sales_order": check_own_document("Sales Order", sales_order, customer),
		"delivery_note": check_own_document("Delivery Note", delivery_note, customer),
		"item_code": check_own_item(item_code, customer),
		"qty": qty,
		"defect_qty": defect_qty,
		"contact_email": frappe.session.user,
		"contact_person": frappe.db.get_value("Contact", {"user": frappe.session.user}, "name"),
	}
	doc = frappe.new_doc(COMPLAINT)
	doc.update(values)
	doc.flags.via_portal = True
	# the portal user was checked above and every value is the server's: the procedure records it
	doc.insert(ignore_permissions=True)
	for filename, content in files:
		save_attachment(doc.name, filename, content)
	return {
		"name": doc.name,
		"state": _(rules.customer_state(doc.workflow_state), context="Complaint State for the Customer"),
	}


def number_argument(value, label: str) -> float | None:
	if value in (None, ""):
		return None
	try:
		number = float(value)
	except (TypeError, ValueError):
		number = -1
	if number < 0 or number != number or number > 1e12:
		frappe.throw(_("{0} must be a positive number.").format(label), title=_("Invalid Request"))
	return flt(number)


def required_by_argument(value):
	"""The date the customer asks for an answer by, at the end of the working day."""
	if value in (None, ""):
		return None
	try:
		day = getdate(value) if isinstance(value, str) else None
	except Exception:
		day = None
	if not day:
		frappe.throw(_("The date you ask for an answer by is not a date."), title=_("Invalid Request"))
	if day < getdate(nowdate()):
		frappe.throw(_("The date you ask for an answer by is in the past."), title=_("Invalid Request"))
	end = frappe.db.get_single_value("CS Settings", "work_end_time") or "17:00:00"
	return get_datetime(f"{day} {end}")


# -- attachments ------------------------------------------------------------------------------


def attachments_argument(value) -> list[tuple[str, bytes]]:
	"""Files posted as [{"filename": ..., "data": base64}], checked (type, size, count)."""
	if value in (None, "", "[]"):
		return []
	if isinstance(value, str):
		try:
			value = frappe.parse_json(value)
		except Exception:
			value = None
	if not isinstance(value, list) or len(value) > MAX_ATTACHMENTS:
		frappe.throw(_("Attach at most {0} files.").format(MAX_ATTACHMENTS), title=_("Invalid Request"))
	return [
		attachment_argument(row.get("filename"), row.get("data"))
		if isinstance(row, dict)
		else attachment_argument(None, None)
		for row in value
	]


def attachment_argument(filename, data) -> tuple[str, bytes]:
	if not isinstance(filename, str) or not isinstance(data, str):
		frappe.throw(_("Each attachment needs a file name and its content."), title=_("Invalid Request"))
	name = re.sub(r"[^\w.\- ]+", "_", os.path.basename(filename.replace("\\", "/"))).strip(" .")[:100]
	extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
	if extension not in ATTACHMENT_EXTENSIONS:
		frappe.throw(
			_("Attach photos or PDF files only ({0}).").format(", ".join(sorted(ATTACHMENT_EXTENSIONS))),
			title=_("Invalid Attachment"),
		)
	if "," in data[:100] and data.startswith("data:"):
		data = data.split(",", 1)[1]  # a data URL as the browser reads it
	if len(data) > MAX_ATTACHMENT_BYTES * 4 // 3 + 8:
		frappe.throw(
			_("A file may be at most {0} MB.").format(MAX_ATTACHMENT_BYTES // (1024 * 1024)),
			title=_("Invalid Attachment"),
		)
	try:
		content = base64.b64decode(data, validate=True)
	except (binascii.Error, ValueError):
		frappe.throw(_("The attachment {0} could not be read.").format(name), title=_("Invalid Attachment"))
	if not content or len(content) > MAX_ATTACHMENT_BYTES:
		frappe.throw(
			_("A file may be at most {0} MB.").format(MAX_ATTACHMENT_BYTES // (1024 * 1024)),
			title=_("Invalid Attachment"),
		)
	return name, content


def save_attachment(complaint: str, filename: str, content: bytes):
	"""A private file on the complaint, owned by the portal user (who alone of the customers may
	download it: Frappe lets a file's owner read it, and nobody without access to the complaint)."""
	count = frappe.db.count(
		"File",
		{
			"attached_to_doctype": COMPLAINT,
			"attached_to_name": complaint,
			"owner": ("in", portal_users_of(complaint)),
		},
	)
	if count >= MAX_ATTACHMENTS:
		frappe.throw(
			_("This complaint already has {0} files from you.").format(MAX_ATTACHMENTS),
			title=_("Invalid Attachment"),
		)
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": filename,
			"attached_to_doctype": COMPLAINT,
			"attached_to_name": complaint,
			"is_private": 1,
			"content": content,
		}
	).insert(ignore_permissions=True)  # own_complaint() or file_complaint() checked the complaint


def portal_users_of(complaint: str) -> list[str]:
	customer = frappe.db.get_value(COMPLAINT, complaint, "customer")
	return frappe.get_all(
		"Portal User", filters={"parenttype": "Customer", "parent": customer}, pluck="user"
	) or [""]


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=30, seconds=60 * 60)
def add_attachment(name=None, filename=None, data=None):
	"""A photo or document the customer adds to their own open complaint."""
	check_csrf_token()
	name = own_complaint(name)
	if rules.customer_state(frappe.db.get_value(COMPLAINT, name, "workflow_state")) == rules.CLOSED:
		frappe.throw(_("This complaint is closed."), title=_("Complaint Closed"))
	filename, content = attachment_argument(filename, data)
	file = save_attachment(name, filename, content)
	notify_staff(
		frappe.get_doc(COMPLAINT, name),
		_("The customer added {0} to complaint {1}.").format(file.file_name, name),
	)
	return {"file_name": file.file_name, "file_url": file.file_url}


# -- the customer's answer to the reply (002 ch6 §17) -----------------------------------------


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=20, seconds=60 * 60)
def answer_reply(name=None, satisfied=None, feedback=None):
	"""The customer accepts the reply, or does not and says why: the complaint goes back for
	renegotiation."""
	check_csrf_token()
	name = own_complaint(name)
	feedback = text_argument(feedback, _("Your reason"), rules.FEEDBACK_LENGTH)
	doc = apply_customer_answer(name, satisfied, feedback)
	return {
		"state": _(rules.customer_state(doc.workflow_state), context="Complaint State for the Customer"),
		"satisfied": doc.customer_satisfied,
	}


FEEDBACK_PROBLEMS = {
	"choice": lambda: _("Say whether the reply satisfies you."),
	"reason": lambda: _("Tell us why the reply does not satisfy you."),
	"length": lambda: _("Your reason is too long: at most {0} characters.").format(rules.FEEDBACK_LENGTH),
}


def apply_customer_answer(name: str, satisfied, feedback: str | None, recorded_for: str | None = None):
	"""Record the customer's answer on the stored complaint (locked), only while it stands at
	Replied and once per reply; a "No" reopens it (workflow action Reopen) and is counted.

	`recorded_for` names the customer when CS staff record an answer given by phone; otherwise the
	portal user answers for themselves."""
	doc = frappe.get_doc(COMPLAINT, name, for_update=True)
	if not rules.may_answer(
		doc.workflow_state, _as_datetime(doc.replied_on), _as_datetime(doc.customer_feedback_on)
	):
		frappe.throw(
			_("Complaint {0} is not waiting for the customer's answer to a reply.").format(doc.name),
			title=_("Not Waiting for an Answer"),
		)
	problem = rules.feedback_problem(satisfied, feedback)
	if problem:
		frappe.throw(FEEDBACK_PROBLEMS[problem](), title=_("Missing Information"))
	user = frappe.session.user
	doc.customer_satisfied = satisfied
	doc.customer_feedback = (feedback or "").strip() or None
	doc.customer_feedback_on = now_datetime().replace(microsecond=0)
	doc.customer_feedback_by = user
	reopened = satisfied == rules.NOT_SATISFIED
	if reopened:
		doc.reopen_count = cint(doc.reopen_count) + 1
		doc.workflow_state = rules.reopen_state(doc.responsible_department)
	doc.flags.customer_answer = True  # the controller lets this one move leave Replied (Reopen)
	# the answer fields are the procedure's (permlevel 1) and a portal user has no desk permission:
	# the procedure writes them for the customer, checked above (own complaint, stored state)
	doc.flags.ignore_permissions = True
	doc.save()
	who = recorded_for or user
	if reopened:
		comment = _(
			"{0} does not accept the reply: {1}. The complaint is reopened for renegotiation."
		).format(who, doc.customer_feedback)
	else:
		comment = _("{0} accepts the reply.").format(who) + (
			f" {doc.customer_feedback}" if doc.customer_feedback else ""
		)
	if recorded_for:
		comment += " " + _("(answer recorded by {0})").format(user)
	doc.add_comment("Comment", escape_html(comment))
	notify_staff(doc, comment, reopened=reopened)
	return doc


def notify_staff(doc, message: str, reopened: bool = False) -> None:
	"""The follower and the CS managers hear of the customer's action; a complaint reopened to
	Received goes on the CS managers' to-do lists to be routed again."""
	managers = people.managers()
	if reopened and doc.workflow_state == complaint_rules.RECEIVED:
		assign(doc, managers, message)
		notify({doc.follower} - set(managers), message, doc)
	else:
		notify({doc.follower, *managers}, message, doc)
