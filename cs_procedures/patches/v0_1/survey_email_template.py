from cs_procedures.install import create_survey_email_template


def execute():
	create_survey_email_template()
