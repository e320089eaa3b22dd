from cs_procedures.install import create_default_survey_template


def execute():
	create_default_survey_template()
