from cs_procedures import guards


class CustomerFileLoan(guards.ProcedureRow):
	pass
