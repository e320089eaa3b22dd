from cs_procedures import guards


class CSReviewDepartment(guards.ProcedureRow):
	pass
