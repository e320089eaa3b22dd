"""客户分级表 (002 ch3 §8) and 重点客户管理表 (002 ch3 §9): the pure rules.

A customer's grade follows its *share* of the year's sales, read against bands (A from 90 %,
B from 80 %, C from 70 %, D from 60 %, E below). How the share is measured is a setting:

- Cumulative share of sales (the default, an ABC/Pareto reading): customers are sorted by sales,
  largest first; a customer's share is the part of the year's sales made by customers that sold
  no more than it, i.e. 100 % less the cumulative share of the customers that sold strictly more.
  The largest customer has 100 %; A are the customers that open the first 10 % of the year's
  sales, B the next 10 %, and so on; E the customers after the first 40 %. Customers with equal
  sales have equal shares (a tie never splits across a band edge).
- Share of the largest customer's sales: the customer's sales as a percentage of the largest
  customer's sales.
- Percentile of customers: the percentage of the graded customers that sold no more than it.

A customer without (positive) sales in the year has a share of 0 % under every method. Shares are
compared with the bands exactly (fractions, not floats): a share of exactly 90 % is an A.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

CUMULATIVE = "Cumulative Share of Sales"
OF_LARGEST = "Share of the Largest Customer's Sales"
PERCENTILE = "Percentile of Customers"
METHODS = (CUMULATIVE, OF_LARGEST, PERCENTILE)
GRADES = ("A", "B", "C", "D", "E")
DEFAULT_BANDS = (("A", 90), ("B", 80), ("C", 70), ("D", 60), ("E", 0))

# problems found in a set of bands
NO_BANDS = "no_bands"
DUPLICATE_GRADE = "duplicate_grade"
UNKNOWN_GRADE = "unknown_grade"
OUT_OF_RANGE = "out_of_range"
DUPLICATE_MINIMUM = "duplicate_minimum"
NO_ZERO_BAND = "no_zero_band"


@dataclass(frozen=True)
class Graded:
	sales: Fraction
	share: Fraction  # percent, 0..100
	grade: str

	@property
	def share_percent(self) -> float:
		return float(round(self.share, 4))


def exact(value) -> Fraction:
	"""A money or percent value as an exact fraction (a float goes through its shortest repr)."""
	if value is None or value == "":
		return Fraction(0)
	if isinstance(value, Fraction | int):
		return Fraction(value)
	if isinstance(value, Decimal):
		return Fraction(value)
	return Fraction(Decimal(str(value)))


def band_problems(bands) -> list[tuple[str, str | None]]:
	"""What is wrong with `bands` ((grade, minimum share %) pairs): (problem, grade) pairs."""
	bands = list(bands)
	if not bands:
		return [(NO_BANDS, None)]
	problems, grades, minimums = [], set(), set()
	for grade, minimum in bands:
		if grade not in GRADES:
			problems.append((UNKNOWN_GRADE, grade))
		elif grade in grades:
			problems.append((DUPLICATE_GRADE, grade))
		grades.add(grade)
		low = exact(minimum)
		if low < 0 or low > 100:
			problems.append((OUT_OF_RANGE, grade))
		elif low in minimums:
			problems.append((DUPLICATE_MINIMUM, grade))
		minimums.add(low)
	if Fraction(0) not in minimums:
		problems.append((NO_ZERO_BAND, None))
	return problems


def ordered_bands(bands) -> list[tuple[str, Fraction]]:
	"""Bands from the highest minimum down; `bands` must have no problems."""
	return sorted(((grade, exact(minimum)) for grade, minimum in bands), key=lambda band: -band[1])


def grade_for(share, bands) -> str:
	"""The grade of the first band (highest minimum first) whose minimum the share reaches."""
	share = exact(share)
	ordered = ordered_bands(bands)
	for grade, minimum in ordered:
		if share >= minimum:
			return grade
	return ordered[-1][0]


def shares(sales: dict, method: str = CUMULATIVE) -> dict:
	"""Each customer's share (percent, exact) of the year's sales under `method`."""
	if method not in METHODS:
		raise ValueError(f"Unknown grading method: {method}")
	amounts = {customer: max(exact(value), Fraction(0)) for customer, value in sales.items()}
	result = dict.fromkeys(amounts, Fraction(0))
	selling = sorted((value for value in amounts.values() if value > 0), reverse=True)
	if not selling:
		return result
	if method == OF_LARGEST:
		largest = selling[0]
		for customer, value in amounts.items():
			result[customer] = value * 100 / largest
		return result
	if method == CUMULATIVE:
		total = sum(selling)
		above, larger_than = Fraction(0), {}
		for value in selling:  # largest first; equal values see the same sum above them
			if value not in larger_than:
				larger_than[value] = above
			above += value
		for customer, value in amounts.items():
			if value > 0:
				result[customer] = (total - larger_than[value]) * 100 / total
		return result
	# PERCENTILE: the part of the graded customers (with or without sales) selling no more
	count = len(amounts)
	at_most, seen = {}, 0
	ascending = sorted(amounts.values())
	for index, value in enumerate(ascending):
		seen = index + 1
		at_most[value] = seen  # the last index of equal values wins
	for customer, value in amounts.items():
		if value > 0:
			result[customer] = Fraction(at_most[value] * 100, count)
	return result


def grade_all(sales: dict, method: str = CUMULATIVE, bands=DEFAULT_BANDS) -> dict[str, Graded]:
	"""Every customer of `sales` (customer -> net sales of the year) graded."""
	return {
		customer: Graded(exact(sales[customer]), share, grade_for(share, bands))
		for customer, share in shares(sales, method).items()
	}


def growth(current, previous) -> float | None:
	"""Sales growth in percent over the previous year; None without sales the previous year."""
	current, previous = exact(current), exact(previous)
	if previous <= 0:
		return None
	return float(round((current - previous) * 100 / previous, 4))


def top(rows, key: str, count: int = 10) -> list:
	"""The first `count` rows by `key`, largest first (rows without a value left out), ties by name."""
	ranked = [row for row in rows if row.get(key) is not None]
	ranked.sort(key=lambda row: (-exact(row[key]), str(row.get("customer"))))
	return ranked[:count]
