from cs_procedures import guards


class CSProcedureCompany(guards.ProcedureRow):
	pass
