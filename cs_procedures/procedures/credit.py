"""Credit and the customer file (002 ch2 §8–9 and §16, ch7 §3, §8–11, §14–20; 000 I-2), free of Frappe.

The credit investigation (客户信用调查表) rates the seed's criteria on their five levels; the weighted
score gives the credit grade of the customer grade table (客户等级分类表 AAA / AA / A / B). The seed's
form leaves the weights to the company: these are the app's defaults, heaviest on how the customer
pays. The customer file (客户资料卡) has a confidentiality level (密级) that limits who reads it.
"""

from __future__ import annotations

from collections.abc import Mapping

# criterion -> (weight, {level: points out of 100}); the levels are the seed's, in English
LEVELS_5 = {"Very Good": 100, "Good": 80, "Fair": 60, "Poor": 30, "Very Poor": 0}  # 很好 好 普通 差 很差
CRITERIA = {
	"payment_attitude": (30, {"Prompt": 100, "Normal": 80, "Acceptable": 60, "Late": 30, "Reluctant": 10, "Leaves Balances Unpaid": 0}),  # 付款态度: 爽快 普通 尚可 迟延 为难 拖欠尾款
	"bank_credit": (20, LEVELS_5),  # 往来银行 银行信用
	"peer_evaluation": (15, LEVELS_5),  # 同业者评
	"neighbour_evaluation": (5, LEVELS_5),  # 近邻评价
	"accounting_system": (10, {"Complete": 100, "Incomplete": 30}),  # 账务体系: 完备 不完备
	"organisation": (5, {"Joint-Stock Company": 100, "Joint Venture": 80, "Sole Proprietor": 50}),  # 经营组织
	"location": (5, {"Busy Commercial District": 100, "Ordinary Commercial District": 70, "Remote Area": 40}),  # 场所
	"prospects": (10, {"A": 100, "B": 75, "C": 50, "D": 20}),  # 发展前景 A B C D (信用调查总表)
}  # fmt: skip
# the credit grades (客户等级分类表), best first, and the least score of each
GRADES = (("AAA", 85), ("AA", 70), ("A", 55), ("B", 0))
MISSING_CRITERIA = "missing_criteria"

# 密级 of a customer file -> the roles that read it besides the CS Manager (who keeps the files)
INTERNAL, CONFIDENTIAL, SECRET = "Internal", "Confidential", "Secret"
READERS = {
	INTERNAL: ("CS Officer", "CS Department Head", "CS Vice President", "CS General Manager", "Sales User", "Sales Manager"),
	CONFIDENTIAL: ("CS Vice President", "CS General Manager"),
	SECRET: ("CS General Manager",),
}  # fmt: skip
KEEPER = "CS Manager"


def score(ratings: Mapping[str, str | None]) -> tuple[float | None, str | None]:
	"""(weighted score 0–100, problem code): every criterion must be rated on one of its levels."""
	if any(ratings.get(key) not in levels for key, (_weight, levels) in CRITERIA.items()):
		return None, MISSING_CRITERIA
	total = sum(weight * levels[ratings[key]] for key, (weight, levels) in CRITERIA.items())
	return round(total / sum(weight for weight, _levels in CRITERIA.values()), 1), None


def grade_for_score(value: float) -> str:
	return next(grade for grade, least in GRADES if value >= least)


def may_read_file(level: str | None, roles: set[str]) -> bool:
	"""Whether a user with `roles` reads a customer file of confidentiality `level`."""
	if KEEPER in roles or "System Manager" in roles:
		return True
	return bool(set(READERS.get(level or INTERNAL, ())) & roles)


def readable_levels(roles: set[str]) -> list[str]:
	return [level for level in READERS if may_read_file(level, roles)]


# --- credit change (客户信用度变更表) and closing an account (客户注销) ------------------------------

NOTHING_CHANGES, LIMIT_NEGATIVE = "nothing_changes", "limit_negative"


def change_problem(old_grade, new_grade, old_limit: float, new_limit: float | None) -> str | None:
	if new_limit is not None and new_limit < 0:
		return LIMIT_NEGATIVE
	if (new_grade or old_grade) == old_grade and (new_limit is None or new_limit == old_limit):
		return NOTHING_CHANGES
	return None
