"""For benches whose pip predates PEP 517 builds; pyproject.toml is the source of truth."""

import re

from setuptools import find_packages, setup

with open("cs_procedures/__init__.py") as f:
	version = re.search(r'__version__ = "(.*?)"', f.read()).group(1)

setup(
	name="cs_procedures",
	version=version,
	description="ISO 9001 customer-service procedures on ERPNext",
	packages=find_packages(exclude=["tests"]),
	zip_safe=False,
	include_package_data=True,
)
