from cs_procedures import guards


class CustomerVisitAction(guards.ProcedureRow):
	pass
