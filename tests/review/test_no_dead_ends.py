"""Every path a review can really take, and nothing shown as done that was not done (issue 9)."""

import pytest

from bot.review import (
    OBLIGATIONS,
    ActionPlanAgreed,
    BusinessArea,
    BusinessAreasAdded,
    BusinessAreasConsulted,
    ConsultationRecordedOnCid,
    EventType,
    ImrCompleted,
    NoImrReason,
    NoImrRequested,
    NotificationSent,
    ObligationDone,
    ObligationState,
    OverviewReportProduced,
    ReviewRuleError,
    Stage,
    allowed_events,
    forward_event,
    outstanding,
    record_event,
)
from tests.review.helpers import BOOK, DAY, PATH, USER, at, events_to, new_review, play

UKVI_LEAD = "ukvi.scs.lead@example.gov.uk"
BF_LEAD = "bf.scs.lead@example.gov.uk"


def _at(stage: Stage, *more: object):  # type: ignore[no-untyped-def]
    return play(new_review(), *events_to(stage), *more)  # type: ignore[arg-type]


def _states(review, obligation_id: str) -> list[ObligationState]:  # type: ignore[no-untyped-def]
    return [r.state for r in review.obligations if r.obligation_id == obligation_id]


def test_every_allowed_event_is_accepted_and_every_other_refused_at_every_stage() -> None:
    """What the review card offers (allowed_events) is exactly what the domain accepts."""
    samples = {
        EventType.CONSULTATION_RECORDED_ON_CID: ConsultationRecordedOnCid(),
        EventType.BUSINESS_AREAS_ADDED: BusinessAreasAdded(areas=(BusinessArea.BORDER_FORCE,)),
        EventType.NO_IMR_REQUESTED: NoImrRequested(reason=NoImrReason.LIMITED_INVOLVEMENT),
    }
    for stage in (Stage.REFERRAL, Stage.TERMS_OF_REFERENCE, Stage.IMRS, Stage.CLOSED):
        review, _ = _at(stage)
        allowed = allowed_events(review)
        for event_type, event in samples.items():
            if event_type in allowed:
                record_event(review, event, USER, at(DAY), BOOK)
            else:
                with pytest.raises(ReviewRuleError):
                    record_event(review, event, USER, at(DAY), BOOK)


def test_para_1_5_cid_is_offered_only_once_a_consultation_waits_for_it() -> None:
    review, _ = _at(Stage.TERMS_OF_REFERENCE)
    assert EventType.CONSULTATION_RECORDED_ON_CID not in allowed_events(review)
    review, _ = play(review, BusinessAreasConsulted(areas=(BusinessArea.BORDER_FORCE,)))
    assert EventType.CONSULTATION_RECORDED_ON_CID in allowed_events(review)
    review, _ = play(review, ConsultationRecordedOnCid())
    assert EventType.CONSULTATION_RECORDED_ON_CID not in allowed_events(review)


def test_para_1_5_the_forward_step_is_consult_then_cid_then_the_imr_and_consulting_stays_possible() -> None:
    review, _ = _at(Stage.TERMS_OF_REFERENCE)
    assert forward_event(review) is EventType.BUSINESS_AREAS_CONSULTED
    review, _ = play(review, BusinessAreasConsulted(areas=(BusinessArea.BORDER_FORCE,)))
    assert forward_event(review) is EventType.CONSULTATION_RECORDED_ON_CID
    review, _ = play(review, ConsultationRecordedOnCid())
    assert forward_event(review) is EventType.IMR_COMPLETED
    assert EventType.BUSINESS_AREAS_CONSULTED in allowed_events(review), "another area can still be consulted"


def test_para_1_5_consulting_the_same_area_twice_sends_nothing_twice() -> None:
    review, results = _at(Stage.TERMS_OF_REFERENCE, BusinessAreasConsulted(areas=(BusinessArea.BORDER_FORCE,)))
    assert results[-1].notifications[0].recipients == (BF_LEAD,)
    again = record_event(review, BusinessAreasConsulted(areas=(BusinessArea.BORDER_FORCE,)), USER, at(DAY), BOOK)
    assert again.notifications == ()
    assert "consulted already: not emailed again" in again.history_entry.detail
    more = record_event(again.review, BusinessAreasConsulted(areas=(BusinessArea.BORDER_FORCE, BusinessArea.UKVI)),
                        USER, at(DAY), BOOK)
    assert [n.recipients for n in more.notifications] == [(UKVI_LEAD,)]


def test_para_7_3_7_an_action_plan_naming_no_area_is_agreed_with_nobody_to_inform_and_the_review_goes_on() -> None:
    review, results = _at(Stage.OVERVIEW_REPORT, ActionPlanAgreed())
    assert review.stage is Stage.ACTION_PLAN
    assert results[-1].notifications == ()
    assert "names no Home Office business area" in results[-1].history_entry.detail
    assert not _states(review, "O8") and not _states(review, "O14")
    for stage_event in (EventType.APPROVED, EventType.PUBLISHED, EventType.ACTIONS_CONFIRMED_COMPLETE,
                        EventType.CLOSED):
        assert forward_event(review) is stage_event
        review, _ = play(review, *[event for _, event in PATH if event.type is stage_event])
    assert review.stage is Stage.CLOSED


def test_para_3_3_4_the_panel_can_ask_no_imr_and_the_imr_duties_lapse_visibly() -> None:
    review, results = _at(Stage.TERMS_OF_REFERENCE, NoImrRequested(reason=NoImrReason.INFORMATION_OTHERWISE))
    assert review.stage is Stage.IMRS
    entry = results[-1].history_entry
    assert "asked no IMR of the Home Office" in entry.detail and "chronology" in entry.detail
    [o4] = [r for r in review.obligations if r.obligation_id == "O4"]
    assert (o4.state, o4.lapsed_by) == (ObligationState.LAPSED, entry.seq)
    assert not _states(review, "O6"), "no IMR copy is owed"
    assert forward_event(review) is EventType.OVERVIEW_REPORT_PRODUCED
    record_event(review, OverviewReportProduced(), USER, at(DAY), BOOK)


def test_para_1_1_a_business_area_added_later_has_its_leads_told_and_nobody_else() -> None:
    review, results = _at(Stage.DECISION, BusinessAreasAdded(areas=(BusinessArea.BORDER_FORCE,)))
    [email] = results[-1].notifications
    assert email.recipients == (BF_LEAD, "bf.childrens.lead@example.gov.uk")
    assert email.obligation_id == "O1" and "business area now involved" in email.subject
    assert review.business_areas == (BusinessArea.UKVI, BusinessArea.BORDER_FORCE)
    with pytest.raises(ReviewRuleError, match="already on this review"):
        record_event(review, BusinessAreasAdded(areas=(BusinessArea.UKVI,)), USER, at(DAY), BOOK)


def test_an_emailed_duty_cannot_be_marked_done_by_hand_only_by_its_email() -> None:
    review, results = _at(Stage.REFERRAL)
    with pytest.raises(ReviewRuleError, match="cannot be marked done by hand"):
        record_event(review, ObligationDone(instance_id="O1-1"), USER, at(DAY), BOOK)
    assert all(OBLIGATIONS[o].notifies for o in ("O1", "O4", "O6", "O8", "O10"))
    review, _ = play(review, NotificationSent(key=results[0].notifications[0].key))
    assert _states(review, "O1") == [ObligationState.DONE]


def test_a_closed_review_shows_nothing_outstanding_and_its_open_duties_lapse() -> None:
    review, _ = _at(Stage.CLOSED)
    assert outstanding(review, DAY) == []
    assert review.obligations and all(
        r.state is not ObligationState.OPEN or any(n.instance_id == r.instance_id and not n.sent_at
                                                    for n in review.notifications)
        for r in review.obligations
    ), "open only while its email is still being sent"


def test_an_imr_completed_before_the_review_was_recorded_here_needs_no_author_answers() -> None:
    review, results = _at(Stage.TERMS_OF_REFERENCE, ImrCompleted(author=None))
    assert review.stage is Stage.IMRS and review.imr_author is None
    assert "independence was not recorded" in results[-1].history_entry.detail
