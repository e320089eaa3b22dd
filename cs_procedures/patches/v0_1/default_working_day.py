from cs_procedures.install import set_default_working_day


def execute():
	set_default_working_day()
