"""Warranty Claim and Maintenance Visit keep a version history, like every record of the procedures."""

from cs_procedures import footprint


def execute():
	footprint.set_properties()
