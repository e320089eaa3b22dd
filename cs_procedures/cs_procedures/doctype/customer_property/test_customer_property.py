"""The customer property register (顾客财产登记表) in a real site."""

from datetime import date

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime, today

from cs_procedures.cs_procedures.doctype.customer_property.customer_property import make_quality_inspection
from cs_procedures.cs_procedures.doctype.customer_property.scheduled import remind_lots_stored_a_year
from cs_procedures.procedures import property as rules
from cs_procedures.testing import Fixtures, as_user, emails, leaf_warehouse

# the links are created by the tests themselves, not from ERPNext's test records
test_ignore = ["Item", "Quality Inspection", "Warehouse", "UOM", "Contact", "Department"]

STORE_KEEPER, INSPECTOR, MANAGER = emails("cp", "store", "quality", "manager")
OFFICER = "cs.officer@example.com"
CUSTOMER = "_CS Test Property Customer"
ITEM = "_CS Test Customer Resin"


FIXTURES = Fixtures(
	users={
		STORE_KEEPER: ["Stock User"],
		INSPECTOR: ["Quality Manager"],
		OFFICER: ["CS Officer"],
		MANAGER: ["CS Manager"],
	},
	customers=[CUSTOMER],
	items=[ITEM],
)
setUpModule, tearDownModule = FIXTURES.hooks()


def new_property(received_on=None, **values):
	with as_user(OFFICER):
		return frappe.get_doc(
			{
				"doctype": "Customer Property",
				"customer": CUSTOMER,
				"kind": "Material",
				"received_on": received_on or today(),
				"received_by": STORE_KEEPER,
				"delivery_reference": "DN-4711",
				"item_code": ITEM,
				"description": "Customer resin, 20 bags",
				"qty": 20,
				"uom": "Nos",
				**values,
			}
		).insert()


def act(record, action: str):
	"""Take a workflow action on the stored record as the current user; `record` shows the result."""
	apply_workflow(frappe.get_doc(record.doctype, record.name), action)
	record.reload()
	return record


def stored_property(received_on=None, **values):
	"""A lot that passed its inspection (or needs none) and went into store, through the actions."""
	record = new_property(
		received_on, **{"inspection_result": "Accepted", "warehouse": leaf_warehouse(), **values}
	)
	act(record, "Pass Inspection")
	return act(record, "Put in Store")


def quality_inspection(status: str, submit: bool = True):
	inspection = frappe.get_doc(
		{
			"doctype": "Quality Inspection",
			"inspection_type": "Incoming",
			"reference_type": "Stock Entry",
			"reference_name": "_CS-any",  # no stock entry: links are not validated below
			"item_code": ITEM,
			"sample_size": 2,
			"inspected_by": "Administrator",
			"status": status,
			"manual_inspection": 1,
		}
	)
	inspection.flags.ignore_links = True
	inspection.insert()
	if submit:
		inspection.flags.ignore_links = True
		inspection.submit()
	return inspection


class TestCustomerProperty(FrappeTestCase):
	def assertSaveRefused(self, record, message: str, **values):  # noqa: N802 - unittest's naming
		"""The stored record with `values` is not saved, and why says `message` (a pattern)."""
		record.reload()
		record.update(values)
		with self.assertRaisesRegex(frappe.ValidationError, message):
			record.save()

	def test_rejected_lot_waits_for_the_customer(self):
		record = new_property()
		self.assertEqual(record.status, rules.RECEIVED)
		self.assertIsNone(record.retention_until)  # a lot still held: its record is kept (HT-QR-MA-10)
		self.assertTrue(record.name.startswith("CP-"))

		with as_user(INSPECTOR):
			record.reload()
			record.inspection_result = "Rejected"
			with self.assertRaises(frappe.ValidationError):  # the IQC finding must be recorded
				record.save()
			record.reload()
			record.update({"inspection_result": "Rejected", "nonconformity": "3 bags torn, 1 bag short"})
			record.save()
			act(record, "Report Nonconformity")
		self.assertEqual(record.status, rules.NONCONFORMING)

		with as_user(STORE_KEEPER):  # a save that skips the customer's notice is refused
			self.assertSaveRefused(
				record, "notified", warehouse=leaf_warehouse(), workflow_state=rules.IN_STORE
			)
			self.assertSaveRefused(record, "notified", workflow_state=rules.RETURNED)
			record.reload()
			record.customer_notified_on = now_datetime()
			with self.assertRaises(frappe.ValidationError):  # how was the customer told?
				record.save()
			record.reload()
			record.update(
				{"customer_notified_on": now_datetime(), "notification_method": "Inspection Report"}
			)
			record.save()
			self.assertEqual(record.status, rules.NONCONFORMING)  # the notice is taken by its action
		with as_user(OFFICER):
			act(record, "Notify Customer")  # awaiting the customer's solution
		self.assertEqual(record.status, rules.CUSTOMER_NOTIFIED)
		with as_user(STORE_KEEPER):
			record.warehouse = leaf_warehouse()
			record.storage_location = "Rack B-3"
			record.save()
			act(record, "Put in Store")
		self.assertEqual(record.status, rules.IN_STORE)
		self.assertEqual(record.stored_by, STORE_KEEPER)

		with as_user(OFFICER):  # the customer wants it scrapped: it may leave at once
			record.reload()
			act(record, "Dispose")
		self.assertEqual(frappe.db.get_value("Customer Property", record.name, "status"), rules.DISPOSED)
		with as_user(MANAGER), self.assertRaisesRegex(frappe.PermissionError, "retention"):
			frappe.delete_doc("Customer Property", record.name)  # the record stays a year
		self.assertTrue(frappe.db.exists("Customer Property", record.name))

	def test_disposal_after_the_retention_date(self):
		received = add_days(today(), -400)
		record = stored_property(received)
		self.assertEqual(record.status, rules.IN_STORE)
		with as_user(OFFICER):
			record.reload()
			act(record, "Dispose")
		record.reload()
		self.assertEqual(record.status, rules.DISPOSED)
		self.assertEqual(getdate(record.closed_on), getdate(today()))
		self.assertEqual(record.closed_by, OFFICER)
		record.closed_on = add_days(received, -1)  # before it arrived (only Administrator may even try)
		with self.assertRaisesRegex(frappe.ValidationError, "closing date"):
			record.save()
		record.reload()
		record.storage_location = "gone"
		record.save()  # a closed record keeps its outcome
		self.assertEqual(record.status, rules.DISPOSED)
		with self.assertRaises(frappe.ValidationError):
			act(record, "Return to Customer")
		with as_user(OFFICER), self.assertRaisesRegex(frappe.PermissionError, "closed"):
			record.reload()
			record.storage_location = "back again"
			record.save()  # nobody else edits a closed record
		# received 400 days ago, but it left today: the record is kept a year from now (HT-QR-MA-10)
		self.assertEqual(getdate(record.retention_until), rules.add_years(getdate(today()), 1))
		with as_user(MANAGER), self.assertRaisesRegex(frappe.PermissionError, "retention"):
			frappe.delete_doc("Customer Property", record.name)
		# a year after it left, the register may let the record go
		frappe.db.set_value(
			"Customer Property",
			record.name,
			{"closed_on": add_days(today(), -370), "retention_until": add_days(today(), -5)},
		)
		with as_user(MANAGER):
			frappe.delete_doc("Customer Property", record.name)
		self.assertFalse(frappe.db.exists("Customer Property", record.name))

	def test_a_lot_still_held_keeps_its_record(self):
		record = stored_property(add_days(today(), -800))  # in store for two years
		with as_user(MANAGER), self.assertRaisesRegex(frappe.PermissionError, "still holds"):
			frappe.delete_doc("Customer Property", record.name)
		self.assertTrue(frappe.db.exists("Customer Property", record.name))

	def test_storing_needs_an_inspection_and_return_is_always_possible(self):
		record = new_property()
		self.assertSaveRefused(
			record, "inspection", warehouse=leaf_warehouse(), workflow_state=rules.IN_STORE
		)
		self.assertSaveRefused(record, "inspection", workflow_state=rules.CONSUMED)
		record.reload()
		with self.assertRaisesRegex(frappe.ValidationError, "inspection"):
			act(record, "Pass Inspection")
		self.assertEqual(record.status, rules.RECEIVED)
		record.reload()
		act(record, "Return to Customer")
		self.assertEqual(frappe.db.get_value("Customer Property", record.name, "status"), rules.RETURNED)

	def test_samples_signed_for_by_marketing(self):
		record = new_property(kind="Sample", inspection_result="Not Required", warehouse=leaf_warehouse())
		with as_user(OFFICER):  # marketing signs for samples and keeps them (003 5.2.5)
			act(record, "Pass Inspection")
			act(record, "Put in Store")
		self.assertEqual(record.status, rules.IN_STORE)
		with as_user(OFFICER):
			act(record, "Consume")
		self.assertEqual(record.status, rules.CONSUMED)

	def test_anomaly_found_later_goes_back_to_the_customer(self):
		record = stored_property()
		record.nonconformity = "Quantity: 2 bags short found at issue"
		record.save()
		with self.assertRaisesRegex(frappe.ValidationError, "notified"):
			act(record, "Consume")  # not before the customer knows
		act(record, "Report Nonconformity")
		self.assertEqual(record.status, rules.NONCONFORMING)
		record.update({"customer_notified_on": now_datetime(), "notification_method": "Phone"})
		record.save()
		act(record, "Notify Customer")
		act(record, "Put in Store")
		self.assertEqual(record.status, rules.IN_STORE)

	def test_defective_data(self):
		for values in (
			{"qty": -1},
			{"received_on": add_days(today(), 1)},
			{"customer_notified_on": f"{add_days(today(), -5)} 10:00:00", "notification_method": "Phone"},
			{"notification_method": "Phone"},
		):
			with self.subTest(values=values), self.assertRaises(frappe.ValidationError):
				new_property(**{"received_on": values.pop("received_on", today()), **values})
		record = new_property()
		record.closed_on = today()
		with self.assertRaises(frappe.ValidationError):  # closed only by its actions
			record.save()

	def test_quality_inspection_drives_the_result(self):
		draft = quality_inspection("Rejected", submit=False)
		record = new_property(quality_inspection=draft.name, inspection_result="Accepted")
		self.assertEqual(record.inspection_result, rules.PENDING)  # a draft decides nothing yet

		accepted = quality_inspection("Accepted")
		record.quality_inspection = accepted.name
		record.warehouse = leaf_warehouse()
		record.save()
		act(record, "Pass Inspection")
		act(record, "Put in Store")
		self.assertEqual((record.inspection_result, record.status), (rules.ACCEPTED, rules.IN_STORE))

		rejected = quality_inspection("Rejected")
		other = act(
			new_property(quality_inspection=rejected.name, nonconformity="colour off"), "Report Nonconformity"
		)
		self.assertEqual((other.inspection_result, other.status), (rules.REJECTED, rules.NONCONFORMING))

		accepted.cancel()
		record.reload()
		with self.assertRaisesRegex(frappe.ValidationError, "cancelled"):
			record.save()

	def test_make_quality_inspection(self):
		record = new_property()
		inspection = make_quality_inspection(record.name)
		self.assertEqual(inspection.doctype, "Quality Inspection")
		self.assertEqual((inspection.inspection_type, inspection.item_code), ("Incoming", ITEM))
		self.assertEqual(inspection.sample_size, 20)
		self.assertIn(record.name, inspection.remarks)
		self.assertTrue(inspection.is_new())

	def test_permissions(self):
		self.assertTrue(frappe.has_permission("Customer Property", "write", user=STORE_KEEPER))
		self.assertTrue(frappe.has_permission("Customer Property", "write", user=INSPECTOR))
		self.assertTrue(frappe.has_permission("Customer Property", "create", user=OFFICER))
		roles = {p.role for p in frappe.get_meta("Customer Property").permissions}
		self.assertEqual(
			roles, {"System Manager", "CS Manager", "CS Officer", "Stock User", "Quality Manager"}
		)

	def test_reminder_once_a_year_after_receipt(self):
		received = date(2024, 2, 29)
		record = stored_property(received)
		self.assertEqual(rules.storage_review_on(received), date(2025, 3, 1))
		self.assertIsNone(record.retention_until)  # still held: the record is kept
		closed = act(
			act(new_property(received, inspection_result="Accepted"), "Pass Inspection"), "Return to Customer"
		)

		def todos(name):
			return frappe.get_all(
				"ToDo",
				filters={"reference_type": "Customer Property", "reference_name": name},
				pluck="allocated_to",
			)

		remind_lots_stored_a_year(date(2025, 2, 28))
		self.assertEqual(todos(record.name), [])
		remind_lots_stored_a_year(date(2025, 3, 1))
		self.assertEqual(todos(record.name), [STORE_KEEPER])
		self.assertEqual(todos(closed.name), [])
		frappe.db.set_value("ToDo", {"reference_name": record.name}, "status", "Closed")
		remind_lots_stored_a_year(date(2025, 3, 2))
		remind_lots_stored_a_year(date(2025, 4, 1))
		self.assertEqual(todos(record.name), [STORE_KEEPER])

	def test_register_report(self):
		from cs_procedures.cs_procedures.report.customer_property_register.customer_property_register import (
			execute,
		)

		record = new_property(kind="Tooling", inspection_result="Not Required")
		columns, rows = execute({"customer": CUSTOMER, "kind": "Tooling", "from_date": today()})
		self.assertIn(record.name, [row.name for row in rows])
		self.assertIn("retention_until", [c["fieldname"] for c in columns])
		_, rows = execute({"customer": CUSTOMER, "status": "Disposed", "to_date": add_days(today(), -1000)})
		self.assertNotIn(record.name, [row.name for row in rows])
