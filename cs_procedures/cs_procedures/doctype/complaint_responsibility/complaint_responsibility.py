from cs_procedures import guards


class ComplaintResponsibility(guards.ProcedureRow):
	"""One department named on a complaint sheet, with the approval of its part of the countermeasure."""
