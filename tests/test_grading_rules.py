from decimal import Decimal
from fractions import Fraction

import pytest

from cs_procedures.procedures import grading as g


def grades(sales, method=g.CUMULATIVE, bands=g.DEFAULT_BANDS):
	return {customer: graded.grade for customer, graded in g.grade_all(sales, method, bands).items()}


def test_cumulative_share_is_the_sales_of_customers_selling_no_more():
	# 100 in all: the largest opens the first 40 %, then 20, 20, 10, 10
	sales = {"big": 40, "mid1": 20, "mid2": 20, "small": 10, "tiny": 10}
	shares = g.shares(sales, g.CUMULATIVE)
	assert shares == {
		"big": 100,
		"mid1": 60,  # 40 sold by a larger customer
		"mid2": 60,  # a tie: same share as its twin
		"small": 20,
		"tiny": 20,
	}
	assert grades(sales) == {"big": "A", "mid1": "D", "mid2": "D", "small": "E", "tiny": "E"}


def test_band_edges_are_inclusive_and_exact():
	# 1,000 in all; "tail" is the largest; the tied pair has 700.01 sold above it -> 29.999 %
	sales = {"first": 100, "second": 100, "third": Decimal("99.99"), "tail": Decimal("700.01")}
	shares = g.shares(sales)
	assert shares["tail"] == 100
	assert shares["first"] == shares["second"] == Fraction(29999, 1000)  # 700.01 above, of 1,000
	assert g.grade_for(90, g.DEFAULT_BANDS) == "A"
	assert g.grade_for(Fraction(8999999, 100000), g.DEFAULT_BANDS) == "B"
	assert g.grade_for(0.1 + 0.2 + 59.7, g.DEFAULT_BANDS) == "D"  # the float just over 60 is read as such
	assert g.grade_for(Fraction(5999, 100), g.DEFAULT_BANDS) == "E"
	assert g.grade_for(0, g.DEFAULT_BANDS) == "E"
	# shares in thirds never drift: 3 equal customers are all at 100 %
	assert set(g.shares({"x": Decimal("33.33"), "y": Decimal("33.33"), "z": Decimal("33.33")}).values()) == {
		100
	}


def test_cumulative_bands_of_a_graded_year():
	# 100 in all, largest first: 10 | 10 | 10 | 10 | 60 small ones of 1
	sales = {"a": 10, "b": 10.0, "c": Decimal("10"), "d": 10}
	sales.update({f"s{i:02d}": 1 for i in range(60)})
	# a tie of four at the top: nothing sold above any of them -> all 100 % -> A
	result = grades(sales)
	assert {result[c] for c in "abcd"} == {"A"}
	assert g.shares(sales)["s00"] == 60 and result["s00"] == "D"  # 40 above: exactly 60 % -> D
	sales = {"a": 10, "b": 9, "c": 9, "d": 8, "e": 64}  # 100: e 100, a 36, b/c 26, d 8
	assert g.shares(sales) == {"e": 100, "a": 36, "b": 26, "c": 26, "d": 8}


def test_the_a_edge_with_a_tie():
	# one customer of 10 % first; then two customers tied, each 5 %: they open at 10 % -> 90 % -> A
	sales = {"first": 10, "twin1": 5, "twin2": 5}
	sales.update({f"tail{i}": 1 for i in range(80)})
	shares = g.shares(sales)
	assert shares["first"] == 100
	assert shares["twin1"] == shares["twin2"] == 90
	assert shares["tail0"] == 80
	result = grades(sales)
	assert (result["first"], result["twin1"], result["twin2"], result["tail0"]) == ("A", "A", "A", "B")


def test_customers_without_sales_are_e_and_share_zero():
	sales = {"seller": 100, "idle": 0, "returns": -20, "none": None}
	for method in g.METHODS:
		shares = g.shares(sales, method)
		assert shares["idle"] == shares["returns"] == shares["none"] == 0
		assert grades(sales, method)["idle"] == "E"
		assert grades(sales, method)["seller"] == "A"


def test_a_year_without_sales_grades_everyone_e():
	for method in g.METHODS:
		assert grades({"a": 0, "b": 0}, method) == {"a": "E", "b": "E"}
	assert g.grade_all({}) == {}


def test_share_of_the_largest_customer():
	sales = {"a": 200, "b": 180, "c": 150, "d": 119, "e": 10}
	assert g.shares(sales, g.OF_LARGEST) == {"a": 100, "b": 90, "c": 75, "d": Fraction(595, 10), "e": 5}
	assert grades(sales, g.OF_LARGEST) == {"a": "A", "b": "A", "c": "C", "d": "E", "e": "E"}


def test_percentile_of_customers():
	sales = {f"c{i}": i for i in range(1, 11)}  # 1..10
	shares = g.shares(sales, g.PERCENTILE)
	assert shares["c10"] == 100 and shares["c9"] == 90 and shares["c1"] == 10
	assert grades(sales, g.PERCENTILE)["c9"] == "A"
	assert grades(sales, g.PERCENTILE)["c8"] == "B"
	tied = {"x": 5, "y": 5, "z": 1, "w": 0}
	assert g.shares(tied, g.PERCENTILE) == {"x": 100, "y": 100, "z": 50, "w": 0}


def test_configured_bands():
	bands = [("A", 50), ("B", 0)]
	assert g.grade_for(50, bands) == "A"
	assert g.grade_for(49.99, bands) == "B"
	assert g.band_problems(bands) == []
	assert g.band_problems(g.DEFAULT_BANDS) == []


@pytest.mark.parametrize(
	"bands, problem",
	[
		([], g.NO_BANDS),
		([("A", 90), ("A", 0)], g.DUPLICATE_GRADE),
		([("F", 90), ("E", 0)], g.UNKNOWN_GRADE),
		([("A", 120), ("E", 0)], g.OUT_OF_RANGE),
		([("A", -1), ("E", 0)], g.OUT_OF_RANGE),
		([("A", 50), ("B", 50), ("E", 0)], g.DUPLICATE_MINIMUM),
		([("A", 90), ("E", 10)], g.NO_ZERO_BAND),
	],
)
def test_band_problems(bands, problem):
	assert problem in {found for found, _grade in g.band_problems(bands)}


def test_unknown_method_is_refused():
	with pytest.raises(ValueError):
		g.shares({"a": 1}, "Guess")


def test_growth_and_top():
	assert g.growth(150, 100) == 50
	assert g.growth(50, 100) == -50
	assert g.growth(100, 0) is None
	assert g.growth(100, None) is None
	rows = [{"customer": f"c{i}", "sales": i % 4, "growth": None if i == 3 else i} for i in range(15)]
	ranked = g.top(rows, "sales", 3)
	assert [row["customer"] for row in ranked] == ["c11", "c3", "c7"]  # ties by name
	assert "c3" not in [row["customer"] for row in g.top(rows, "growth", 20)]
	assert len(g.top(rows, "growth")) == 10


def test_ten_thousand_customers_grade_quickly():
	import time

	sales = {f"c{i:05d}": Decimal(i % 997) * Decimal("13.37") for i in range(10_000)}
	started = time.perf_counter()
	graded = g.grade_all(sales)
	assert time.perf_counter() - started < 2
	assert {graded[c].grade for c in graded} == set(g.GRADES)
