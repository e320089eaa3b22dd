"""The survey improvement loop: the improvement reply's Email Template, and the follow-ups raised
before proposals existed (their Quality Actions went out at closing) marked as approved."""

import frappe

from cs_procedures.install import create_improvement_reply_template


def execute():
	create_improvement_reply_template()
	frappe.db.sql(
		"""update `tabSatisfaction Survey Follow Up` set status = 'Approved'
		where ifnull(quality_action, '') != ''"""
	)
