from cs_procedures import guards


class SatisfactionSurveyItem(guards.ProcedureRow):
	pass
