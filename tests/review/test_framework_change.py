"""Changing a review's framework after it was opened (framework_change.py): only before its first
step, with a reason; what the framework left owed and the new one does not is dropped and named in
the history, the shared policy duties stay, the new one's duties from the opening arise dated from
the opening, and the review goes on under the new framework."""

from datetime import date

import pytest

from bot.review import (
    BoardDecision,
    BoardDecisionMade,
    ReviewOpened,
    ReviewRuleError,
    allowed_events,
    record_event,
)
from bot.review.framework_change import FrameworkChanged, change_reasons
from bot.review.frameworks import FrameworkReason
from bot.review.model import KeyDates
from bot.review.pack_events import registry_for
from bot.review.serialisation import review_from_dict, review_to_dict
from bot.review.stages import EventType, Stage
from bot.review.working_days import add_working_days
from tests.review.helpers import BOOK, REP, SETTINGS, USER, at, new_review, play

OPENED_ON = date(2026, 12, 21)  # a Monday before Christmas: the bank holidays count
CAME = date(2026, 12, 14)
CHANGED_ON = date(2027, 1, 6)
ENGLAND = "england-cspr-2023"
WRONG_ONE = FrameworkReason.OPENED_UNDER_WRONG_ONE


def _opened(framework: str = "scr-2016"):  # type: ignore[no-untyped-def]
    # The case came to the board's attention a week before it was opened here.
    came = KeyDates(came_to_chair_attention=CAME)
    review, _ = play(new_review(framework=framework, key_dates=came), ReviewOpened(representative=REP), day=OPENED_ON)
    return review


def _change(review, framework: str, reason: FrameworkReason = WRONG_ONE):  # type: ignore[no-untyped-def]
    return record_event(review, FrameworkChanged(framework=framework, reason=reason), USER, at(CHANGED_ON), BOOK,
                        SETTINGS)


def _ids(review) -> list[str]:  # type: ignore[no-untyped-def]
    return [record.instance_id for record in review.obligations]


def test_a_review_opened_under_the_source_guidance_moves_to_the_cspr_before_its_first_step() -> None:
    opened = _opened()
    assert EventType.FRAMEWORK_CHANGED in allowed_events(opened)
    result = _change(opened, ENGLAND)
    review = result.review
    assert (review.framework, review.framework_version) == (ENGLAND, 5)
    assert review.stage.label == "Serious incident notified – rapid review to begin"
    # The policy's duties both share stay as they were; O13 (the board's decision in a month) is gone.
    assert _ids(review) == ["O1-1", "O2-1", "O3-1", "O7-1", "O15-1",
                            "notification-2", "rapid_review-2", "agency_summary-2"]
    assert result.history_entry.detail == (
        "Framework changed from Serious Case Review (scr-2016, version 1) to Child Safeguarding Practice Review "
        "(england-cspr-2023, version 5) because the review was opened here under the wrong framework; no longer "
        "owed under it: Board decision on whether to hold a review; the Child Safeguarding Practice Review's own "
        "criteria were not asked: the review was opened with the Serious Case Review's")
    notification = review.obligation("notification-2")
    # It arises as of the opening, and counts, as it would have, from the day the case came to the
    # board's attention; the rapid review's 15 working days run over Christmas.
    assert notification.triggered_on == OPENED_ON
    assert notification.due == add_working_days(CAME, 5) == date(2026, 12, 21)
    assert review.obligation("rapid_review-2").due == date(2027, 1, 7)
    assert review_from_dict(review_to_dict(review)).framework == ENGLAND


def test_the_review_then_goes_on_under_the_new_framework_and_can_no_longer_change() -> None:
    review = _change(_opened(), ENGLAND).review
    started = registry_for(ENGLAND)[EventType("rapid_review_started")].data(on=CHANGED_ON)
    review = record_event(review, started, USER, at(CHANGED_ON), BOOK, SETTINGS).review
    assert review.stage.label.startswith("Rapid review under way")
    assert EventType.FRAMEWORK_CHANGED not in allowed_events(review)
    with pytest.raises(ReviewRuleError, match="'framework changed' cannot be recorded now"):
        _change(review, "scr-2016")


def test_a_cspr_changed_back_to_the_source_guidance_owes_the_boards_decision_again() -> None:
    review = _change(_opened(ENGLAND), "scr-2016", FrameworkReason.BEGAN_BEFORE).review
    assert review.stage is Stage.REFERRAL
    assert [r.obligation_id for r in review.obligations] == ["O1", "O2", "O3", "O7", "O15", "O13"]
    assert "no longer owed under it: Waiting on the local authority: Notify the Child Safeguarding Practice " \
           "Review Panel" in review.history[-1].detail


def test_a_review_already_opened_after_its_first_step_under_the_source_guidance_cannot_change() -> None:
    review, _ = play(_opened(), BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW),
                     day=OPENED_ON)
    assert EventType.FRAMEWORK_CHANGED not in allowed_events(review)


@pytest.mark.parametrize(("framework", "why"), [
    ("scr-2016", "choose one of the other frameworks the bot guides in England"),
    ("scotland-learning-review-2021", "choose one of the other frameworks the bot guides in England"),
])
def test_a_change_to_its_own_framework_or_one_of_another_nation_is_refused(framework: str, why: str) -> None:
    opened = _opened()
    with pytest.raises(ReviewRuleError, match=why):
        _change(opened, framework)
    assert opened.framework == "scr-2016"


@pytest.mark.parametrize("fields", [{"framework": "no-such-pack", "reason": WRONG_ONE},
                                    {"framework": ENGLAND, "reason": "opened_under_wrong_one"}])
def test_a_change_names_a_framework_the_app_has_and_a_reason_from_the_list(fields: dict) -> None:
    with pytest.raises(ValueError):
        FrameworkChanged(**fields)


def test_began_before_is_a_reason_only_for_a_framework_older_than_the_one_in_force() -> None:
    opened = _opened()
    assert FrameworkReason.BEGAN_BEFORE not in change_reasons(opened)
    with pytest.raises(ReviewRuleError, match="is the framework in force for this case, so the review cannot have "
                                              "begun under it"):
        _change(opened, ENGLAND, FrameworkReason.BEGAN_BEFORE)
    assert FrameworkReason.BEGAN_BEFORE in change_reasons(_opened(ENGLAND))
