from cs_procedures import guards


class CustomerMeetingDecision(guards.ProcedureRow):
	pass
