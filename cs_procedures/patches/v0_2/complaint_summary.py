"""Complaint Statistics reads the submitted complaints summed per month (complaint_summary.py): on a site
in use, every complaint's repeat flag and the summary are made once from the complaints it holds."""

from cs_procedures import complaint_summary


def execute():
	complaint_summary.rebuild()
