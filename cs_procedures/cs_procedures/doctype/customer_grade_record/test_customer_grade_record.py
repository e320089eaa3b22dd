"""Customer grades, grade changes, key accounts and the Customer 360 in a real site (issue #10).

The grades are computed from real Sales Invoices of a test year in which the site has no other
sales, with the grading restricted to the test company (CS Settings, put back at the end).
"""

import frappe
from frappe.utils import cint

from cs_procedures import bulk
from cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record import (
	grade_customers,
	guard_customer_grade,
	run_grading,
)
from cs_procedures.cs_procedures.report.key_customer_ranking import key_customer_ranking
from cs_procedures.erpnext_doctypes.customer_360 import customer_360
from cs_procedures.procedures import grading as rules
from cs_procedures.testing import (
	PASSWORD,
	Fixtures,
	SiteTestCase,
	as_user,
	company,
	emails,
	ensure_customer,
	ensure_user,
	quote,
)

test_ignore = ["Item", "Customer", "Contact", "Department", "UOM", "Warehouse", "Company"]

MANAGER, OFFICER, GM, MANAGER_2, SALES = emails("grade", "manager", "officer", "gm", "manager2", "sales")
ITEM = "_CS Test Grading Service"
# sales of the test year: 1,000 in all
LEAD, TWIN1, TWIN2, SMALL, TINY, IDLE = (
	"_CS Grade Lead",
	"_CS Grade Twin 1",
	"_CS Grade Twin 2",
	"_CS Grade Small",
	"_CS Grade Tiny",
	"_CS Grade Idle",
)
GIVE_ADVICE = "cs_procedures.cs_procedures.doctype.key_account_plan.key_account_plan.give_advice"
CUSTOMERS = (LEAD, TWIN1, TWIN2, SMALL, TINY, IDLE)
CONTEXT = {}


def prepare(fixtures):
	if not frappe.db.exists("Item", ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": ITEM,
				"item_group": frappe.get_all("Item Group", filters={"is_group": 0}, pluck="name", limit=1)[0],
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert()
	the_company = company()
	year = test_year(the_company)
	CONTEXT.update(company=the_company, year=year)
	CONTEXT["grades_before"] = {
		row.name: {"cs_grade": row.cs_grade, "cs_grade_year": row.cs_grade_year}
		for row in frappe.get_all("Customer", fields=["name", "cs_grade", "cs_grade_year"])
	}
	CONTEXT["key_before"] = {
		customer: frappe.db.get_value("Customer", customer, "cs_key_customer") for customer in CUSTOMERS
	}
	frappe.db.set_value("Customer", {"name": ("in", CUSTOMERS)}, "cs_key_customer", 0)
	# a grade of a later year (the yearly job on this site) would keep the test year's off the customer
	frappe.db.set_value(
		"Customer", {"name": ("in", CUSTOMERS)}, {"cs_grade": None, "cs_grade_year": 0}, update_modified=False
	)
	fixtures.state.settings(
		grading_company=the_company,
		grading_method=rules.CUMULATIVE,
		grade_bands=[],
		grade_change_approver="CS General Manager",  # test 4; test 4b the seed's default, the CS manager
	)
	invoice(LEAD, 400, year)
	invoice(TWIN1, 200, year)
	invoice(TWIN2, 120, year)
	invoice(TWIN2, 80, year)
	invoice(SMALL, 150, year)
	invoice(TINY, 80, year)
	invoice(TINY, -30, year)  # a return: net 50
	invoice(SMALL, 500, year, submit=False)  # a draft does not count
	invoice(LEAD, 200, year - 1)  # growth: 400 against 200


def clean_up(fixtures):
	"""A draft invoice is deleted here (the tear-down cancels the submitted ones and purges the rest);
	the grade records of the test years go, the customers' grades and key marks are put back."""
	for entry in [entry for entry in fixtures.created if entry[0] == "Sales Invoice"]:
		doc = frappe.get_doc(*entry)
		if doc.docstatus == 0:
			doc.delete()
			fixtures.created.remove(entry)
	year = CONTEXT.get("year")
	if year:
		for name in frappe.get_all(
			"Customer Grade Record", filters={"grading_year": ("in", (year, year - 1))}, pluck="name"
		):
			frappe.db.delete("Version", {"ref_doctype": "Customer Grade Record", "docname": name})
			frappe.db.delete("Customer Grade Record", name)
	if CONTEXT.get("grades_before"):
		bulk.set_values("Customer", CONTEXT["grades_before"])
	for customer, value in CONTEXT.get("key_before", {}).items():
		frappe.db.set_value("Customer", customer, "cs_key_customer", value or 0)
	frappe.db.commit()  # the tear-down rolls back before it removes the recorded records


FIXTURES = Fixtures(
	users={
		MANAGER: ["CS Manager", "CS Officer", "Sales Manager", "Sales User"],
		OFFICER: ["CS Officer"],
		GM: ["CS General Manager"],
	},
	customers=CUSTOMERS,
	settings={"returns_need_approval": 0},  # the year's credit notes are made without a return request
	prepare=prepare,
	clean_up=clean_up,
)
setUpModule, tearDownModule = FIXTURES.hooks()


def test_year(the_company: str) -> int:
	"""A past year, with its previous year, in which the company has no sales and fiscal years exist."""
	for year in range(2024, 2012, -1):
		fiscal = all(
			frappe.db.exists(
				"Fiscal Year",
				{"year_start_date": ("<=", f"{y}-06-30"), "year_end_date": (">=", f"{y}-06-30")},
			)
			for y in (year, year - 1)
		)
		taken = frappe.db.exists(
			"Sales Invoice",
			{
				"company": the_company,
				"docstatus": ("<", 2),
				"posting_date": ("between", (f"{year - 1}-01-01", f"{year}-12-31")),
			},
		)
		graded = frappe.db.exists("Customer Grade Record", {"grading_year": ("in", (year, year - 1))})
		if fiscal and not taken and not graded:
			return year
	raise AssertionError("no free past year with fiscal years in this site")


def invoice(customer: str, amount: float, year: int, submit: bool = True):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": CONTEXT["company"],
			"customer": customer,
			"set_posting_time": 1,
			"posting_date": f"{year}-06-15",
			"due_date": f"{year}-06-30",
			"is_return": 1 if amount < 0 else 0,
			"items": [{"item_code": ITEM, "qty": -1 if amount < 0 else 1, "rate": abs(amount)}],
		}
	)
	doc.insert()
	if submit:
		doc.submit()
	FIXTURES.record(doc)
	return doc


def record(customer: str, year: int | None = None):
	return frappe.db.get_value(
		"Customer Grade Record",
		{"customer": customer, "grading_year": year or CONTEXT["year"]},
		["name", "grade", "computed_grade", "sales", "share", "overridden", "previous_grade"],
		as_dict=True,
	)


class TestCustomerGrades(SiteTestCase):
	def grade(self):
		summary = grade_customers(CONTEXT["year"])
		frappe.db.commit()
		return summary

	def test_1_grades_from_the_sales_invoices_of_the_year(self):
		summary = run_grading(CONTEXT["year"])  # the background job itself (progress, commit)
		year = CONTEXT["year"]
		expected = {
			# customer: (net sales, share, grade)
			LEAD: (400, 100, "A"),
			TWIN1: (200, 60, "D"),  # a tie of two, 400 sold above: exactly 60 % -> D for both
			TWIN2: (200, 60, "D"),
			SMALL: (150, 20, "E"),  # the draft of 500 does not count
			TINY: (50, 5, "E"),  # 80 invoiced, 30 returned
			IDLE: (0, 0, "E"),  # no sales at all
		}
		for customer, (sales, share, grade) in expected.items():
			stored = record(customer)
			self.assertEqual(
				(stored.sales, stored.share, stored.grade, stored.computed_grade),
				(sales, share, grade, grade),
				customer,
			)
			self.assertEqual(
				frappe.db.get_value("Customer", customer, ["cs_grade", "cs_grade_year"]), (grade, year)
			)
		self.assertGreaterEqual(summary["customers"], len(CUSTOMERS))
		# grading again updates the same records (one per customer and year)
		self.grade()
		self.assertEqual(
			frappe.db.count("Customer Grade Record", {"customer": LEAD, "grading_year": year}), 1
		)

	def test_2_method_and_bands_are_settings(self):
		FIXTURES.state.settings(
			grading_method=rules.OF_LARGEST,
			grade_bands=[{"grade": "A", "min_share": 50}, {"grade": "C", "min_share": 0}],
		)
		try:
			self.grade()
			# 200 of the largest 400: exactly 50 % -> A for both twins
			self.assertEqual(record(TWIN1).grade, "A")
			self.assertEqual(record(TWIN2).grade, "A")
			self.assertEqual(record(SMALL).grade, "C")
			with self.assertRaises(frappe.ValidationError):
				FIXTURES.state.settings(
					grade_bands=[{"grade": "A", "min_share": 50}, {"grade": "B", "min_share": 10}]
				)
		finally:
			frappe.db.rollback()
			FIXTURES.state.settings(grading_method=rules.CUMULATIVE, grade_bands=[])
			self.grade()

	def test_3_grades_cannot_be_forged(self):
		self.grade()
		stored = record(SMALL)
		manager = self.as_http(MANAGER)
		customer = frappe.get_doc("Customer", SMALL).as_dict(convert_dates_to_str=True)
		customer.update(cs_grade="A")
		response = manager.put("Customer", SMALL, customer)
		self.assertEqual(response.status_code, 403, response.text[-300:])
		self.assertIn("not by hand", response.text)  # refused by the guard, not for want of a role
		response = manager.put("Customer Grade Record", stored.name, {"grade": "A"})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		response = self.as_http(OFFICER).post(
			"cs_procedures.cs_procedures.doctype.customer_grade_record.customer_grade_record.enqueue_grading",
			{"year": CONTEXT["year"]},
		)
		self.assertEqual(response.status_code, 403, response.text[-300:])
		frappe.db.rollback()
		self.assertEqual(record(SMALL).grade, "E")
		self.assertEqual(frappe.db.get_value("Customer", SMALL, "cs_grade"), "E")
		# the procedure's own flag lets it through; a save without it does not
		doc = frappe.get_doc("Customer", SMALL)
		doc.cs_grade = "B"
		with self.assertRaises(frappe.PermissionError):
			guard_customer_grade(doc)
		# nor is the key-customer mark (it decides who gets the December survey) set by a save
		ensure_user(SALES, ["Sales User"], password=PASSWORD)
		frappe.db.commit()
		response = self.as_http(SALES).put("Customer", SMALL, {"cs_key_customer": 1})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Customer", SMALL, "cs_key_customer"), 0)

	def test_4_grade_change_by_the_cs_manager_approved_by_the_general_manager(self):
		self.grade()
		year = CONTEXT["year"]
		change = {
			"doctype": "Customer Grade Change",
			"customer": SMALL,
			"grading_year": year,
			"new_grade": "B",
			"change_reason": "A new framework contract for next year",
			"strategy": "Monthly visits by the account manager",
		}
		for user in (OFFICER, GM):  # only the CS Manager requests
			response = self.as_http(user).post("frappe.client.insert", {"doc": change})
			self.assertEqual(response.status_code, 403, f"{user}: {response.text[-300:]}")
		forged = {**change, "previous_grade": "A", "requested_by": OFFICER}
		response = self.as_http(MANAGER).post("frappe.client.insert", {"doc": forged})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		response = self.as_http(MANAGER).post("frappe.client.insert", {"doc": change})
		self.assertEqual(response.status_code, 200, response.text[-300:])
		name = response.json["message"]["name"]
		FIXTURES.record("Customer Grade Change", name)
		frappe.db.rollback()
		doc = frappe.get_doc("Customer Grade Change", name)
		self.assertEqual((doc.previous_grade, doc.requested_by, doc.annual_sales), ("E", MANAGER, 150))
		# the CS Manager cannot approve it
		response = self.as_http(MANAGER).post(
			"frappe.client.submit", {"doc": doc.as_dict(convert_dates_to_str=True)}
		)
		self.assertEqual(response.status_code, 403, response.text[-300:])
		frappe.db.rollback()
		self.assertEqual(record(SMALL).grade, "E")
		# the approver neither edits the request nor approves another grade than requested
		response = self.as_http(GM).put(doc.doctype, doc.name, {"new_grade": "A"})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		changed = doc.as_dict(convert_dates_to_str=True)
		changed.update(new_grade="A")
		response = self.as_http(GM).post("frappe.client.submit", {"doc": changed})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, ["docstatus", "new_grade"]), (0, "B"))
		response = self.as_http(GM).post(
			"frappe.client.submit", {"doc": doc.as_dict(convert_dates_to_str=True)}
		)
		self.assertEqual(response.status_code, 200, response.text[-300:])
		frappe.db.rollback()
		doc.reload()
		self.assertEqual((doc.docstatus, doc.approved_by), (1, GM))
		stored = record(SMALL)
		self.assertEqual((stored.grade, stored.computed_grade, stored.overridden), ("B", "E", 1))
		self.assertEqual(frappe.db.get_value("Customer", SMALL, "cs_grade"), "B")
		# grading the year again keeps the approved change
		self.grade()
		self.assertEqual((record(SMALL).grade, record(SMALL).computed_grade), ("B", "E"))
		# an approved change is not cancelled: another change grades the customer again
		response = self.as_http(GM).post("frappe.client.cancel", {"doctype": doc.doctype, "name": doc.name})
		self.assertIn(response.status_code, (403, 417), response.text[-300:])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "docstatus"), 1)

	def test_4b_by_default_another_cs_manager_approves(self):
		"""000 I-2.1 / 002 ch7 §11: the CS manager (业务部) approves, never the one who asked."""
		ensure_user(MANAGER_2, ["CS Manager"], password=PASSWORD)
		FIXTURES.state.settings(grade_change_approver="CS Manager")
		try:
			self.grade()
			frappe.db.commit()
			change = {
				"doctype": "Customer Grade Change",
				"customer": IDLE,
				"grading_year": CONTEXT["year"],
				"new_grade": "C",
				"change_reason": "Sole supplier from next year",
				"strategy": "Quarterly business reviews",
			}
			response = self.as_http(MANAGER).post("frappe.client.insert", {"doc": change})
			self.assertEqual(response.status_code, 200, response.text[-300:])
			name = response.json["message"]["name"]
			FIXTURES.record("Customer Grade Change", name)
			frappe.db.rollback()
			doc = frappe.get_doc("Customer Grade Change", name).as_dict(convert_dates_to_str=True)
			for user in (MANAGER, GM):  # not the requester, and not the general manager any more
				response = self.as_http(user).post("frappe.client.submit", {"doc": doc})
				self.assertEqual(response.status_code, 403, f"{user}: {response.text[-300:]}")
			response = self.as_http(MANAGER_2).post("frappe.client.submit", {"doc": doc})
			self.assertEqual(response.status_code, 200, response.text[-300:])
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value("Customer Grade Change", name, "approved_by"), MANAGER_2)
			self.assertEqual(record(IDLE).grade, "C")
		finally:
			FIXTURES.state.settings(grade_change_approver="CS General Manager")

	def test_5_a_new_customer_is_rated_by_the_manager(self):
		year = CONTEXT["year"]
		new = ensure_customer("_CS Grade Newcomer")
		FIXTURES.record("Customer", new)
		with as_user(MANAGER):
			change = frappe.get_doc(
				{
					"doctype": "Customer Grade Change",
					"customer": new,
					"grading_year": year - 1,
					"new_grade": "C",
					"change_reason": "New customer, rated on its first orders",
					"strategy": "Quarterly visits",
				}
			).insert()
		FIXTURES.record(change)
		with as_user(GM):
			change.submit()
		stored = record(new, year - 1)
		self.assertEqual((stored.grade, stored.overridden, stored.sales), ("C", 1, 0))
		self.assertFalse(stored.computed_grade)  # rated by the manager, not computed
		self.assertEqual(cint(frappe.db.get_value("Customer", new, "cs_grade_year")), year - 1)
		frappe.db.commit()

	def test_6_key_account_plan_marks_the_key_customer(self):
		year = CONTEXT["year"]
		plan = {
			"doctype": "Key Account Plan",
			"customer": TWIN1,
			"plan_year": year + 1,
			"sales_target": 300,
			"reason": "Second largest customer, growing",
			"actions": "Joint forecast every quarter",
			"cs_manager_advice": "Offer a framework contract",
		}
		response = self.as_http(OFFICER).post("frappe.client.insert", {"doc": plan})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		with as_user(MANAGER):
			doc = frappe.get_doc(plan).insert()
			FIXTURES.record(doc)
			self.assertEqual((doc.previous_year_sales, doc.grade), (200, "D"))
			doc.submit()
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Customer", TWIN1, "cs_key_customer"), 1)
		# the general manager's advice: by the general manager only, stamped
		response = self.as_http(MANAGER).post(GIVE_ADVICE, {"plan": doc.name, "advice": "Agreed"})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		response = self.as_http(MANAGER).put(doc.doctype, doc.name, {"gm_advice": "Forged"})
		self.assertEqual(response.status_code, 403, response.text[-300:])
		response = self.as_http(GM).post(
			GIVE_ADVICE, {"plan": doc.name, "advice": "Agreed, visit them twice"}
		)
		self.assertEqual(response.status_code, 200, response.text[-300:])
		frappe.db.rollback()
		doc.reload()
		self.assertEqual((doc.gm_advice, doc.gm_advice_by), ("Agreed, visit them twice", GM))
		# one plan per customer and year
		with as_user(MANAGER), self.assertRaises(frappe.ValidationError):
			frappe.get_doc(plan).insert()
		# the Customer 360 shows it
		values = customer_360(TWIN1)
		self.assertEqual(values["values"]["key_plan"].name, doc.name)
		self.assertIn(f"Yes: plan {doc.name}", values["html"])
		with as_user(MANAGER):
			doc.reload()
			doc.cancel()
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value("Customer", TWIN1, "cs_key_customer"), 0)

	def test_7_key_customer_ranking(self):
		year = CONTEXT["year"]
		columns, data = key_customer_ranking.execute({"year": year, "company": CONTEXT["company"]})
		by_sales = [row.get("sales_customer") for row in data if row.get("sales_customer")]
		self.assertEqual(by_sales, [LEAD, TWIN1, TWIN2, SMALL, TINY])  # the tie ordered by name
		self.assertEqual([row["sales_value"] for row in data[:2]], [400, 200])
		self.assertEqual(data[0]["growth_customer"], LEAD)
		self.assertEqual(data[0]["growth_value"], 100)
		self.assertNotIn(TWIN1, [row.get("growth_customer") for row in data])  # no sales the year before
		margins = {row.get("margin_customer"): row.get("margin_value") for row in data}
		for customer in (LEAD, TWIN1, TWIN2, SMALL, TINY):
			self.assertIn(customer, margins)  # ERPNext's gross profit: a service bought at no cost
		self.assertLessEqual(len(data), 10)
		response = self.as_http(OFFICER).get(
			f"/api/method/frappe.desk.query_report.run?report_name=Key%20Customer%20Ranking&filters=%7B%22year%22%3A{year}%7D"
		)
		self.assertEqual(response.status_code, 403, response.text[-300:])

	def test_8_customer_360_escapes_and_counts(self):
		self.grade()
		result = customer_360(LEAD)
		self.assertEqual(result["values"]["grade"], "A")
		self.assertIn("open_complaints", result["values"])
		html = result["html"]
		self.assertIn(f"A ({CONTEXT['year']})", html)
		self.assertNotIn("<script", html)
		# the desk form receives it in __onload
		response = self.as_http(MANAGER).get(
			f"/api/method/frappe.desk.form.load.getdoc?doctype=Customer&name={quote(LEAD)}"
		)
		self.assertEqual(response.status_code, 200, response.text[-300:])
		onload = response.json["docs"][0]["__onload"]
		self.assertIn("cs_360", onload)

	def test_9_customer_grade_table(self):
		from cs_procedures.cs_procedures.report.customer_grade_table import customer_grade_table

		self.grade()
		columns, rows = customer_grade_table.execute({"year": CONTEXT["year"]})
		ours = [(row.customer, row.grade) for row in rows if row.customer in CUSTOMERS]
		self.assertEqual(ours[0], (LEAD, "A"))
		self.assertEqual([grade for _customer, grade in ours], sorted(grade for _customer, grade in ours))
		self.assertEqual(dict(ours)[TWIN1], "D")
		columns, rows = customer_grade_table.execute({"year": CONTEXT["year"], "grade": "D"})
		self.assertEqual({row.customer for row in rows} & set(CUSTOMERS), {TWIN1, TWIN2})
