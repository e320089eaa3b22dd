from frappe.model.document import Document


class SatisfactionSurveyCampaignCustomer(Document):
	pass
