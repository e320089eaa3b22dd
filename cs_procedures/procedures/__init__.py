"""Pure procedure rules: no Frappe import here, so they run and test anywhere."""

from functools import cache
from typing import NamedTuple


class Workflow(NamedTuple):
	"""A procedure's Frappe Workflow (fixtures/workflow.json): its first state and the states it ends in.
	A rules module declares it as `WORKFLOW`; the metadata tests find it there and check the graph."""

	name: str
	first: str
	ends: tuple[str, ...]


@cache
def declared_workflows() -> dict[str, tuple]:
	"""Each rules module of this package that declares `WORKFLOW`, by the workflow's name:
	(module, Workflow)."""
	import importlib
	import pkgutil

	declared = {}
	for info in pkgutil.iter_modules(__path__):
		module = importlib.import_module(f"{__name__}.{info.name}")
		workflow = getattr(module, "WORKFLOW", None)
		if isinstance(workflow, Workflow):
			if workflow.name in declared:
				raise ValueError(f"{workflow.name} is declared twice")
			declared[workflow.name] = (module, workflow)
	return declared
