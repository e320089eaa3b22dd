"""Pure procedure rules: no Frappe import here, so they run and test anywhere."""
