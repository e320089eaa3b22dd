from cs_procedures import guards


class CSMonthlyFiguresRecipient(guards.ProcedureRow):
	pass
