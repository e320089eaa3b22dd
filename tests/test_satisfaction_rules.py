from datetime import date, datetime

import pytest

from cs_procedures.procedures import satisfaction as s


def test_seed_formula_with_caps():
	assert s.satisfaction(88, 0, 0).satisfaction == 88
	assert s.satisfaction(88, 3, 1).satisfaction == 88 - 3 - 2
	assert s.satisfaction(88, 9, 0).complaint_deduction == 5  # 1 a complaint, at most 5
	assert s.satisfaction(88, 0, 7).return_deduction == 10  # 2 a return, at most 10
	assert s.satisfaction(90, 6, 6).satisfaction == 75
	assert s.complaint_deduction(-1) == 0 and s.return_deduction(0) == 0


def test_survey_score():
	answers = [s.Answer("q1", "Delivery", 18, 20), s.Answer("q2", "Service", 11.5, 20)]
	assert s.survey_score(answers) == 29.5


@pytest.mark.parametrize(
	"responded, invited, rate, valid", [(7, 10, 70.0, False), (8, 11, 72.7, True), (0, 0, 0.0, False)]
)
def test_validity_needs_more_than_seventy_percent(responded, invited, rate, valid):
	assert s.response_rate(responded, invited) == rate
	assert s.is_valid(rate) is valid


def test_low_items_keep_order():
	assert s.low_items({"a": 15, "b": 11.9, "c": 12, "d": 3}, 12) == ["b", "d"]


def test_category_routing():
	assert s.complaint_type_for("Product Quality") == "Quality"
	assert s.complaint_type_for("Delivery") == "Delivery"
	assert s.complaint_type_for("Service") == "Service"
	assert s.complaint_type_for("Unknown") == "Other"


def test_token_usable():
	now = datetime(2026, 6, 1, 12)
	assert s.token_usable(datetime(2026, 6, 30), False, now) is None
	assert s.token_usable(datetime(2026, 5, 31), False, now) == "expired"
	assert s.token_usable(None, False, now) == "expired"
	assert s.token_usable(datetime(2026, 6, 30), True, now) == "answered"


def test_reminders_once_per_step_and_not_after_reply_by():
	sent, reply_by = date(2026, 6, 1), date(2026, 6, 30)
	assert not s.reminder_due(sent, reply_by, 0, date(2026, 6, 7), (7, 14))
	assert s.reminder_due(sent, reply_by, 0, date(2026, 6, 8), (7, 14))
	assert not s.reminder_due(sent, reply_by, 1, date(2026, 6, 9), (7, 14))
	assert s.reminder_due(sent, reply_by, 1, date(2026, 6, 20), (14, 7))
	assert not s.reminder_due(sent, reply_by, 2, date(2026, 6, 25), (7, 14))
	assert not s.reminder_due(sent, reply_by, 0, date(2026, 7, 1), (7, 14))


@pytest.mark.parametrize(
	"frequency, day, period",
	[
		("Half-yearly", date(2026, 7, 1), (date(2026, 1, 1), date(2026, 6, 30))),
		("Half-yearly", date(2026, 1, 15), (date(2025, 7, 1), date(2025, 12, 31))),
		("Quarterly", date(2026, 5, 3), (date(2026, 1, 1), date(2026, 3, 31))),
		("Monthly", date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
		("Yearly", date(2026, 12, 1), (date(2025, 1, 1), date(2025, 12, 31))),
	],
)
def test_period_ending_before(frequency, day, period):
	assert s.period_ending_before(frequency, day) == period


def test_scheduled_period():
	assert s.scheduled_period("Every December", date(2026, 12, 3)) == (date(2026, 1, 1), date(2026, 12, 31))
	assert s.scheduled_period("Every December", date(2026, 11, 30)) is None
	assert s.scheduled_period("Quarterly", date(2026, 4, 1)) == (date(2026, 1, 1), date(2026, 3, 31))


def test_one_customer_one_result():
	# two contacts of Alpha answer 80 and 60: Alpha scores 70, its 2 complaints deducted once
	scores = s.customer_scores([("Alpha", 80), ("Beta", 90), ("Alpha", 60)])
	assert scores == {"Alpha": 70, "Beta": 90}
	results = s.customer_results(scores, {"Alpha": 2}, {"Beta": 1})
	assert results["Alpha"].satisfaction == 68 and results["Alpha"].complaint_deduction == 2
	assert results["Beta"].satisfaction == 88
	assert s.mean(r.satisfaction for r in results.values()) == 78  # not (78 + 58 + 88) / 3
	assert s.mean([]) == 0


def test_item_averages_per_customer_first():
	answers = [
		("Alpha", "q1", 20),
		("Alpha", "q2", 8),
		("Alpha", "q1", 16),
		("Alpha", "q2", 4),
		("Alpha", "q1", 12),
		("Alpha", "q2", 12),
		("Beta", "q1", 4),
		("Beta", "q2", 20),
	]
	items = s.customer_item_scores(answers)
	assert items == {"Alpha": {"q1": 16, "q2": 8}, "Beta": {"q1": 4, "q2": 20}}
	# per answer q1 would average 13 (passing); per customer it is (16 + 4) / 2 = 10
	assert s.item_averages(items, ["q1", "q2", "q3"]) == {"q1": 10, "q2": 14}
	assert s.item_pass_rate(items, "q1", 12) == 50.0 and s.item_pass_rate(items, "q3", 12) == 0
	assert s.low_customer_items(items, 12) == [("Alpha", "q2", 8), ("Beta", "q1", 4)]


def test_every_december_counts_up_to_the_closing_day():
	key = "Every December|Key Customers|||2026-01-01"
	assert s.schedule_frequency(key) == "Every December" and s.schedule_frequency(None) is None
	end, closing = date(2026, 12, 31), date(2026, 12, 15)
	assert s.period_end_at_close("Every December", end, closing) == closing
	assert s.period_end_at_close("Every December", end, date(2027, 1, 4)) == date(2027, 1, 4)
	assert s.period_end_at_close("Half-yearly", end, closing) == end
	assert s.period_end_at_close(None, end, closing) == end


def test_invalid_campaign_raises_nothing_and_complaint_channels():
	assert s.raises_follow_ups(s.is_valid(70.0)) is False
	assert s.raises_follow_ups(s.is_valid(70.1)) is True
	assert s.complaint_channel("Fax") == "Letter" and s.complaint_channel("Portal") == "Portal"
	assert s.complaint_channel(None) == "Phone"


def test_next_reminder_on():
	sent, reply_by = date(2026, 3, 1), date(2026, 3, 20)
	assert s.next_reminder_on(sent, reply_by, 0, [14, 7]) == date(2026, 3, 8)
	assert s.next_reminder_on(sent, reply_by, 1, [7, 14]) == date(2026, 3, 15)
	assert s.next_reminder_on(sent, reply_by, 2, [7, 14]) is None
	assert s.next_reminder_on(sent, date(2026, 3, 10), 1, [7, 14]) is None  # after the reply-by date


def test_callback_reasons_whatever_the_validity():
	"""001 4.4: a call-back for a total under the call-back mark, each item under the item mark, any remark."""
	items = {"Quality": 20, "Delivery": 8, "Service": 11.9}
	assert s.callback_reasons(87, 70, items, 12, ["", None]) == [
		(s.CALLBACK_ITEM, "Delivery", 8),
		(s.CALLBACK_ITEM, "Service", 11.9),
	]
	assert s.callback_reasons(65, 70, {"Quality": 12}, 12, []) == [(s.CALLBACK_TOTAL, 65)]
	assert s.callback_reasons(90, 70, {"Quality": 20}, 12, ["  ", "Packaging was torn"]) == [
		(s.CALLBACK_REMARK,)
	]
	assert s.callback_reasons(90, 70, {"Quality": 20}, 12, [" "]) == []
