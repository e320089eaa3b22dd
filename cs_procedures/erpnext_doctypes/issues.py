"""ERPNext Issues made Customer Complaints (issue 21): a site that logged complaints as Support Issues
brings them into the complaint procedure, with their timeline.

An open Issue becomes a live complaint at Received; a resolved or closed one a closed complaint brought
in as history (`history.enter`), closed when the Issue was resolved. The complaint shows the Issue's
communications (linked, not copied), its comments and its attachments; each links to the other.
The Issue is left as it was, or closed if the user asks. Runs in the background, an Issue at a time.
"""

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, getdate, strip_html

from cs_procedures import history, jobs
from cs_procedures.procedures import complaint as complaint_rules
from cs_procedures.procedures import history as rules

COMPLAINT = "Customer Complaint"
LINK_FIELD = "cs_customer_complaint"  # on Issue (fixtures/custom_field.json)


@frappe.whitelist()
def convert_issues(
	customer: str | None = None,
	issue_type: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	complaint_type: str = "Other",
	close_issues: int = 0,
) -> dict:
	"""Convert the Issues of a customer / type / opening date range not converted yet, in the background.
	Progress comes as Frappe's progress bar; the result as the realtime message `cs_issues_converted`."""
	history.check_importer()
	if complaint_type not in complaint_types():
		frappe.throw(_("{0} is not a complaint type.").format(complaint_type), title=_("Invalid Value"))
	filters = {"customer": ("is", "set"), LINK_FIELD: ("is", "not set")}
	if customer:
		filters["customer"] = customer
	if issue_type:
		filters["issue_type"] = issue_type
	if from_date or to_date:
		filters["opening_date"] = (
			"between",
			[getdate(from_date or "1900-01-01"), getdate(to_date or "2999-12-31")],
		)
	names = frappe.get_list(
		"Issue", filters=filters, pluck="name", order_by="opening_date asc", limit_page_length=0
	)
	if not names:
		frappe.throw(
			_("No Issue with a customer matches, or all are converted already."),
			title=_("Nothing to Convert"),
		)
	frappe.enqueue(
		run_conversion,
		queue="long",
		timeout=6 * 3600,
		names=names,
		complaint_type=complaint_type,
		close_issues=cint(close_issues),
		now=frappe.flags.in_test,
	)
	return {"count": len(names)}


def run_conversion(names: list[str], complaint_type: str, close_issues: int) -> list[str]:
	total, made = len(names), []

	def handle(name):
		made.append(convert(name, complaint_type, close_issues))
		if len(made) % 20 == 0 or len(made) == total:
			frappe.publish_progress(
				len(made) * 100 / total,
				title=_("Converting Issues"),
				description=_("{0} of {1} Issues").format(len(made), total),
			)

	jobs.each(names, handle, doctype="Issue", title=_("Issue not converted to a complaint"))
	frappe.db.commit()
	frappe.publish_realtime(
		"cs_issues_converted", {"converted": len(made), "failed": total - len(made)}, user=frappe.session.user
	)
	return made


def convert(name: str, complaint_type: str, close_issue: int) -> str:
	issue = frappe.get_doc("Issue", name, for_update=True)
	if issue.get(LINK_FIELD):
		return issue.get(LINK_FIELD)
	complaint = frappe.new_doc(COMPLAINT)
	complaint.update(
		{
			"customer": issue.customer,
			"channel": "Portal" if issue.via_customer_portal else "E-mail" if issue.raised_by else "Phone",
			"received_on": received_on(issue),
			"complaint_type": issue.issue_type if issue.issue_type in complaint_types() else complaint_type,
			"subject": issue.subject,
			"description": issue.description or issue.subject,
			"contact_person": issue.contact,
			"contact_email": issue.raised_by,
			"issue": issue.name,
		}
	)
	if issue.status in rules.ISSUE_DONE:
		complaint.update(
			{
				"workflow_state": complaint_rules.CLOSED,
				"closed_on": issue.resolution_date,
				"reply_summary": strip_html(issue.resolution_details or "")[:1000] or None,
			}
		)
		complaint.flags.history_source = _("Issue {0}").format(issue.name)
	complaint.flags.ignore_permissions = True  # the converter's role was judged (`convert_issues`)
	complaint.insert()
	bring_timeline(issue, complaint)
	issue.db_set(LINK_FIELD, complaint.name, update_modified=False)
	if close_issue and issue.status != "Closed":
		issue.reload()
		issue.status = "Closed"
		issue.save(ignore_permissions=True)
	return complaint.name


def received_on(issue):
	if issue.opening_date:
		return get_datetime(f"{issue.opening_date} {issue.opening_time or '00:00:00'}").replace(microsecond=0)
	return get_datetime(issue.creation).replace(microsecond=0)


def bring_timeline(issue, complaint) -> None:
	"""The Issue's e-mails show on the complaint (a timeline link of the same Communication), its
	comments are copied with their authors and times, its attachments attached (privately)."""
	# the link row alone: saving the Communication would run ERPNext's update of its Issue (reopen)
	for name in frappe.get_all(
		"Communication", filters={"reference_doctype": "Issue", "reference_name": issue.name}, pluck="name"
	):
		idx = frappe.db.count("Communication Link", {"parent": name, "parenttype": "Communication"})
		frappe.get_doc(
			{
				"doctype": "Communication Link",
				"parent": name,
				"parenttype": "Communication",
				"parentfield": "timeline_links",
				"idx": idx + 1,
				"link_doctype": COMPLAINT,
				"link_name": complaint.name,
			}
		).db_insert()
	for comment in frappe.get_all(
		"Comment",
		filters={"reference_doctype": "Issue", "reference_name": issue.name, "comment_type": "Comment"},
		fields=["content", "comment_email", "comment_by", "creation", "owner"],
		order_by="creation asc",
	):
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"reference_doctype": COMPLAINT,
				"reference_name": complaint.name,
				**comment,
			}
		).insert(ignore_permissions=True)
	for file in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Issue", "attached_to_name": issue.name, "is_folder": 0},
		fields=["file_url", "file_name"],
	):
		frappe.get_doc(
			{
				"doctype": "File",
				"file_url": file.file_url,
				"file_name": file.file_name,
				"attached_to_doctype": COMPLAINT,
				"attached_to_name": complaint.name,
				"is_private": 1,
			}
		).insert(ignore_permissions=True)


def complaint_types() -> list[str]:
	return (frappe.get_meta(COMPLAINT).get_field("complaint_type").options or "").split("\n")
