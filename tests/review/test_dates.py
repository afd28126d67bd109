"""Dates mean what the user means: UK local dates, due on working days, in the flow chart's order
(issue 9, point 3)."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.review import (
    OBLIGATIONS,
    ActionsConfirmedComplete,
    BoardDecision,
    BoardDecisionMade,
    Closed,
    Event,
    EventType,
    ImrCompleted,
    KeyDates,
    Published,
    Review,
    ReviewOpened,
    ReviewSettings,
    Stage,
    TermsOfReferenceAgreed,
    cite,
    is_working_day,
    record_event,
)
from bot.review.chronology import DatesOutOfOrder, earliest
from bot.review.obligations import due_date
from tests.review.helpers import BOOK, INDEPENDENT_AUTHOR, USER, at, events_to, new_review, play, review_at

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


def _reached(stage: Stage, on: date) -> Review:
    """A review referred on 2 February 2026 whose milestones up to ``stage`` happened ``on``."""
    review, _ = play(
        new_review(key_dates=KeyDates(came_to_chair_attention=date(2026, 2, 2))), *events_to(stage, on), day=RECORDED
    )
    return review


RECORDED = date(2026, 6, 1)  # every date below is recorded late, on this day
FIFTH_MARCH = date(2026, 3, 5)
THIRD_MARCH = date(2026, 3, 3)


@pytest.mark.parametrize(
    ("stage", "event", "message"),
    [
        pytest.param(
            Stage.REFERRAL,
            BoardDecisionMade(decision=BoardDecision.NOT_PROCEEDING, on=date(2026, 2, 1)),
            "The date of the board's decision (1 February 2026) cannot be before the date the case came to the "
            "board chair's attention (2 February 2026).",
            id="decision_before_the_case_came_to_the_chair",
        ),
        pytest.param(
            Stage.DECISION,
            TermsOfReferenceAgreed(on=THIRD_MARCH),
            "The date the terms of reference were agreed (3 March 2026) cannot be before the date of the "
            "board's decision (5 March 2026).",
            id="terms_of_reference_before_the_decision",
        ),
        pytest.param(
            Stage.TERMS_OF_REFERENCE,
            ImrCompleted(author=INDEPENDENT_AUTHOR, on=THIRD_MARCH),
            "The date the IMR was completed (3 March 2026) cannot be before the date the terms of reference "
            "were agreed (5 March 2026).",
            id="imr_before_the_terms_of_reference",
        ),
        pytest.param(
            Stage.APPROVED,
            Published(on=THIRD_MARCH),
            "The date of publication (3 March 2026) cannot be before the date the board approved the report "
            "(5 March 2026).",
            id="publication_before_approval",
        ),
        pytest.param(
            Stage.IMPLEMENTATION,
            Closed(on=THIRD_MARCH),
            "The date the review was closed (3 March 2026) cannot be before the date the actions were "
            "confirmed complete (5 March 2026).",
            id="closed_before_everything_else",
        ),
    ],
)
def test_para_4_1_a_milestone_dated_before_the_one_it_follows_is_refused_naming_both_dates(
    stage: Stage, event: Event, message: str
) -> None:
    review = _reached(stage, FIFTH_MARCH)
    with pytest.raises(DatesOutOfOrder) as refused:
        record_event(review, event, USER, at(RECORDED), BOOK)
    assert refused.value.message == message
    assert refused.value.paragraphs == cite("4.1")


def test_para_4_1_a_milestone_on_the_same_day_as_the_one_before_is_accepted() -> None:
    review, _ = play(_reached(Stage.APPROVED, FIFTH_MARCH), Published(on=FIFTH_MARCH), day=RECORDED)
    assert review.key_dates.published == FIFTH_MARCH


def test_para_7_3_7_actions_may_be_confirmed_before_publication_but_not_before_the_action_plan() -> None:
    published, _ = play(_reached(Stage.APPROVED, THIRD_MARCH), Published(on=FIFTH_MARCH), day=RECORDED)
    play(published, ActionsConfirmedComplete(on=date(2026, 3, 4)), day=RECORDED)
    with pytest.raises(DatesOutOfOrder, match="the date the action plan was agreed"):
        play(published, ActionsConfirmedComplete(on=date(2026, 3, 2)), day=RECORDED)


def test_earliest_names_the_latest_milestone_recorded_before_an_event() -> None:
    review = _reached(Stage.TERMS_OF_REFERENCE, FIFTH_MARCH)
    limit = earliest(review, EventType.IMR_COMPLETED)
    assert limit is not None and (limit.on, limit.milestone.event) == (
        FIFTH_MARCH, EventType.TERMS_OF_REFERENCE_AGREED)
    assert earliest(review, EventType.LESSON_IDENTIFIED) is None
