from cs_procedures import guards


class CustomerGradeBand(guards.ProcedureRow):
	pass
