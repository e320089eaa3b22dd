from frappe.model.document import Document


class OrderReviewOpinion(Document):
	pass
