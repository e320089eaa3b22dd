"""Everything this app adds to ERPNext's (and Frappe's) own doctypes, in one place.

- `events.py`: the doc events of hooks.py on Customer, Sales Order, Communication and Quality Action
  (each delegating to the procedure it serves);
- `dashboards.py`: the connections added to the Customer, Sales Order, Delivery Note and Sales
  Invoice dashboards (hooks.py `override_doctype_dashboards`);
- `customer_360.py`: the Customer 360 section of the Customer form (`__onload`);
- `*.js`: the form scripts of those doctypes, loaded with their forms only (hooks.py `doctype_js`).

The app's own doctypes keep their code beside them (`cs_procedures/cs_procedures/doctype/…`).
"""
