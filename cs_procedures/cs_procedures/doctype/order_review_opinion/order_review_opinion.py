from cs_procedures import guards


class OrderReviewOpinion(guards.ProcedureRow):
	pass
