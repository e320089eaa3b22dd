from cs_procedures import guards


class ComplaintSignOff(guards.ProcedureRow):
	pass
