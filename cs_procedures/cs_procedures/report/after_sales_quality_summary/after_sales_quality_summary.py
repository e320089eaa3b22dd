"""售后质量总结 (001 4.12.5 "通过对产品退货率、质量投诉和维修工作的总结分析"): per item, what was
delivered and what came back in a period, the return rate, the quality complaints and the repairs.

Delivered: submitted Delivery Notes and stock-updating Sales Invoices that are not returns; returned:
the real returns (return Delivery Notes, stock-updating return Sales Invoices), both in the stock unit.
The returns of the period may be of goods delivered before it. Quality complaints: complaints of type
Quality naming the item, received in the period (cancelled ones left out); repairs: the item's warranty
claims reported in the period (cancelled ones left out)."""

import frappe
from frappe import _
from frappe.utils import escape_html, flt

from cs_procedures.cs_procedures.report.after_sales_filters import period_values
from cs_procedures.cs_procedures.report.columns import declared, escape_values
from cs_procedures.procedures import after_sales as rules

# the stock moved to and back from customers, line by line; `goods` is what makes an invoice move goods
MOVED = """
	select i.item_code, d.is_return, i.stock_qty
	from `tab{doctype}` d
	join `tab{doctype} Item` i on i.parent = d.name and i.parenttype = '{doctype}'
	where d.docstatus = 1 {goods} and d.posting_date between %(from_date)s and %(to_date)s
		{conditions}"""
DOCUMENTS = (("Delivery Note", ""), ("Sales Invoice", "and d.update_stock = 1"))
FIGURES = ("delivered_qty", "returned_qty", "quality_complaints", "repairs")
# items of the chosen item group or of a group below it
IN_ITEM_GROUP = """{column} in (
	select it.name from `tabItem` it join `tabItem Group` g on g.name = it.item_group
	where g.lft >= %(group_lft)s and g.rgt <= %(group_rgt)s)"""


def execute(filters=None):
	filters = frappe._dict(filters or {})
	values = period_values(filters)
	if filters.item_group:
		bounds = frappe.db.get_value("Item Group", filters.item_group, ["lft", "rgt"])
		if not bounds:
			frappe.throw(
				_("Item Group {0} does not exist.").format(escape_html(filters.item_group)),
				title=_("Invalid Filters"),
			)
		values["group_lft"], values["group_rgt"] = bounds
	if filters.customer:
		values["customer"] = filters.customer
	figures = {}

	def add(rows, *fields):
		for item_code, *numbers in rows:
			row = figures.setdefault(item_code, dict.fromkeys(FIGURES, 0))
			for field, number in zip(fields, numbers, strict=True):
				row[field] = flt(number)

	moved = "\n\tunion all".join(
		MOVED.format(doctype=doctype, goods=goods, conditions=conditions(filters, "d", "i.item_code"))
		for doctype, goods in DOCUMENTS
	)
	add(
		frappe.db.sql(
			f"""select item_code, sum(if(is_return, 0, stock_qty)), sum(if(is_return, abs(stock_qty), 0))
			from ({moved}
			) m
			group by item_code""",
			values,
		),
		"delivered_qty",
		"returned_qty",
	)
	add(
		frappe.db.sql(
			f"""select c.item_code, count(*) from `tabCustomer Complaint` c
			where c.complaint_type = 'Quality' and coalesce(c.item_code, '') != '' and c.docstatus < 2
				and c.received_on >= %(from_date)s and c.received_on < %(to_next)s
				{conditions(filters, "c", "c.item_code")}
			group by c.item_code""",
			values,
		),
		"quality_complaints",
	)
	add(
		frappe.db.sql(
			f"""select w.item_code, count(*) from `tabWarranty Claim` w
			where coalesce(w.item_code, '') != '' and w.status != 'Cancelled'
				and w.complaint_date between %(from_date)s and %(to_date)s
				{conditions(filters, "w", "w.item_code")}
			group by w.item_code""",
			values,
		),
		"repairs",
	)
	items = {
		item.name: item
		for item in frappe.get_all(
			"Item",
			filters={"name": ("in", list(figures) or [""])},
			fields=["name", "item_name", "item_group", "stock_uom"],
		)
	}
	rows = []
	for item_code, row in figures.items():
		item = items.get(item_code) or frappe._dict()
		rows.append(
			frappe._dict(
				item_code=item_code,
				item_name=item.item_name,
				item_group=item.item_group,
				stock_uom=item.stock_uom,
				return_rate=rules.return_rate(row["delivered_qty"], row["returned_qty"]),
				**row,
			)
		)
	# the items with the most coming back first
	rows.sort(
		key=lambda row: (
			-(row.return_rate or 0),
			-row.returned_qty,
			-row.quality_complaints,
			-row.repairs,
			row.item_code,
		)
	)
	for row in rows:
		for field in ("quality_complaints", "repairs"):
			row[field] = int(row[field])
	escape_values(rows, ("item_name", "item_group", "stock_uom"))
	return columns(), rows, None, None, summary(rows)


def conditions(filters, alias: str, item_column: str) -> str:
	clauses = []
	if filters.customer:
		clauses.append(f"{alias}.customer = %(customer)s")
	if filters.item_group:
		clauses.append(IN_ITEM_GROUP.format(column=item_column))
	return "".join(f" and {clause}" for clause in clauses)


def columns():
	# a Link column is read only by who may read its doctype (the desk checks each one): the item group
	# and the unit are plain text
	return declared(__file__)


def summary(rows):
	delivered = sum(row.delivered_qty for row in rows)
	returned = sum(row.returned_qty for row in rows)
	rate = rules.return_rate(delivered, returned)
	return [
		{"label": _("Delivered Qty"), "value": delivered, "datatype": "Float"},
		{"label": _("Returned Qty"), "value": returned, "datatype": "Float"},
		{"label": _("Overall Return Rate"), "value": rate if rate is not None else "—",
		 "datatype": "Percent" if rate is not None else "Data", "indicator": "Blue"},
		{"label": _("Quality Complaints"), "value": sum(row.quality_complaints for row in rows), "datatype": "Int"},
		{"label": _("Repairs"), "value": sum(row.repairs for row in rows), "datatype": "Int"},
	]  # fmt: skip
