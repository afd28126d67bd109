"""A due date set on one review for a timescale its framework's sources leave unset (the partners
ask for the agency summary by a date of their own): only for such a duty, never before it arose,
and reminders and the next steps then count to it."""

from datetime import date

import pytest

from bot.review import ReviewOpened, ReviewRuleError, allowed_events, next_steps, outstanding, record_event
from bot.review.due_dates import DueDateSet, datable
from bot.review.events import PanelMeetingScheduled
from bot.review.model import KeyDates
from bot.review.obligations import DueStatus
from bot.review.pack_events import registry_for
from bot.review.stages import EventType
from bot.review.working_days import working_days_between
from tests.review.helpers import BOOK, REP, SETTINGS, USER, at, new_review, play

OPENED_ON = date(2026, 12, 21)
ENGLAND = "england-cspr-2023"


def _opened():  # type: ignore[no-untyped-def]
    review = new_review(framework=ENGLAND, key_dates=KeyDates(came_to_chair_attention=OPENED_ON))
    review, _ = play(review, ReviewOpened(representative=REP), day=OPENED_ON)
    return review


def _set(review, instance_id: str, due: date):  # type: ignore[no-untyped-def]
    return record_event(review, DueDateSet(instance_id=instance_id, due=due), USER, at(OPENED_ON), BOOK, SETTINGS)


def test_the_agency_summary_asked_for_by_a_date_is_then_due_and_reminded_by_it() -> None:
    review = _opened()
    assert [record.instance_id for record in datable(review)] == ["agency_summary-1"]
    assert any(step.text.startswith("No date: the timescale is not set") for step in next_steps(review, OPENED_ON))
    result = _set(review, "agency_summary-1", date(2027, 1, 8))
    review = result.review
    assert review.obligation("agency_summary-1").due == date(2027, 1, 8)
    assert result.history_entry.detail == ("Due date set on this review: Send the Home Office agency summary to the "
                                           "safeguarding partners – due 8 January 2027")
    status = next(s for s in outstanding(review, date(2027, 1, 8)) if s.instance_id == "agency_summary-1")
    assert status.status is DueStatus.DUE_TODAY
    assert not any(step.text.startswith("No date") for step in next_steps(review, OPENED_ON))
    # The partners may move it: it can be set again while the duty is open.
    assert _set(review, "agency_summary-1", date(2027, 1, 11)).review.obligation("agency_summary-1").due == \
        date(2027, 1, 11)


@pytest.mark.parametrize(("instance_id", "due", "why"), [
    ("O2-1", date(2027, 1, 8), "only an open duty whose timescale its framework does not fix"),
    ("notification-1", date(2027, 1, 8), "only an open duty whose timescale its framework does not fix"),
    ("agency_summary-1", date(2026, 12, 18), "cannot be before the duty arose"),
])
def test_a_date_its_sources_fix_or_one_before_the_duty_arose_is_refused(instance_id: str, due: date,
                                                                         why: str) -> None:
    review = _opened()
    with pytest.raises(ReviewRuleError, match=why):
        _set(review, instance_id, due)


def test_once_the_summary_is_sent_no_date_is_left_to_set_and_the_source_guidance_has_none() -> None:
    review = _opened()
    assert EventType.DUE_DATE_SET in allowed_events(review)
    registry = registry_for(ENGLAND)
    for name in ("rapid_review_started", "agency_summary_sent"):
        review = record_event(review, registry[EventType(name)].data(on=OPENED_ON), USER, at(OPENED_ON), BOOK,
                              SETTINGS).review
    assert datable(review) == [] and EventType.DUE_DATE_SET not in allowed_events(review)
    assert EventType.DUE_DATE_SET not in registry_for("scr-2016")


def test_a_date_further_ahead_than_five_years_is_a_slip_and_refused_as_is_such_a_meeting() -> None:
    review = _opened()
    with pytest.raises(ReviewRuleError, match="cannot be more than 5 years ahead: check the year"):
        _set(review, "agency_summary-1", date(9999, 12, 31))
    assert _set(review, "agency_summary-1", date(2031, 12, 19)).review.obligation("agency_summary-1").due
    with pytest.raises(ReviewRuleError, match="The date of the meeting cannot be more than 5 years ahead"):
        play(review, PanelMeetingScheduled(meeting_on=date(9999, 12, 31)), day=OPENED_ON)


def test_working_days_are_counted_up_to_the_last_date_there_is() -> None:
    assert working_days_between(date(9999, 12, 24), date.max) == 5
