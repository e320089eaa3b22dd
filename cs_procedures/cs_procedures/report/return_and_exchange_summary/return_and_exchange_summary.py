"""产品退换货汇总表 (002 ch5 §5): the goods that came back in a period, one row per line of each real
return, or summed by reason, customer or item.

A real return is a submitted return Delivery Note, or a submitted return Sales Invoice that moved the
goods (update stock): the two the satisfaction survey counts (`count_returns`); a credit note alone is
a price correction. Category and reason come from the Return Request the return was made from; a
return made without one is a "Return" whose reason is "Not Recorded"."""

import frappe
from frappe import _

from cs_procedures.cs_procedures.report.after_sales_filters import period_values
from cs_procedures.cs_procedures.report.columns import (
	bar_chart,
	declared,
	escape_values,
	group_column,
	group_of,
	translate_values,
)

NOT_RECORDED = "Not Recorded"

# group_by filter value -> (column of the return lines, column label, column type, link target)
GROUPS = {
	"Reason": ("reason", "Reason", "Data", None),
	"Customer": ("customer", "Customer", "Link", "Customer"),
	"Item": ("item_code", "Item", "Link", "Item"),
}

# the lines of one kind of real return; `goods` is what makes a return invoice a return of goods
RETURN_LINES = """
	select '{doctype}' as document_type, d.name as document, i.idx, d.posting_date as return_date,
		d.customer, d.customer_name, i.item_code, i.item_name, abs(i.stock_qty) as qty, i.stock_uom,
		abs(i.base_net_amount) as amount, o.posting_date as purchase_date, d.cs_return_request as return_request
	from `tab{doctype}` d
	join `tab{doctype} Item` i on i.parent = d.name and i.parenttype = '{doctype}'
	left join `tab{doctype}` o on o.name = d.return_against
	where d.is_return = 1 and d.docstatus = 1 {goods}
		and d.posting_date between %(from_date)s and %(to_date)s {conditions}"""
RETURNS = (("Delivery Note", ""), ("Sales Invoice", "and d.update_stock = 1"))


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = group_of(filters, GROUPS)
	lines, values = return_lines(filters)
	chart_rows = frappe.db.sql(
		f"""select reason as grp, count(distinct document_type, document) as returns, sum(qty) as qty
		from ({lines}) l group by reason order by qty desc, reason""",
		values,
		as_dict=True,
	)
	for row in chart_rows:
		row.grp = _(row.grp)
	if group_by:
		field, label, fieldtype, options = GROUPS[group_by]
		rows = frappe.db.sql(
			f"""select {field} as grp, count(distinct document_type, document) as returns,
				sum(qty) as qty, sum(amount) as amount
			from ({lines}) l
			group by grp
			order by amount desc, grp""",
			values,
			as_dict=True,
		)
		if group_by == "Reason":
			translate_values(rows, ("grp",))
		return grouped_columns(label, fieldtype, options), rows, None, chart(chart_rows)
	rows = frappe.db.sql(
		f"{lines} order by return_date desc, document_type, document, idx", values, as_dict=True
	)
	translate_values(rows, ("category", "reason"))
	escape_values(rows, ("customer_name", "item_name", "stock_uom"))
	return columns(), rows, None, chart(chart_rows)


def return_lines(filters) -> tuple[str, dict]:
	"""SQL of the lines of the real returns in the period (the filters applied), with the category,
	reason and complaint of the request each return was made from."""
	values = period_values(filters)
	conditions = ""
	for field, expression in (("customer", "d.customer"), ("item_code", "i.item_code")):
		if filters.get(field):
			conditions += f" and {expression} = %({field})s"
			values[field] = filters.get(field)
	branches = "\n\tunion all".join(
		RETURN_LINES.format(doctype=doctype, goods=goods, conditions=conditions) for doctype, goods in RETURNS
	)
	where = ""
	if filters.get("reason"):
		where = "where coalesce(q.reason, %(not_recorded)s) = %(reason)s"
		values["reason"] = filters.reason
	values["not_recorded"] = NOT_RECORDED
	sql = f"""
		select r.*, coalesce(q.request_type, 'Return') as category,
			coalesce(q.reason, %(not_recorded)s) as reason, q.customer_complaint
		from ({branches}
		) r
		left join `tabReturn Request` q on q.name = r.return_request
		{where}"""
	return sql, values


def columns():
	return declared(__file__)


def grouped_columns(label, fieldtype, options):
	return [group_column(label, fieldtype, options), *declared(__file__, "grouped_columns")]


def chart(rows):
	return bar_chart(rows, {_("Qty"): "qty", _("Returns"): "returns"})
