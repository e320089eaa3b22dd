from cs_procedures import guards


class ReturnRequestItem(guards.ProcedureRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		amount: DF.Currency
		approved_qty: DF.Float
		credited_qty: DF.Float
		delivered_qty: DF.Float
		dn_detail: DF.Data | None
		item_code: DF.Link
		item_name: DF.Data | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		qty: DF.Float
		rate: DF.Currency
		returned_qty: DF.Float
		uom: DF.Link | None
	# end: auto-generated types

	pass
