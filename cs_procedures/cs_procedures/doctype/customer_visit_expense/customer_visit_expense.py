from cs_procedures import guards


class CustomerVisitExpense(guards.ProcedureRow):
	pass
