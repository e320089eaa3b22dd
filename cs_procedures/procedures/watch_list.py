"""优秀客户统计表 / 危险客户统计表 (002 ch7 §12–13) and the 重要客户 / 问题客户 lists they feed
(002 ch3 §10–11): the pure rules that put a customer on a watch list.

The seed's tables name what the lists look at without thresholds: the excellent customer by its
yearly trade and margin (ch7 §12), the dangerous one by its business performance, its financial
condition and the signs of its going under (经营表现 / 财务状况 / 破产征兆, ch7 §13); the problem
customer by the worsening of its trade and how the problems show (恶化趋势 / 问题表现, ch3 §11).
Here the financial condition is read from the receivables the customer lets fall overdue, the
problems from its complaints and returns of the last twelve months, the standing from the
customer grade (客户分级表, 002 ch3 §8: A–E by share of sales) and the credit grade (客户信用度变更表,
002 ch7 §11: AAA, AA, A, B). The thresholds below are this app's reading, one constant each.

A customer is "At Risk" when any one of the AT_RISK rules holds, "Excellent" when it is not at
risk and every EXCELLENT rule holds, and on neither list otherwise.
"""

from dataclasses import dataclass, field
from decimal import Decimal

EXCELLENT = "Excellent"
AT_RISK = "At Risk"
STATUSES = (EXCELLENT, AT_RISK)

# --- At Risk (危险客户, ch7 §13 财务状况 / 破产征兆; 问题客户, ch3 §11 问题表现): any one of these
# an invoice unpaid this many days after its due date: a quarter late is a sign of trouble paying
AT_RISK_OVERDUE_DAYS = 90
# this much overdue in all (company currency), however recent
AT_RISK_OVERDUE_AMOUNT = Decimal(100_000)
# this many complaints received in the last 12 months (002 ch6: repeated complaints)
AT_RISK_COMPLAINTS = 5
# this many returns of goods (return Delivery Notes) in the last 12 months
AT_RISK_RETURNS = 5
# the lowest credit grade, with anything overdue at all
AT_RISK_CREDIT_GRADES = ("B",)

# --- Excellent (优秀客户, ch7 §12: large yearly trade, good margin, pays): all of these
EXCELLENT_GRADES = ("A", "B")  # the customer grade: the first fifth of the year's sales (ch3 §8)
EXCELLENT_CREDIT_GRADES = ("AAA", "AA")  # the two best credit grades (ch7 §3)
EXCELLENT_MAX_COMPLAINTS = 1  # complaints in the last 12 months, at most
EXCELLENT_MAX_RETURNS = 1  # returns in the last 12 months, at most
# and nothing overdue: an excellent customer pays by the due date

# reasons, as codes (the report words them); each with the customer's figure and the threshold
OVERDUE_DAYS = "overdue_days"
OVERDUE_AMOUNT = "overdue_amount"
COMPLAINTS = "complaints"
RETURNS = "returns"
CREDIT_GRADE_OVERDUE = "credit_grade_overdue"
GOOD_STANDING = "good_standing"


@dataclass(frozen=True)
class Facts:
	"""What the rules read of one customer."""

	overdue_amount: Decimal | float | int = 0
	oldest_overdue_days: int = 0  # days since the due date of its oldest overdue invoice
	complaints: int = 0  # in the last 12 months
	returns: int = 0  # in the last 12 months
	grade: str | None = None  # Customer.cs_grade, A–E
	credit_grade: str | None = None  # Customer.cs_credit_grade, AAA / AA / A / B


@dataclass(frozen=True)
class Reason:
	code: str
	value: object = None
	threshold: object = None


@dataclass(frozen=True)
class Classification:
	status: str  # EXCELLENT, AT_RISK or ""
	reasons: tuple[Reason, ...] = field(default=())


def _amount(value) -> Decimal:
	if value is None or value == "":
		return Decimal(0)
	if isinstance(value, Decimal):
		return value
	return Decimal(str(value))


def at_risk_reasons(facts: Facts) -> tuple[Reason, ...]:
	overdue = _amount(facts.overdue_amount)
	days = int(facts.oldest_overdue_days or 0) if overdue > 0 else 0
	reasons = []
	if days > AT_RISK_OVERDUE_DAYS:
		reasons.append(Reason(OVERDUE_DAYS, days, AT_RISK_OVERDUE_DAYS))
	if overdue >= AT_RISK_OVERDUE_AMOUNT:
		reasons.append(Reason(OVERDUE_AMOUNT, overdue, AT_RISK_OVERDUE_AMOUNT))
	if (facts.complaints or 0) >= AT_RISK_COMPLAINTS:
		reasons.append(Reason(COMPLAINTS, facts.complaints, AT_RISK_COMPLAINTS))
	if (facts.returns or 0) >= AT_RISK_RETURNS:
		reasons.append(Reason(RETURNS, facts.returns, AT_RISK_RETURNS))
	if facts.credit_grade in AT_RISK_CREDIT_GRADES and overdue > 0:
		reasons.append(Reason(CREDIT_GRADE_OVERDUE, facts.credit_grade, overdue))
	return tuple(reasons)


def is_excellent(facts: Facts) -> bool:
	return (
		facts.grade in EXCELLENT_GRADES
		and facts.credit_grade in EXCELLENT_CREDIT_GRADES
		and _amount(facts.overdue_amount) <= 0
		and (facts.complaints or 0) <= EXCELLENT_MAX_COMPLAINTS
		and (facts.returns or 0) <= EXCELLENT_MAX_RETURNS
	)


def classify(facts: Facts) -> Classification:
	"""At Risk before Excellent: a customer that shows one sign of trouble is on no honour list."""
	reasons = at_risk_reasons(facts)
	if reasons:
		return Classification(AT_RISK, reasons)
	if is_excellent(facts):
		return Classification(EXCELLENT, (Reason(GOOD_STANDING, facts.grade, facts.credit_grade),))
	return Classification("")


def changes(current: dict[str, str | None], computed: dict[str, str]) -> dict[str, list[str]]:
	"""The customers whose stored status differs from the computed one, by new status ("" clears):
	what a review must write, nothing for a customer already right."""
	by_status: dict[str, list[str]] = {}
	for name, status in computed.items():
		if (current.get(name) or "") != (status or ""):
			by_status.setdefault(status or "", []).append(name)
	return by_status
