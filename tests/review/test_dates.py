"""Dates mean what the user means: UK local dates (issue 9, point 3)."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.review import (
    OBLIGATIONS,
    KeyDates,
    ReviewOpened,
    ReviewSettings,
    Stage,
    TermsOfReferenceAgreed,
    is_working_day,
    record_event,
)
from bot.review.obligations import due_date
from tests.review.helpers import BOOK, USER, at, new_review, review_at

# 00:30 on 2 June 2026 in London (BST) is still 1 June in UTC.
HALF_PAST_MIDNIGHT_BST = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
UK_TODAY = date(2026, 6, 2)


def test_today_in_the_uk_at_half_past_midnight_bst_is_not_in_the_future() -> None:
    result = record_event(
        review_at(Stage.DECISION), TermsOfReferenceAgreed(on=UK_TODAY), USER, HALF_PAST_MIDNIGHT_BST, BOOK
    )
    assert result.history_entry.on == UK_TODAY


def test_an_undated_event_happened_on_the_uk_date() -> None:
    result = record_event(review_at(Stage.DECISION), TermsOfReferenceAgreed(), USER, HALF_PAST_MIDNIGHT_BST, BOOK)
    assert result.history_entry.on == UK_TODAY


def test_tomorrow_in_the_uk_is_still_in_the_future() -> None:
    with pytest.raises(ValueError, match="future"):
        record_event(
            review_at(Stage.DECISION), TermsOfReferenceAgreed(on=date(2026, 6, 3)), USER, HALF_PAST_MIDNIGHT_BST,
            BOOK,
        )


def test_the_one_month_decision_deadline_on_christmas_day_moves_to_the_next_working_day() -> None:
    review = new_review(key_dates=KeyDates(came_to_chair_attention=date(2026, 11, 25)))
    opened = record_event(review, ReviewOpened(), USER, at(date(2026, 11, 26)), BOOK).review
    # 25 December 2026 is a Friday; Monday 28 December is the Boxing Day substitute holiday.
    assert opened.obligation("O13-1").due == date(2026, 12, 29)


@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    settings=st.builds(
        ReviewSettings,
        promptly_working_days=st.integers(0, 20),
        lesson_working_days=st.integers(0, 20),
        decision_months=st.integers(1, 3),
        completion_months=st.integers(1, 12),
    ),
)
def test_no_fixed_due_date_falls_on_a_weekend_or_bank_holiday(start: date, settings: ReviewSettings) -> None:
    key_dates = KeyDates(came_to_chair_attention=start, decision_to_proceed=start)
    for obligation in OBLIGATIONS.values():
        due = due_date(obligation, start, key_dates, settings)
        assert due is None or is_working_day(due), (obligation.id, due)
