from cs_procedures.install import create_after_sales_survey_template, grant_linked_permissions


def execute():
	"""After-sales (001 4.12): the repair staff and CS see the cost approval; the after-sales survey."""
	grant_linked_permissions()
	create_after_sales_survey_template()
