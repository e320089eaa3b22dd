from cs_procedures import guards


class ComplaintCountermeasure(guards.ProcedureRow):
	pass
