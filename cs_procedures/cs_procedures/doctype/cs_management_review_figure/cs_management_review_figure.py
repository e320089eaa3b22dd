from cs_procedures import guards


class CSManagementReviewFigure(guards.ProcedureRow):
	pass
