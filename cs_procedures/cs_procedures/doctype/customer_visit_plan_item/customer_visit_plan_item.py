from cs_procedures import guards


class CustomerVisitPlanItem(guards.ProcedureRow):
	pass
