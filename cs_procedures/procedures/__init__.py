"""Pure procedure rules: no Frappe import here, so they run and test anywhere."""

from typing import NamedTuple


class Workflow(NamedTuple):
	"""A procedure's Frappe Workflow (fixtures/workflow.json): its first state and the states it ends in.
	A rules module declares it as `WORKFLOW`; the metadata tests find it there and check the graph."""

	name: str
	first: str
	ends: tuple[str, ...]
