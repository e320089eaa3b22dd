from cs_procedures import guards


class CustomerVisitLiaisonDepartment(guards.ProcedureRow):
	pass
