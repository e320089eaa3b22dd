from cs_procedures import guards


class SatisfactionSurveyAnswer(guards.ProcedureRow):
	pass
