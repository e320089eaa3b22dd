"""A customer visiting the factory: the liaison note each department head acknowledges for their own
department, and the meeting memo whose decisions the CS manager closes."""

import frappe
from frappe.utils import add_days, now_datetime, today

from cs_procedures.testing import Fixtures, SiteTestCase, as_user, emails, ensure_customer

test_ignore = ["Customer", "Contact", "Department"]

MANAGER, OFFICER = emails("liaison", "manager", "officer")
QA_HEAD, PRODUCTION_HEAD = emails("liaison", "qa.head", "production.head")
CUSTOMER = "_CS Liaison Customer"
ACKNOWLEDGE = "cs_procedures.cs_procedures.doctype.customer_visit_liaison.customer_visit_liaison.acknowledge"
DEPARTMENT_NAMES = {"quality": "CS Liaison Quality", "production": "CS Liaison Production"}
FIXTURES = Fixtures(
	users={
		MANAGER: ["CS Manager", "CS Officer"],
		OFFICER: ["CS Officer"],
		QA_HEAD: (["CS Department Head"], DEPARTMENT_NAMES["quality"]),
		PRODUCTION_HEAD: (["CS Department Head"], DEPARTMENT_NAMES["production"]),
	},
	customers=[CUSTOMER],
	departments=list(DEPARTMENT_NAMES.values()),
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def department(key: str) -> str:
	"""The Department record of the module's "quality" or "production" department."""
	return FIXTURES.departments[DEPARTMENT_NAMES[key]]


def ok(response):
	assert response.status_code == 200, f"{response.status_code}: {response.text[-500:]}"
	return response.json.get("message")


def liaison_doc(**values):
	arrival = now_datetime().replace(microsecond=0)
	return {
		"doctype": "Customer Visit Liaison",
		"customer": CUSTOMER,
		"purpose": "Supplier Audit",
		"arrival": str(frappe.utils.add_to_date(arrival, days=3)),
		"organiser": OFFICER,
		"departments": [
			{"department": department("quality"), "preparation": "Inspection records <b>2026</b>"},
			{"department": department("production"), "preparation": "Line tour"},
		],
		**values,
	}


class LiaisonCase(SiteTestCase):
	refused_rolls_back = True

	def fresh(self, doctype, name):
		frappe.db.rollback()
		return frappe.get_doc(doctype, name)

	def issued_liaison(self):
		with as_user(OFFICER):
			doc = frappe.get_doc(liaison_doc()).insert()
			record(doc)
			doc.submit()
		frappe.db.commit()
		return doc

	def row_of(self, doc, key):
		return next(row for row in doc.departments if row.department == department(key))


class TestLiaison(LiaisonCase):
	def test_each_head_acknowledges_only_their_own_row(self):
		officer, qa, production = self.as_http(OFFICER), self.as_http(QA_HEAD), self.as_http(PRODUCTION_HEAD)
		# a note cannot be created with an acknowledgement already on it
		forged = liaison_doc()
		forged["departments"][1]["acknowledged_by"] = PRODUCTION_HEAD
		self.assertRefused(officer.post("frappe.client.insert", {"doc": forged}))

		doc = self.issued_liaison()
		self.assertEqual(doc.status, "Issued")
		todos = frappe.get_all("ToDo", {"reference_name": doc.name, "status": "Open"}, pluck="allocated_to")
		self.assertEqual(sorted(todos), sorted([QA_HEAD, PRODUCTION_HEAD]))

		production_row = self.row_of(doc, "production")
		self.assertRefused(qa.post(ACKNOWLEDGE, {"liaison": doc.name, "row": production_row.name}))
		self.assertRefused(officer.post(ACKNOWLEDGE, {"liaison": doc.name, "row": production_row.name}))
		rows = [row.as_dict(convert_dates_to_str=True) for row in doc.departments]
		rows[1].update({"acknowledged_by": PRODUCTION_HEAD, "acknowledged_on": str(now_datetime())})
		self.assertRefused(officer.put(doc.doctype, doc.name, {"departments": rows}))
		self.assertRefused(qa.put(doc.doctype, doc.name, {"departments": rows}))
		self.assertFalse(self.row_of(self.fresh(doc.doctype, doc.name), "production").acknowledged_by)

		ok(qa.post(ACKNOWLEDGE, {"liaison": doc.name}))
		doc = self.fresh(doc.doctype, doc.name)
		self.assertEqual(self.row_of(doc, "quality").acknowledged_by, QA_HEAD)
		self.assertFalse(self.row_of(doc, "production").acknowledged_by)
		self.assertEqual(doc.status, "Issued")
		self.assertRefused(qa.post(ACKNOWLEDGE, {"liaison": doc.name}))  # once

		ok(production.post(ACKNOWLEDGE, {"liaison": doc.name, "row": production_row.name}))
		doc = self.fresh(doc.doctype, doc.name)
		self.assertEqual(self.row_of(doc, "production").acknowledged_by, PRODUCTION_HEAD)
		self.assertEqual(doc.status, "Acknowledged")
		self.assertFalse(frappe.get_all("ToDo", {"reference_name": doc.name, "status": "Open"}))

	def test_the_memo_needs_the_signed_copy_and_the_manager_closes_its_decisions(self):
		officer, manager = self.as_http(OFFICER), self.as_http(MANAGER)
		liaison = self.issued_liaison()
		with as_user(OFFICER):
			memo = frappe.get_doc(
				{
					"doctype": "Customer Meeting Memo",
					"customer": CUSTOMER,
					"liaison": liaison.name,
					"meeting_date": today(),
					"memo": "<p>Agreed on the new packaging.</p>",
					"decisions": [
						{
							"decision": "New carton samples",
							"assigned_to": OFFICER,
							"due_date": add_days(today(), 7),
						},
						{
							"decision": "Audit report",
							"assigned_to": MANAGER,
							"department": department("quality"),
						},
					],
				}
			).insert()
			record(memo)
		frappe.db.commit()
		self.assertRefused(
			officer.post("frappe.client.submit", {"doc": memo.as_dict(convert_dates_to_str=True)})
		)
		memo = self.fresh(memo.doctype, memo.name)
		memo.signed_copy = "/private/files/signed-memo.pdf"
		ok(officer.post("frappe.client.submit", {"doc": memo.as_dict(convert_dates_to_str=True)}))
		memo = self.fresh(memo.doctype, memo.name)
		self.assertEqual(memo.status, "Open")
		self.assertEqual(
			sorted(
				frappe.get_all("ToDo", {"reference_name": memo.name, "status": "Open"}, pluck="allocated_to")
			),
			sorted([OFFICER, MANAGER]),
		)
		first, second = memo.decisions
		self.assertRefused(officer.run_doc_method(memo, "close_decision", {"row": first.name}))
		rows = [row.as_dict(convert_dates_to_str=True) for row in memo.decisions]
		rows[0]["closed_by"] = MANAGER
		self.assertRefused(officer.put(memo.doctype, memo.name, {"decisions": rows}))
		self.assertFalse(self.fresh(memo.doctype, memo.name).decisions[0].closed_by)

		ok(manager.run_doc_method(memo, "close_decision", {"row": first.name}))
		memo = self.fresh(memo.doctype, memo.name)
		self.assertEqual((memo.decisions[0].closed_by, memo.status), (MANAGER, "Open"))
		self.assertEqual(
			frappe.get_all("ToDo", {"reference_name": memo.name, "status": "Open"}, pluck="allocated_to"),
			[MANAGER],
		)
		self.assertRefused(manager.run_doc_method(memo, "close_decision", {"row": first.name}))
		ok(manager.run_doc_method(memo, "close_decision", {"row": second.name}))
		memo = self.fresh(memo.doctype, memo.name)
		self.assertEqual(memo.status, "Closed")
		self.assertFalse(frappe.get_all("ToDo", {"reference_name": memo.name, "status": "Open"}))

	def test_a_memo_belongs_to_the_liaison_of_its_customer(self):
		liaison = self.issued_liaison()
		other = ensure_customer("_CS Liaison Other Customer")
		with as_user(OFFICER), self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Customer Meeting Memo",
					"customer": other,
					"liaison": liaison.name,
					"meeting_date": today(),
					"decisions": [{"decision": "x", "assigned_to": OFFICER}],
				}
			).insert()
		frappe.db.rollback()


class TestVisitorSurvey(LiaisonCase):
	"""000 II-3: the visitor answers the satisfaction survey on leaving, made from the note in one click."""

	def test_one_click_on_the_issued_note(self):
		from cs_procedures.install import VISITOR_SURVEY, create_visitor_survey_template

		create_visitor_survey_template()
		frappe.db.set_single_value("CS Settings", "visitor_survey_template", VISITOR_SURVEY["template_name"])
		frappe.clear_document_cache("CS Settings", "CS Settings")
		frappe.db.commit()
		make = "cs_procedures.cs_procedures.doctype.customer_visit_liaison.customer_visit_liaison.make_visitor_survey"
		with as_user(OFFICER):
			draft = frappe.get_doc(liaison_doc()).insert()
		record(draft)
		frappe.db.commit()
		self.assertRefused(self.as_http(OFFICER).post(make, {"liaison": draft.name}))  # not issued yet
		liaison = self.issued_liaison()
		self.assertRefused(self.as_http(QA_HEAD).post(make, {"liaison": liaison.name}))  # CS staff only
		campaign = ok(self.as_http(OFFICER).post(make, {"liaison": liaison.name}))
		self.assertEqual(ok(self.as_http(MANAGER).post(make, {"liaison": liaison.name})), campaign)  # once
		frappe.db.rollback()
		doc = frappe.get_doc("Satisfaction Survey Campaign", campaign)
		record(doc)
		for response in frappe.get_all("Satisfaction Survey Response", {"campaign": campaign}, pluck="name"):
			record("Satisfaction Survey Response", response)
		self.assertEqual(doc.template, VISITOR_SURVEY["template_name"])
		self.assertEqual([row.customer for row in doc.customers], [CUSTOMER])
		self.assertEqual((doc.status, doc.survey_method, doc.follower), ("Sent", "Visit", OFFICER))
		self.assertTrue(
			frappe.db.exists("Satisfaction Survey Response", {"campaign": campaign, "customer": CUSTOMER})
		)
