"""Benchmarks run inside a site with `bench --site S execute ...`; not part of the test suites."""

import frappe

# the columns every bulk-inserted record fills
STANDARD = ("name", "creation", "modified", "owner", "modified_by")
CUSTOMER_FIELDS = (
	*STANDARD,
	"docstatus",
	"idx",
	"customer_name",
	"customer_type",
	"customer_group",
	"territory",
	"disabled",
)


def seed_customers(prefix: str, count: int, now, extra_fields=(), extra_values=tuple) -> list[str]:
	"""`count` company customers `<prefix>CUST-000000…` written in bulk into the first leaf customer group
	and territory; `extra_values()` gives each one's values of `extra_fields`. Returns their names."""
	group = frappe.get_all("Customer Group", filters={"is_group": 0}, pluck="name", limit=1)[0]
	territory = frappe.get_all("Territory", filters={"is_group": 0}, pluck="name", limit=1)[0]
	names = [f"{prefix}CUST-{number:06d}" for number in range(count)]
	row = (now, now, "Administrator", "Administrator", 0, 0)
	frappe.db.bulk_insert(
		"Customer",
		(*CUSTOMER_FIELDS, *extra_fields),
		[(name, *row, name, "Company", group, territory, 0, *extra_values()) for name in names],
		chunk_size=5000,
	)
	return names


def long_tail(count: int) -> list[float]:
	"""Weights for `rng.choices` over `count` customers: customer i weighs 1 / (i + 1) ** 0.8, so a few
	large customers and a long tail."""
	return [1 / (rank + 1) ** 0.8 for rank in range(count)]
