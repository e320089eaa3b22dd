from frappe import _


def get_data():
	"""The complaint's after-sales documents (001 4.12): return requests and warranty claims."""
	return {
		"fieldname": "customer_complaint",
		"non_standard_fieldnames": {"Warranty Claim": "cs_customer_complaint"},
		"transactions": [{"label": _("After-Sales"), "items": ["Return Request", "Warranty Claim"]}],
	}
