"""Column definitions shared by the app's script reports."""


def column(
	fieldname: str,
	label: str,
	fieldtype: str = "Data",
	options: str | None = None,
	width: int = 120,
	precision: int | None = None,
):
	return {
		"fieldname": fieldname,
		"label": label,
		"fieldtype": fieldtype,
		"options": options,
		"width": width,
		"precision": precision,
	}
