"""The visitor's survey (000 II-3): its questionnaire, named in CS Settings."""

from cs_procedures.install import create_visitor_survey_template


def execute():
	create_visitor_survey_template()
