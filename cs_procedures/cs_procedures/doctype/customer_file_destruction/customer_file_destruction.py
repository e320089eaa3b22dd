from cs_procedures import guards


class CustomerFileDestruction(guards.ProcedureRow):
	pass
