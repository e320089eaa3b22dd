from cs_procedures import guards


class CSComplaintDepartment(guards.ProcedureRow):
	pass
