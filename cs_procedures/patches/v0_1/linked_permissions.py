from cs_procedures.install import grant_linked_permissions


def execute():
	grant_linked_permissions()
