from cs_procedures import guards


class SatisfactionSurveyFollowUp(guards.ProcedureRow):
	pass
