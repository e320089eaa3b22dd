from cs_procedures.install import set_default_reviewers


def execute():
	set_default_reviewers()
