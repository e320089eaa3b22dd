"""Sample records for a development site: `bench --site S execute cs_procedures.demo.make`.

Departments with heads, CS users (password `Demo-2026!`), customers with contacts, a sales order under
review and complaints in several states. Run it again and it adds nothing twice (records are found by
their names and subjects)."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime
from frappe.utils.password import update_password

from cs_procedures.testing import (
	as_user,
	company,
	complaint_doc,
	ensure_customer,
	ensure_department,
	ensure_stock_item,
	ensure_user,
	sales_order_doc,
)

PASSWORD = "Demo-2026!"
USERS = {
	"demo.manager@example.com": (["CS Manager", "CS Officer"], None),
	"demo.officer@example.com": (["CS Officer", "Sales User"], None),
	"demo.quality@example.com": (["CS Department Head", "CS Verifier", "CS Reviewer"], "Quality"),
	"demo.dispatch@example.com": (["CS Department Head", "CS Reviewer"], "Dispatch"),
	"demo.vp@example.com": (["CS Vice President"], None),
	"demo.gm@example.com": (["CS General Manager"], None),
	"demo.service@example.com": (["Maintenance User", "Stock User"], None),
}
CUSTOMERS = {
	"Shenzhen Lights Co.": "buyer@shenzhen-lights.example",
	"Ningbo Home Appliances": "qa@ningbo-home.example",
	"Hangzhou Retail Group": "purchasing@hangzhou-retail.example",
}
COMPLAINTS = (
	("Shenzhen Lights Co.", "Quality", "Cracked lamp housings, lot 2611", "Sheet Issued"),
	("Ningbo Home Appliances", "Delivery", "Order arrived three days late", "Received"),
	("Hangzhou Retail Group", "Quantity", "Two cartons short on delivery", "Escalated to VP"),
)


def make() -> dict:
	frappe.only_for("System Manager")
	departments = {name: ensure_department(name) for name in ("Quality", "Dispatch", "Sales")}
	for user, (roles, department) in USERS.items():
		ensure_user(user, roles, departments.get(department))
		update_password(user, PASSWORD)
	for customer, email in CUSTOMERS.items():
		ensure_customer(customer, email)
	settings = frappe.get_single("CS Settings")
	if not settings.complaint_departments:
		settings.set(
			"complaint_departments",
			[
				{"complaint_type": "Quality", "department": departments["Quality"]},
				{"complaint_type": "Quantity", "department": departments["Dispatch"]},
				{"complaint_type": "Delivery", "department": departments["Dispatch"]},
			],
		)
		settings.save()
	made = {
		"complaints": [make_complaint(*row) for row in COMPLAINTS],
		"order": make_order(),
		"after_sales": make_after_sales(),
	}
	frappe.db.commit()
	return made


def make_complaint(customer: str, complaint_type: str, subject: str, state: str) -> str:
	existing = frappe.db.get_value("Customer Complaint", {"subject": subject}, "name")
	if existing:
		return existing
	with as_user("demo.manager@example.com"):
		doc = complaint_doc(
			customer,
			subject,
			f"<p>{frappe.utils.escape_html(subject)}.</p>",
			complaint_type,
			follower="demo.officer@example.com",
			customer_required_by=add_days(now_datetime(), 7),
		).insert()
		if state == "Sheet Issued":
			apply_workflow(doc, "Issue Sheet")
		elif state == "Escalated to VP":
			apply_workflow(doc, "Escalate to VP")
	return doc.name


def make_order() -> str:
	item = ensure_stock_item("Demo LED Lamp Housing")
	po = "DEMO-PO-2611"
	existing = frappe.db.get_value("Sales Order", {"po_no": po}, "name")
	if existing:
		return existing
	order = sales_order_doc("Shenzhen Lights Co.", 2000, 3.2, item_code=item, po_no=po).insert()
	with as_user("demo.officer@example.com"):
		frappe.get_doc(
			{
				"doctype": "Order Review",
				"sales_order": order.name,
				"customer_requirements": "<p>2,000 housings</p>",
			}
		).insert()
	return order.name


def make_after_sales() -> dict:
	"""A delivery with a defect complaint, a return request waiting for the CS manager and a warranty
	claim whose repair cost waits for approval (001 4.12.2-4.12.3)."""
	from cs_procedures.cs_procedures.doctype.return_request.return_request import make_from_complaint
	from cs_procedures.erpnext_doctypes.repairs import make_warranty_claim, request_cost_approval
	from cs_procedures.testing import make_delivery_note

	subject = "Dryers arrived without heating"
	complaint = frappe.db.get_value("Customer Complaint", {"subject": subject}, "name")
	if complaint:
		return {
			"complaint": complaint,
			"return_request": frappe.db.get_value("Return Request", {"customer_complaint": complaint}),
			"warranty_claim": frappe.db.get_value("Warranty Claim", {"cs_customer_complaint": complaint}),
		}
	customer = "Ningbo Home Appliances"
	delivery = make_delivery_note(customer, 20)
	with as_user("demo.manager@example.com"):
		complaint = complaint_doc(
			customer,
			subject,
			"<p>Four of the twenty dryers do not heat.</p>",
			follower="demo.officer@example.com",
			customer_request="Replacement",
			delivery_note=delivery.name,
			item_code=delivery.items[0].item_code,
			qty=20,
			defect_qty=4,
			customer_required_by=add_days(now_datetime(), 7),
		).insert()
	with as_user("demo.officer@example.com"):
		request = make_from_complaint(complaint.name)
		request.reason_details = "Heating element fails at power-on."
		request.insert()
		apply_workflow(request, "Submit for Approval")
		claim = make_warranty_claim(complaint.name)
		claim.update(
			{
				"company": company(),
				"warranty_amc_status": "Under Warranty",
				"cs_fault_category": "Electrical",
				"cs_fault_cause": "Heating element of lot 2611 burns out at power-on",
				"cs_repair_cost": 180,
			}
		)
		claim.insert()
		request_cost_approval(claim.name)
	return {"complaint": complaint.name, "return_request": request.name, "warranty_claim": claim.name}
