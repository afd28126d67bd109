"""A review under england-cspr-2023 runs from its pack: its stages and events, its timescales as
obligations (the representative's own, or the local authority's and partners' they watch), the
organisation policy's duties on top, and the pack's name in every subject."""

from datetime import date

import pytest

from bot.review import (
    BusinessArea,
    Nation,
    ObligationState,
    ReviewOpened,
    ReviewRuleError,
    forward_event,
    next_steps,
    outstanding,
)
from bot.review.documents import named_for
from bot.review.frameworks import catalogue
from bot.review.model import KeyDates
from bot.review.obligations import missed, obligation_of
from bot.review.pack_events import registry_for
from bot.review.retention import ended_on, removable_from
from bot.review.serialisation import review_from_dict, review_to_dict
from bot.review.settings import ReviewSettings
from bot.review.stages import EventType, stage_of
from tests.review.helpers import BOOK, REP, REPORT_LINK, SETTINGS, USER, at, new_review, play

ENGLAND = "england-cspr-2023"
REGISTRY = registry_for(ENGLAND)
OPENED_ON = date(2026, 12, 21)  # a Monday before Christmas: the bank holidays count
SUMMARY_COPY = REPORT_LINK
SUBJECT = "OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – CSPR-2026-003 – "


def _event(name: str, **fields: object) -> object:
    return REGISTRY[EventType(name)].data(**fields)


def _opened(day: date = OPENED_ON):  # type: ignore[no-untyped-def]
    review = new_review(framework=ENGLAND, reference="CSPR-2026-003", board_name="Exampleshire Partnership",
                        key_dates=KeyDates(came_to_chair_attention=day))
    return play(review, ReviewOpened(representative=REP), day=day)


def _states(review) -> dict[str, ObligationState]:  # type: ignore[no-untyped-def]
    return {record.obligation_id: record.state for record in review.obligations}


def test_opening_starts_at_the_notification_with_the_policy_duties_and_the_packs_timescales() -> None:
    review, [opened] = _opened()
    assert review.stage == stage_of(ENGLAND, "notified")
    assert [r.obligation_id for r in review.obligations] == [
        "O1", "O2", "O3", "O7", "O15", "notification", "rapid_review", "agency_summary"]
    due = {r.obligation_id: r.due for r in review.obligations}
    # 5 and 15 working days, skipping Christmas Day and the Boxing Day holiday on Monday 28th.
    assert due["notification"] == date(2026, 12, 30)
    assert due["rapid_review"] == date(2027, 1, 14)
    assert due["agency_summary"] is None  # its sources set no timescale: no date is invented
    [email] = opened.notifications
    assert email.subject == "OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – CSPR-2026-003 – review opened"
    assert "Working Together 2023 notification" in opened.citations.text
    assert "Board: Exampleshire Partnership – safeguarding partners" in email.body_text


def test_the_local_authoritys_and_partners_timescales_are_watched_not_owed() -> None:
    review, _ = _opened()
    watched = obligation_of(review, "notification")
    assert watched.title.startswith("Waiting on the local authority: Notify the Child Safeguarding Practice")
    assert watched.waits_on == "local authority" and watched.paragraphs.text == "Working Together 2023 notification"
    assert obligation_of(review, "rapid_review").title.startswith("Waiting on the safeguarding partners:")
    assert obligation_of(review, "agency_summary").waits_on is None


def test_a_timescale_not_set_says_so_and_an_organisation_may_set_it() -> None:
    review, _ = _opened()
    words = [step.text for step in next_steps(review, OPENED_ON)]
    assert any(text.startswith("No date: the timescale is not set") and "agency summary" in text for text in words)
    settings = ReviewSettings(framework_timescales={ENGLAND: {"agency_summary": 7}})
    came = KeyDates(came_to_chair_attention=OPENED_ON)
    configured, _ = play(new_review(framework=ENGLAND, key_dates=came), ReviewOpened(representative=REP),
                         day=OPENED_ON, settings=settings)
    assert configured.obligation(f"agency_summary-{1}").due == date(2027, 1, 4)


def test_the_rapid_review_to_the_lcspr_decision_and_publication() -> None:
    review, _ = _opened()
    assert forward_event(review) == "rapid_review_started"
    review, _ = play(review, _event("rapid_review_started"), day=date(2026, 12, 22))
    assert review.stage == stage_of(ENGLAND, "rapid_review")
    assert _states(review)["notification"] is ObligationState.DONE
    # The representative's own steps come first on the card: consult the business areas the agency
    # summary refers to and put that on CID (1.5), then send it.
    assert forward_event(review) == "business_areas_consulted"
    assert obligation_of(review, "O4").due.describe(SETTINGS) == "before the Home Office's report is sent"
    review, [consulted] = play(review, _event("business_areas_consulted", areas=(BusinessArea.BORDER_FORCE,)),
                               day=date(2026, 12, 23))
    [consultation] = consulted.notifications
    assert consultation.subject == SUBJECT + "consultation on the Home Office's report"
    assert "report the Home Office is preparing" in consultation.body_text
    assert forward_event(review) == "consultation_recorded_on_cid"
    review, _ = play(review, _event("consultation_recorded_on_cid"), day=date(2026, 12, 23))
    assert _states(review)["O5"] is ObligationState.DONE
    assert forward_event(review) == "agency_summary_sent"
    review, [sent] = play(review, _event("agency_summary_sent", document=SUMMARY_COPY), day=date(2027, 1, 4))
    assert _states(review)["agency_summary"] is ObligationState.DONE
    [copy] = sent.notifications
    assert copy.subject == SUBJECT + "Home Office agency summary sent"
    assert copy.recipients[0] == BOOK.lessons_learned
    assert copy.document == named_for(SUMMARY_COPY, review.reference, "Home Office report")
    with pytest.raises(ReviewRuleError, match="already recorded"):
        play(review, _event("agency_summary_sent"), day=date(2027, 1, 5))
    review, _ = play(review, _event("rapid_review_completed"), day=date(2027, 1, 12))
    assert review.stage.label.startswith("Rapid review sent to the Panel")
    assert _states(review)["rapid_review"] is ObligationState.DONE
    assert [e for e in REGISTRY.types() if e in {"lcspr_decided", "no_lcspr_decided", "national_review_referred"}]
    review, decided = play(review, _event("lcspr_decided"), day=date(2027, 2, 1))
    assert "SI 2018/789 reg 11" in decided[0].citations.text
    due = {r.obligation_id: r.due for r in review.obligations}
    assert due["lcspr_publication"] == date(2027, 8, 2)  # 6 months on, a Sunday: the next working day
    assert due["publication_notice"] is None
    review, [published] = play(review, _event("lcspr_published", document=REPORT_LINK), day=date(2027, 7, 1))
    assert {BOOK.psu, BOOK.occ, BOOK.lessons_learned} == set(published.notifications[0].recipients)
    assert review_from_dict(review_to_dict(review)) == review


@pytest.mark.parametrize("decision, stage", [("no_lcspr_decided", "no_lcspr"),
                                             ("national_review_referred", "national_review")])
def test_a_decision_against_a_local_review_ends_it_and_what_was_owed_lapses(decision: str, stage: str) -> None:
    review, _ = _opened()
    review, _ = play(review, _event("rapid_review_started"), _event("rapid_review_completed"),
                     day=date(2026, 12, 22))
    review, _ = play(review, _event(decision), day=date(2027, 1, 12))
    assert review.stage == stage_of(ENGLAND, stage) and review.stage.is_terminal
    assert _states(review)["agency_summary"] is ObligationState.LAPSED
    # Consulting on the report could be done only before it was sent: past the rapid review, it lapsed.
    assert _states(review)["O4"] is ObligationState.LAPSED
    assert outstanding(review, date(2027, 1, 12)) == []
    # Kept for the retention period from the day it ended, then removed (data care).
    assert ended_on(review) == date(2027, 1, 12) and removable_from(review, 6) == date(2033, 1, 12)


def test_an_event_of_another_framework_cannot_be_recorded() -> None:
    review, _ = _opened()
    with pytest.raises(ValueError, match="not an event this review can record"):
        play(review, registry_for("scr-2016")[EventType.TERMS_OF_REFERENCE_AGREED].data())


@pytest.mark.parametrize("pack", [p for p in catalogue().packs.values() if p.is_guided], ids=lambda p: p.id)
def test_every_pack_with_stages_builds_a_registry_that_opens_a_review(pack) -> None:  # type: ignore[no-untyped-def]
    nation = pack.nations[0] if pack.id != "scr-2016" else Nation.ENGLAND
    review, _ = play(new_review(framework=pack.id, nation=nation), ReviewOpened(representative=REP))
    assert review.stage == registry_for(pack.id).opening.moves_to
    assert review.members == [USER] and review.history[0].actor == USER
    assert at(OPENED_ON).tzinfo is not None


def test_a_stored_review_keeps_its_packs_stage_and_one_its_pack_lacks_is_refused() -> None:
    review, _ = _opened()
    stored = review_to_dict(review)
    assert stored["stage"] == "notified" and stored["framework"]["id"] == ENGLAND
    assert review_from_dict(stored).stage == stage_of(ENGLAND, "notified")
    with pytest.raises(ValueError, match="'referral' is not a stage of england-cspr-2023"):
        review_from_dict({**stored, "stage": "referral"})


def test_the_report_sent_before_the_areas_it_refers_to_were_consulted_is_a_duty_missed() -> None:
    review, _ = _opened()
    review, _ = play(review, _event("rapid_review_started"), _event("agency_summary_sent", document=SUMMARY_COPY),
                     day=date(2026, 12, 22))
    [consult] = [record for record in review.obligations if record.obligation_id == "O4"]
    assert consult.state is ObligationState.LAPSED and review.history[consult.lapsed_by - 1].action == (
        "agency_summary_sent")
    assert missed(review, consult)
    assert (
        "; no business area was consulted on the report before it was sent, as para 1.5 asks: that duty was missed; "
        "copy: ") in review.history[consult.lapsed_by - 1].detail
    assert forward_event(review) == "rapid_review_completed"


def test_the_process_is_worded_in_the_frameworks_terms() -> None:
    review, _ = _opened()
    assert review.words.seat == "at the review's meetings"
    meeting = _event("panel_meeting_scheduled", meeting_on=date(2027, 1, 6))
    review, [met] = play(review, meeting, day=OPENED_ON)
    assert met.history_entry.detail == "First review meeting on Wednesday 6 January 2027"
    scheduled = registry_for("scr-2016")[EventType("panel_meeting_scheduled")].data(meeting_on=date(2026, 3, 9))
    source_guidance, [_, panel] = play(new_review(), ReviewOpened(representative=REP), scheduled)
    assert panel.history_entry.detail == "First panel meeting on Monday 9 March 2026"
    assert (source_guidance.words.report, source_guidance.words.seat) == ("the IMR", "on the panel")
