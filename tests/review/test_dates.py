"""Dates mean what the user means: UK local dates (issue 9, point 3)."""

from datetime import UTC, date, datetime

import pytest

from bot.review import Stage, TermsOfReferenceAgreed, record_event
from tests.review.helpers import BOOK, USER, review_at

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
