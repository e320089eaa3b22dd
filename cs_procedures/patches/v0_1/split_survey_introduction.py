"""The default questionnaire's introduction was one bilingual text; it now has a Chinese field of its own."""

import frappe

from cs_procedures.install import DEFAULT_SURVEY

OLD_INTRODUCTION = f"{DEFAULT_SURVEY['introduction']} {DEFAULT_SURVEY['introduction_zh']}"


def execute():
	name = DEFAULT_SURVEY["template_name"]
	if frappe.db.get_value("Satisfaction Survey Template", name, "introduction") == OLD_INTRODUCTION:
		frappe.db.set_value(
			"Satisfaction Survey Template",
			name,
			{
				"introduction": DEFAULT_SURVEY["introduction"],
				"introduction_zh": DEFAULT_SURVEY["introduction_zh"],
			},
		)
