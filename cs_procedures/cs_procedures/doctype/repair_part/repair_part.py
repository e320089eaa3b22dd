from cs_procedures import guards


class RepairPart(guards.ProcedureRow):
	pass
