"""Survey link tokens were stored in plain text; only hashes are kept now.

Each response gets the hash of its derived token (see `link_token`); the hash of a token already
e-mailed is kept as `legacy_token_hash`, so the links customers hold keep working; the plain token
is cleared (its column stays in the table, empty, as Frappe leaves removed fields' columns).
"""

import frappe

from cs_procedures.cs_procedures.doctype.satisfaction_survey_response.satisfaction_survey_response import (
	DOCTYPE,
	hash_token,
	link_token,
)


def execute():
	plain = frappe.db.has_column(DOCTYPE, "token")
	rows = frappe.db.sql(
		f"select name{', token' if plain else ''} from `tab{DOCTYPE}`",
		as_dict=True,
	)
	for row in rows:
		values = {"token_hash": hash_token(link_token(row.name))}
		if row.get("token"):
			values["legacy_token_hash"] = hash_token(row.token)
		frappe.db.set_value(DOCTYPE, row.name, values, update_modified=False)
	if plain:
		frappe.db.sql(f"update `tab{DOCTYPE}` set token = null where token is not null")
