from cs_procedures import guards


class CustomerFilePerson(guards.ProcedureRow):
	pass
