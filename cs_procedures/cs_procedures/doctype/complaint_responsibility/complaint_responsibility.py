from frappe.model.document import Document


class ComplaintResponsibility(Document):
	"""One department named on a complaint sheet, with the approval of its part of the countermeasure."""
