from cs_procedures import guards


class CSCallPlanCustomer(guards.ProcedureRow):
	pass
