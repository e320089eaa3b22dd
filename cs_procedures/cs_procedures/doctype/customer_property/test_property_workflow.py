"""The Customer Property workflow over HTTP, each step by the role that takes it (issue 9, item 2).

Requests run on their own connections: the records are committed, and removed when the module ends.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, now_datetime, today

from cs_procedures.procedures import property as rules
from cs_procedures.testing import Fixtures, HttpUser, as_user, leaf_warehouse

STORE = "pw.store@example.com"  # the warehouse (仓库)
QC = "pw.qc@example.com"  # incoming inspection (品管)
OFFICER = "pw.officer@example.com"  # marketing / customer service (市场部)
MATERIALS_HEAD = "pw.materials.head@example.com"  # head of the materials department (资材部)
MATERIALS = "CS Flow Materials"  # their department
CUSTOMER = "_CS Property Flow Customer"
ITEM = "_CS Property Flow Resin"
DOCTYPE = "Customer Property"
FIXTURES = Fixtures(
	users={
		STORE: ["Stock User"],
		QC: ["Quality Manager"],
		OFFICER: ["CS Officer"],
		MATERIALS_HEAD: (["CS Department Head"], MATERIALS),
	},
	customers=[CUSTOMER],
	departments=[MATERIALS],
	items=[ITEM],
	settings=lambda f: {
		"review_departments": [{"function": "Materials", "department": f.departments[MATERIALS]}]
	},
)
setUpModule, tearDownModule = FIXTURES.hooks()
record = FIXTURES.record


def new_lot(**values) -> str:
	"""A lot the warehouse signed for (committed: the requests must see it)."""
	with as_user(STORE):
		lot = frappe.get_doc(
			{
				"doctype": DOCTYPE,
				"customer": CUSTOMER,
				"kind": "Material",
				"received_on": today(),
				"received_by": STORE,
				"delivery_reference": "DN-FLOW",
				"item_code": ITEM,
				"description": "Customer resin, 10 bags",
				"qty": 10,
				"uom": "Nos",
				**values,
			}
		).insert()
	record(DOCTYPE, lot.name)
	frappe.db.commit()
	return lot.name


def stored(name: str) -> frappe._dict:
	frappe.db.rollback()  # a fresh snapshot: what the requests committed
	return frappe.get_doc(DOCTYPE, name)


def snapshot(name: str) -> str:
	return json.dumps(stored(name).as_dict(convert_dates_to_str=True), sort_keys=True, default=str)


def materials_todos(name: str, status: str | None = None) -> int:
	filters = {"reference_type": DOCTYPE, "reference_name": name, "allocated_to": MATERIALS_HEAD}
	if status:
		filters["status"] = status
	return frappe.db.count("ToDo", filters)


class TestPropertyWorkflowOverHttp(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.http = {user: HttpUser(user) for user in (STORE, QC, OFFICER, MATERIALS_HEAD)}

	def act(self, user: str, name: str, action: str, state: str):
		response = self.http[user].apply_workflow(stored(name), action)
		self.assertEqual(response.status_code, 200, response.text[-400:])
		record = stored(name)
		self.assertEqual((record.workflow_state, record.status), (state, state))
		return record

	def put(self, user: str, name: str, values: dict):
		response = self.http[user].put(DOCTYPE, name, values)
		self.assertEqual(response.status_code, 200, response.text[-400:])
		return stored(name)

	def assertRefused(self, name: str, request, *fragments: str):  # noqa: N802 - unittest's naming
		"""`request(doc)` fails with a 4xx and a message (holding `fragments`), the record unchanged."""
		before = snapshot(name)
		response = request(stored(name))
		self.assertTrue(400 <= response.status_code < 500, f"{response.status_code}: {response.text[-400:]}")
		for fragment in fragments:
			self.assertIn(fragment, response.text)
		self.assertEqual(snapshot(name), before, "changed by a refused request")
		return response

	def test_consumed_after_inspection_and_storage(self):
		name = new_lot(inspection_result="Accepted")
		record = self.act(QC, name, "Pass Inspection", rules.INSPECTED)
		self.assertEqual(record.inspected_by, QC)
		self.assertTrue(record.inspected_on)
		self.put(STORE, name, {"warehouse": leaf_warehouse(), "storage_location": "Rack A-1"})
		record = self.act(STORE, name, "Put in Store", rules.IN_STORE)
		self.assertEqual(record.stored_by, STORE)
		record = self.act(STORE, name, "Consume", rules.CONSUMED)
		self.assertEqual((record.closed_by, getdate(record.closed_on)), (STORE, getdate(today())))

	def test_rejected_lot_returned_once_the_customer_knows(self):
		name = new_lot()
		self.put(QC, name, {"inspection_result": "Rejected", "nonconformity": "3 bags torn"})
		record = self.act(QC, name, "Report Nonconformity", rules.NONCONFORMING)
		self.assertEqual((record.inspected_by, record.nonconformity_reported_by), (QC, QC))
		self.assertRefused(
			name, lambda d: self.http[OFFICER].apply_workflow(d, "Notify Customer"), "notified"
		)
		self.put(
			OFFICER,
			name,
			{
				"customer_notified_on": str(now_datetime().replace(microsecond=0)),
				"notification_method": "Phone",
			},
		)
		record = self.act(OFFICER, name, "Notify Customer", rules.CUSTOMER_NOTIFIED)
		self.assertEqual(record.notice_recorded_by, OFFICER)
		self.act(STORE, name, "Return to Customer", rules.RETURNED)

	def test_disposed_from_store(self):
		name = new_lot(inspection_result="Not Required", warehouse=leaf_warehouse())
		self.act(QC, name, "Pass Inspection", rules.INSPECTED)
		self.act(STORE, name, "Put in Store", rules.IN_STORE)
		record = self.act(OFFICER, name, "Dispose", rules.DISPOSED)
		self.assertEqual(record.closed_by, OFFICER)
		# the closed record is kept as it was closed
		self.assertRefused(name, lambda d: self.http[OFFICER].put(DOCTYPE, d.name, {"qty": 1}), "closed")
		self.assertRefused(name, lambda d: self.http[STORE].apply_workflow(d, "Return to Customer"))

	def test_a_save_cannot_skip_a_state(self):
		name = new_lot(inspection_result="Accepted", warehouse=leaf_warehouse())
		for user, values in (
			(STORE, {"workflow_state": rules.IN_STORE}),
			(STORE, {"workflow_state": rules.CONSUMED}),
			(OFFICER, {"workflow_state": rules.DISPOSED}),
			(OFFICER, {"workflow_state": rules.CUSTOMER_NOTIFIED}),
		):
			with self.subTest(user=user, values=values):
				self.assertRefused(
					name, lambda d, u=user, v=values: self.http[u].put(DOCTYPE, d.name, v), "cannot go from"
				)
		self.assertRefused(  # the status only mirrors the state
			name, lambda d: self.http[STORE].put(DOCTYPE, d.name, {"status": rules.IN_STORE})
		)
		self.act(QC, name, "Pass Inspection", rules.INSPECTED)
		self.assertRefused(  # the facts a state was reached on stay
			name, lambda d: self.http[QC].put(DOCTYPE, d.name, {"inspection_result": "Pending"}), "Pending"
		)
		self.assertEqual(stored(name).workflow_state, rules.INSPECTED)

	def test_no_submit_or_close_outside_the_workflow(self):
		name = new_lot(inspection_result="Accepted", warehouse=leaf_warehouse())
		self.act(QC, name, "Pass Inspection", rules.INSPECTED)
		officer = self.http[OFFICER]
		self.assertRefused(
			name,
			lambda d: officer.post("frappe.client.submit", {"doc": d.as_dict(convert_dates_to_str=True)}),
		)
		self.assertRefused(name, lambda d: officer.put(DOCTYPE, d.name, {"docstatus": 1}))
		self.assertRefused(name, lambda d: officer.put(DOCTYPE, d.name, {"closed_on": today()}))
		self.assertRefused(
			name, lambda d: officer.put(DOCTYPE, d.name, {"status": rules.RETURNED, "closed_on": today()})
		)
		self.assertRefused(name, lambda d: officer.put(DOCTYPE, d.name, {"workflow_state": rules.DISPOSED}))
		self.assertEqual(stored(name).workflow_state, rules.INSPECTED)

	def test_actions_of_other_roles_are_refused(self):
		name = new_lot(inspection_result="Accepted", warehouse=leaf_warehouse())
		self.assertRefused(name, lambda d: self.http[STORE].apply_workflow(d, "Pass Inspection"))
		self.assertRefused(name, lambda d: self.http[OFFICER].apply_workflow(d, "Pass Inspection"))
		self.assertRefused(  # the move exists, but not for the warehouse
			name,
			lambda d: self.http[STORE].put(DOCTYPE, d.name, {"workflow_state": rules.INSPECTED}),
			"Your roles do not allow",
		)
		self.act(QC, name, "Pass Inspection", rules.INSPECTED)
		self.assertRefused(name, lambda d: self.http[OFFICER].apply_workflow(d, "Put in Store"))
		self.assertRefused(name, lambda d: self.http[QC].apply_workflow(d, "Consume"))
		self.act(STORE, name, "Put in Store", rules.IN_STORE)
		self.assertRefused(name, lambda d: self.http[QC].apply_workflow(d, "Dispose"))
		self.assertRefused(name, lambda d: self.http[MATERIALS_HEAD].apply_workflow(d, "Dispose"))

	def test_materials_department_told_once_of_an_anomaly(self):
		name = new_lot(inspection_result="Accepted", warehouse=leaf_warehouse())
		self.act(QC, name, "Pass Inspection", rules.INSPECTED)
		self.assertEqual(materials_todos(name), 0)
		self.put(STORE, name, {"nonconformity": "2 bags short at issue"})
		self.assertEqual(materials_todos(name, "Open"), 1)
		description = frappe.db.get_value(
			"ToDo", {"reference_name": name, "allocated_to": MATERIALS_HEAD}, "description"
		)
		self.assertIn("2 bags short", description)
		# the head may open the record (shared with them), though not act on it
		response = self.http[MATERIALS_HEAD].get(f"/api/resource/{DOCTYPE}/{name}")
		self.assertEqual(response.status_code, 200, response.text[-300:])
		self.put(STORE, name, {"storage_location": "Rack C-2"})
		self.act(STORE, name, "Report Nonconformity", rules.NONCONFORMING)
		self.assertEqual(materials_todos(name), 1)  # not repeated
		self.put(
			OFFICER,
			name,
			{
				"customer_notified_on": str(now_datetime().replace(microsecond=0)),
				"notification_method": "E-mail",
			},
		)
		self.act(OFFICER, name, "Notify Customer", rules.CUSTOMER_NOTIFIED)
		self.assertEqual((materials_todos(name), materials_todos(name, "Closed")), (1, 1))
		self.act(STORE, name, "Put in Store", rules.IN_STORE)
		self.assertEqual(materials_todos(name), 1)
