from cs_procedures import guards


class SatisfactionSurveyCampaignCustomer(guards.ProcedureRow):
	pass
