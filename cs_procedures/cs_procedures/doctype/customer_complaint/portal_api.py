"""What a customer does with their complaints on the portal (www/complaints): file one, add photos,
answer the reply. Each call checks the CSRF token and that the complaint is the user's own."""

import base64
import binascii
import os
import re

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import escape_html, get_datetime, getdate, now_datetime, nowdate

from cs_procedures.cs_procedures.doctype.customer_complaint.customer_answer import (
	apply_customer_answer,
	notify_staff,
)
from cs_procedures.cs_procedures.doctype.customer_complaint.portal_views import (
	COMPLAINT,
	check_own_document,
	check_own_item,
	own_complaint,
)
from cs_procedures.portal import (
	check_csrf_token,
	choice_argument,
	number_argument,
	require_customers,
	text_argument,
)
from cs_procedures.procedures import portal as rules

# photos and documents a customer may attach, and how many and how large
ATTACHMENT_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "heic", "pdf"}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10  # per complaint, by the customer

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
	customer = own_customer(customer)
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


def own_customer(customer: str | None) -> str:
	"""The customer a portal user files for: one of its own, the first when it names none."""
	customers = require_customers()
	if customer not in (None, "") and customer not in customers:
		frappe.throw(
			_("You can only file complaints for your own company."),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	return customer or customers[0]


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
