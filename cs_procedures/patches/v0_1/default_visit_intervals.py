from cs_procedures.install import set_default_visit_intervals


def execute():
	set_default_visit_intervals()
