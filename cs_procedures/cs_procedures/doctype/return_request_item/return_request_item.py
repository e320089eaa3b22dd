from cs_procedures import guards


class ReturnRequestItem(guards.ProcedureRow):
	pass
