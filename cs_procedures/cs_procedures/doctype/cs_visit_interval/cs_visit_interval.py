from cs_procedures import guards


class CSVisitInterval(guards.ProcedureRow):
	pass
