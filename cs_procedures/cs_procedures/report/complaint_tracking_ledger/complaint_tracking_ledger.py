"""客户投诉案件追踪表: one line per complaint with its deadlines, timeliness and outcome."""

import frappe
from frappe import _

from cs_procedures.cs_procedures.report.columns import column, escape_values, translate_values
from cs_procedures.cs_procedures.report.complaint_filters import (
	COUNTERMEASURE_COUNTED,
	COUNTERMEASURE_ON_TIME,
	IMPORTED,
	SHEET_COUNTED,
	SHEET_ON_TIME,
	where_clause,
)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	where, values = where_clause(filters)
	if filters.open_only:
		where += " and c.docstatus = 0"
	if filters.overdue_only:
		where += " and c.is_overdue = 1"
	rows = frappe.db.sql(
		f"""
		select c.name, c.received_on, c.customer, c.customer_name, c.complaint_type, c.urgency, c.subject,
			c.delivery_note, c.item_code, c.qty, c.defect_qty, c.defect_rate, c.responsible_department,
			c.workflow_state, c.follower, c.sheet_due_by, c.sheet_issued_on,
			case when {SHEET_COUNTED} then {SHEET_ON_TIME} end as sheet_on_time,
			c.countermeasure_due_by, c.countermeasure_approved_on,
			case when {COUNTERMEASURE_COUNTED} then {COUNTERMEASURE_ON_TIME} end as countermeasure_on_time,
			c.replied_on, c.closed_on, c.is_overdue, c.escalated_to_vp, c.handling_method, c.loss_amount,
			c.shipped_on, c.claimed_qty, c.claimed_amount, c.cause_class, c.stage_at_fault, c.penalty,
			c.reminders_sent, {IMPORTED} as imported,
			(select group_concat(
					concat(d.department, if(ifnull(d.share, 0) > 0, concat(' ', round(d.share, 1), ' %%'), ''),
						': ', if(d.approved_on is null, %(pending)s,
						if(d.approved_on <= c.countermeasure_due_by, %(on_time)s, %(late)s)))
					order by d.idx separator '; ')
				from `tabComplaint Responsibility` d
				where d.parent = c.name and d.parenttype = 'Customer Complaint') as departments
		from `tabCustomer Complaint` c
		where {where}
		order by c.received_on desc
		""",
		{**values, "pending": _("pending"), "on_time": _("approved on time"), "late": _("approved late")},
		as_dict=True,
	)
	yes, no = _("Yes"), _("No")
	for row in rows:
		for field in ("sheet_on_time", "countermeasure_on_time"):
			row[field] = None if row[field] is None else (yes if row[field] else no)
	translate_values(
		rows,
		("workflow_state", "complaint_type", "urgency", "handling_method", "cause_class", "stage_at_fault"),
	)
	escape_values(
		rows, ("customer_name", "subject", "departments", "penalty")
	)  # e-mailed complaints bring the customer's subject
	return columns(), rows


def columns():
	return [
		column("name", _("Complaint"), "Link", "Customer Complaint", 150),
		column("received_on", _("Received On"), "Datetime", width=150),
		column("customer", _("Customer"), "Link", "Customer"),
		column("customer_name", _("Customer Name"), width=160),
		column("complaint_type", _("Complaint Type"), width=100),
		column("urgency", _("Urgency"), width=90),
		column("subject", _("Subject"), width=200),
		column("delivery_note", _("Delivery Note"), "Link", "Delivery Note"),
		column("shipped_on", _("Shipped On"), "Date", width=100),
		column("item_code", _("Item"), "Link", "Item"),
		column("qty", _("Quantity Concerned"), "Float", width=90),
		column("defect_qty", _("Defective Quantity"), "Float", width=90),
		column("defect_rate", _("Defect Rate"), "Percent", width=90),
		column("responsible_department", _("Responsible Department"), "Link", "Department", 160),
		column("departments", _("Departments, Their Shares and Parts"), width=280),
		column("workflow_state", _("Status"), width=150),
		column("follower", _("Follower"), "Link", "User"),
		column("sheet_due_by", _("Sheet Due By"), "Datetime", width=150),
		column("sheet_issued_on", _("Sheet Issued On"), "Datetime", width=150),
		column("sheet_on_time", _("Sheet On Time"), width=90),
		column("countermeasure_due_by", _("Countermeasure Due By"), "Datetime", width=150),
		column("countermeasure_approved_on", _("Countermeasure Approved On"), "Datetime", width=150),
		column("countermeasure_on_time", _("Countermeasure On Time"), width=90),
		column("replied_on", _("Replied On"), "Datetime", width=150),
		column("closed_on", _("Closed On"), "Datetime", width=150),
		column("is_overdue", _("Overdue"), "Check", width=80),
		column("escalated_to_vp", _("Escalated to Vice President"), "Check", width=80),
		column("handling_method", _("Handling Method"), width=100),
		column("loss_amount", _("Loss Amount"), "Currency", width=110),
		column("claimed_qty", _("Claimed Quantity"), "Float", width=100),
		column("claimed_amount", _("Claimed Amount"), "Currency", width=110),
		column("cause_class", _("Cause"), width=110),
		column("stage_at_fault", _("Stage at Fault"), width=110),
		column("penalty", _("Penalty"), width=160),
		column("reminders_sent", _("Reminders Sent"), "Int", width=100),
		column("imported", _("Imported as History"), "Check", width=90),
	]
