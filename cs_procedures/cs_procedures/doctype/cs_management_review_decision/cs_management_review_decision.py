from cs_procedures import guards


class CSManagementReviewDecision(guards.ProcedureRow):
	pass
