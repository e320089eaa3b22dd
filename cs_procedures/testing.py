"""Records shared by the site test suites (FrappeTestCase modules beside the doctypes)."""

from contextlib import contextmanager

import frappe


@contextmanager
def as_user(user: str):
	"""Act as `user` inside the block, and as Administrator again after it."""
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user("Administrator")


def company() -> str:
	return frappe.defaults.get_defaults().get("company") or frappe.get_all("Company", pluck="name")[0]


def ensure_department(name: str) -> str:
	existing = frappe.db.get_value("Department", {"department_name": name, "company": company()})
	if existing:
		return existing
	return (
		frappe.get_doc({"doctype": "Department", "department_name": name, "company": company()}).insert().name
	)


def ensure_user(email: str, roles, department: str | None = None, user_type: str = "System User") -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"user_type": user_type,
			}
		)
		user.insert()
	frappe.get_doc("User", email).add_roles(*roles)  # adds only the missing ones
	if department and not frappe.db.exists("Employee", {"user_id": email}):
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": email.split("@")[0],
				"gender": "Male",
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"company": company(),
				"department": department,
				"user_id": email,
				"status": "Active",
			}
		).insert()
	return email


def ensure_customer(name: str, email: str | None = None, user: str | None = None) -> str:
	"""A customer, with a contact (e-mail, portal user) when asked for."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Company"}).insert()
	if user and not frappe.db.exists("Portal User", {"parent": name, "user": user}):
		customer = frappe.get_doc("Customer", name)
		customer.append("portal_users", {"user": user})
		customer.save()
	if email and not frappe.db.exists("Contact Email", {"email_id": email}):
		contact = frappe.get_doc({"doctype": "Contact", "first_name": name})
		contact.add_email(email, is_primary=True)
		contact.append("links", {"link_doctype": "Customer", "link_name": name})
		contact.insert()
	return name


DEMO_ITEM = "_CS Test Dryer"


def make_delivery_note(customer: str, qty: float):
	"""A submitted Delivery Note (negative stock allowed for the test)."""
	frappe.db.set_single_value("Stock Settings", "allow_negative_stock", 1)
	if not frappe.db.exists("Item", DEMO_ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": DEMO_ITEM,
				"item_group": "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 1,
				"valuation_rate": 80,
			}
		).insert()
	warehouse = frappe.db.get_value("Warehouse", {"company": company(), "is_group": 0}, "name")
	return frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"company": company(),
			"customer": customer,
			"items": [{"item_code": DEMO_ITEM, "qty": qty, "rate": 100, "warehouse": warehouse}],
		}
	).submit()


def make_return(delivery_note: str, qty: float):
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	returned = make_sales_return(delivery_note)
	returned.items[0].qty = -qty
	return returned.submit()


def browser_survey() -> dict:
	"""A fresh survey link for the browser test (`bench --site S execute cs_procedures.testing.browser_survey`)."""
	from frappe.utils import add_days, get_datetime, getdate

	from cs_procedures.cs_procedures.doctype.satisfaction_survey_campaign.satisfaction_survey_campaign import (
		new_response,
		survey_link,
	)
	from cs_procedures.install import DEFAULT_SURVEY, create_default_survey_template

	frappe.only_for("System Manager")
	create_default_survey_template()
	customer = ensure_customer("_CS Browser Test Customer")
	campaign = frappe.get_doc(
		{
			"doctype": "Satisfaction Survey Campaign",
			"title": "Browser test",
			"template": DEFAULT_SURVEY["template_name"],
			"period_start": add_days(getdate(), -30),
			"period_end": getdate(),
			"reply_by": add_days(getdate(), 7),
			"audience": "Selected Customers",
			"customers": [{"customer": customer}],
		}
	).insert()
	campaign.db_set({"status": "Sent", "invited_customers": 1})
	template = frappe.get_doc("Satisfaction Survey Template", campaign.template)
	response = new_response(
		campaign, template, customer, None, None, get_datetime(f"{campaign.reply_by} 23:59:59")
	)
	frappe.db.commit()
	return {"response": response.name, "url": survey_link(response)}


def ensure_stock_item(item_code: str, uom: str = "Nos") -> str:
	"""A stock item without ERPNext's test records."""
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_group": "All Item Groups",
				"stock_uom": uom,
				"is_stock_item": 1,
			}
		).insert()
	return item_code


def leaf_warehouse() -> str:
	"""A warehouse (not a group) of the default company."""
	return frappe.db.get_value("Warehouse", {"company": company(), "is_group": 0}, "name")
