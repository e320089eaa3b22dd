from cs_procedures import guards


class CSManagementReviewOpenItem(guards.ProcedureRow):
	pass
