from cs_procedures import guards


class SatisfactionSurveySchedule(guards.ProcedureRow):
	pass
