"""Small parts of the frameworks that had no test of their own: a review kept under the source
guidance because it began before the newer framework applied (FrameworkReason.BEGAN_BEFORE), the
stages a review reaches past an event (FrameworkPack.stages_after), and the article before a
review's name in emails (kinds.with_article)."""

from dataclasses import replace
from datetime import date

import pytest

from bot.review import BusinessArea, Nation, ReviewKind, ReviewOpened, review_from_dict, review_to_dict
from bot.review.frameworks import SCR_2016, FrameworkReason, catalogue
from bot.review.kinds import with_article
from bot.review.opening import OpeningRequest, plan_opening
from bot.review.pack_schema import FrameworkPack, PackEvent
from tests.review.helpers import BOOK, DAY, REP, SETTINGS, USER, at, new_review, play

ENGLAND = "england-cspr-2023"
# A case that reached the chair on 2 March 2026, when England's 2023 pack is in force.
CAME = DAY
BEGAN_BEFORE_WORDS = (f"; framework {SCR_2016} (version 1) rather than {ENGLAND}, in force for its nation and date, "
                      "because the review began under this framework, before the newer one applied in its area")


def _request(**overrides: object) -> OpeningRequest:
    fields: dict[str, object] = {
        "reference": "LSCB-2026-021", "nation": Nation.ENGLAND, "board_name": "Exampleshire LSCB",
        "business_areas": (BusinessArea.UKVI,), "kind": ReviewKind.STATUTORY, "came_to_chair_attention": CAME,
        "decision_to_proceed": None, "eligibility": new_review().eligibility,
        "representative": REP.answers, "email": REP.member.email,
    }
    fields.update(overrides)
    return OpeningRequest(**fields)  # type: ignore[arg-type]


def _plan(request: OpeningRequest):  # type: ignore[no-untyped-def]
    return plan_opening(request, user_id=USER, at=at(date(2026, 3, 3)), address_book=BOOK, settings=SETTINGS)


# --- FrameworkReason.BEGAN_BEFORE --------------------------------------------------------------------


def test_a_review_that_began_before_the_2023_framework_is_opened_under_the_source_guidance_saying_why() -> None:
    assert catalogue().for_review(Nation.ENGLAND, CAME).id == ENGLAND
    plan = _plan(_request(framework=SCR_2016, framework_reason=FrameworkReason.BEGAN_BEFORE))
    assert (plan.framework.id, plan.in_force.id, plan.reason) == (SCR_2016, ENGLAND, FrameworkReason.BEGAN_BEFORE)
    review = plan.review
    assert (review.framework, review.framework_version) == (SCR_2016, 1)
    assert BEGAN_BEFORE_WORDS in review.history[0].detail
    assert review.review_name == "Serious Case Review"
    assert plan.notifications[0].subject == "OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-021 – review opened"
    # Kept as recorded: the history entry survives storage word for word.
    assert review_from_dict(review_to_dict(review)).history[0].detail == review.history[0].detail


def test_the_source_guidance_instead_of_the_framework_in_force_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="Say why the review follows Serious Case Review rather than Child "
                                         "Safeguarding Practice Review"):
        _plan(_request(framework=SCR_2016))


def test_a_review_under_the_framework_in_force_records_no_reason_even_if_one_is_given() -> None:
    plan = _plan(_request(framework=ENGLAND, framework_reason=FrameworkReason.BEGAN_BEFORE, eligibility=None,
                          criteria_answers={"S1": True, "S2": True, "S3": False}))
    assert plan.reason is None and "rather than" not in plan.review.history[0].detail


def test_the_reason_is_worded_in_the_history_entry_the_opening_event_makes() -> None:
    opening = ReviewOpened(representative=REP, instead_of=ENGLAND, reason=FrameworkReason.BEGAN_BEFORE)
    _, [opened] = play(new_review(), opening)
    assert BEGAN_BEFORE_WORDS in opened.history_entry.detail
    _, [without] = play(new_review(), ReviewOpened(representative=REP, instead_of=ENGLAND))
    assert "rather than" not in without.history_entry.detail


def test_each_reason_is_stored_by_a_stable_value() -> None:
    assert {reason.value for reason in FrameworkReason} == {"board_says", "began_before", "opened_under_wrong_one"}
    assert [reason for reason in FrameworkReason if reason.at_opening] == [FrameworkReason.BOARD_SAYS,
                                                                          FrameworkReason.BEGAN_BEFORE]
    assert FrameworkReason("began_before") is FrameworkReason.BEGAN_BEFORE


# --- FrameworkPack.stages_after ------------------------------------------------------------------------


def _event(pack: FrameworkPack, event_id: str) -> PackEvent:
    return next(event for event in pack.events if event.id == event_id)


@pytest.mark.parametrize(("pack_id", "event_id", "after"), [
    # From the committee's decision onwards: any of the three ways on, in the pack's order.
    ("scotland-learning-review-2021", "review_decided", ("learning_review", "not_proceeding", "ratified")),
    ("scotland-learning-review-2021", "review_ratified", ("ratified",)),
    ("wales-susr", "case_review_group_met", ("case_review_group", "review", "action_plan")),
    ("wales-susr", "action_plan_signed_off", ("action_plan",)),
    # The agency summary is sent at the rapid review and leaves it there: that stage is not "after".
    (ENGLAND, "agency_summary_sent", ("lcspr_decision", "lcspr", "national_review", "no_lcspr", "published",
                                      "closed")),
    (ENGLAND, "lcspr_published", ("published", "closed")),
])
def test_stages_after_an_event_are_those_reached_once_its_own_stages_are_left(
    pack_id: str, event_id: str, after: tuple[str, ...]
) -> None:
    pack = catalogue().pack(pack_id)
    assert pack.stages_after(_event(pack, event_id)) == after


def test_a_stage_the_review_can_come_back_to_is_never_after_the_event() -> None:
    """A loop back to the event's own stage (a pack letting a review return for more work) does not
    make that stage one the review has moved past, and the walk ends."""
    pack = catalogue().pack("wales-susr")
    back = PackEvent("more_work", "The board asked for more work", ("review",), "case_review_group", ())
    looping = replace(pack, events=(*pack.events, back))
    assert looping.stages_after(_event(looping, "review_decided")) == ("review", "action_plan")
    assert looping.stages_after(_event(looping, "action_plan_signed_off")) == ("case_review_group", "action_plan")


def test_an_event_at_a_stage_nothing_leaves_has_no_stages_after() -> None:
    pack = catalogue().pack("wales-susr")
    at_the_end = PackEvent("noted", "Noted", ("action_plan",), "action_plan", ())
    assert replace(pack, events=(*pack.events, at_the_end)).stages_after(at_the_end) == ()


# --- with_article ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "worded"), [
    ("Serious Case Review", "a Serious Case Review"),
    ("Learning Review", "a Learning Review"),
    ("Child Safeguarding Practice Review", "a Child Safeguarding Practice Review"),
    ("Single Unified Safeguarding Review", "a Single Unified Safeguarding Review"),
    ("Case Management Review", "a Case Management Review"),
    ("Independent (inter-agency) Management Review", "an Independent (inter-agency) Management Review"),
    ("Smaller-scale audit", "a Smaller-scale audit"),
    ("audit", "an audit"),
    ("Open review", "an Open review"),
    ("Exceptional review", "an Exceptional review"),
])
def test_with_article_uses_an_before_a_vowel_whatever_its_case(name: str, worded: str) -> None:
    assert with_article(name) == worded

