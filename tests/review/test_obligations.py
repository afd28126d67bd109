"""Obligations O1–O15: what triggers each, when it is due, what satisfies it, and the RAG view."""

from collections.abc import Callable
from datetime import date

import pytest

from bot.review import (
    EVENTS,
    OBLIGATIONS,
    ActionPlanAgreed,
    ActionsConfirmedComplete,
    Approved,
    BoardDecision,
    BoardDecisionMade,
    BusinessAreasConsulted,
    Closed,
    ConsultationRecordedOnCid,
    DueStatus,
    EventType,
    ImrCompleted,
    KeyDates,
    LessonIdentified,
    NotificationSent,
    ObligationDone,
    ObligationState,
    OverviewReportProduced,
    PanelMeetingScheduled,
    Published,
    Rag,
    RepresentativeNominated,
    Review,
    ReviewOpened,
    ReviewRuleError,
    ReviewSettings,
    Stage,
    TermsOfReferenceAgreed,
    outstanding,
)
from bot.review.obligations import status_on
from tests.review.helpers import DAY, INDEPENDENT_AUTHOR, PATH, REP, events_to, new_review, play, review_at

E = EventType
CONSULT = BusinessAreasConsulted(emails=("hmpo.lead@example.gov.uk",))

# RULES.md's obligations table, column "trigger".
TRIGGERS = {
    "O1": E.REVIEW_OPENED,
    "O2": E.REVIEW_OPENED,
    "O3": E.REVIEW_OPENED,
    "O4": E.TERMS_OF_REFERENCE_AGREED,
    "O5": E.BUSINESS_AREAS_CONSULTED,
    "O6": E.IMR_COMPLETED,
    "O7": E.REVIEW_OPENED,
    "O8": E.ACTION_PLAN_AGREED,
    "O9": E.ACTION_PLAN_AGREED,
    "O10": E.PUBLISHED,
    "O11": E.LESSON_IDENTIFIED,
    "O12": E.BOARD_DECISION,
    "O13": E.REVIEW_OPENED,
    "O14": E.ACTION_PLAN_AGREED,
    "O15": E.REVIEW_OPENED,
}
# Events that bring each trigger about on a fresh review.
TRIGGER_PATHS = {
    E.REVIEW_OPENED: events_to(Stage.REFERRAL),
    E.BOARD_DECISION: events_to(Stage.DECISION),
    E.TERMS_OF_REFERENCE_AGREED: events_to(Stage.TERMS_OF_REFERENCE),
    E.BUSINESS_AREAS_CONSULTED: (*events_to(Stage.TERMS_OF_REFERENCE), CONSULT),
    E.IMR_COMPLETED: events_to(Stage.IMRS),
    E.ACTION_PLAN_AGREED: events_to(Stage.ACTION_PLAN),
    E.PUBLISHED: events_to(Stage.PUBLISHED),
    E.LESSON_IDENTIFIED: (*events_to(Stage.DECISION), LessonIdentified()),
}


def test_obligation_ids_are_O1_to_O15() -> None:
    assert list(OBLIGATIONS) == [f"O{i}" for i in range(1, 16)]


@pytest.mark.parametrize(("obligation_id", "trigger"), TRIGGERS.items(), ids=TRIGGERS.keys())
def test_trigger(obligation_id: str, trigger: EventType) -> None:
    assert obligation_id in EVENTS[trigger].triggers
    review, results = play(new_review(), *TRIGGER_PATHS[trigger])
    created = [r for r in review.obligations if r.obligation_id == obligation_id]
    assert [r.trigger_seq for r in created] == [results[-1].history_entry.seq]
    assert set(OBLIGATIONS[obligation_id].paragraphs.refs) <= set(results[-1].citations.refs)


def test_para_3_3_3_nothing_is_triggered_by_deciding_not_to_proceed() -> None:
    review = review_at(Stage.NOT_PROCEEDING)
    assert not [r for r in review.obligations if r.obligation_id == "O12"]
    states = {r.obligation_id: r.state for r in review.obligations}
    assert states["O13"] is ObligationState.DONE
    assert {states[o] for o in ("O2", "O7", "O15")} == {ObligationState.LAPSED}
    assert states["O1"] is ObligationState.OPEN, "the notification at the beginning is still owed (1.1)"


def _due(review: Review, obligation_id: str, today: date) -> tuple[date | None, DueStatus]:
    [status] = [s for s in outstanding(review, today) if s.obligation.id == obligation_id]
    return status.due, status.status


LATER = date(2028, 1, 31)  # recording day for the dated scenarios below
EARLIER = date(2026, 2, 2)  # the milestones before a dated one (dates stay in flow-chart order, 4.1)

DUE_CASES: list = [
    pytest.param(
        "O1",
        (ReviewOpened(on=date(2026, 12, 25)),),
        date(2026, 12, 29),
        id="para_1_1_O1_same_working_day_christmas",
    ),
    pytest.param(
        "O2", (ReviewOpened(on=date(2026, 12, 24)),), date(2026, 12, 30), id="para_1_3_O2_promptly_2_days"
    ),
    pytest.param(
        "O13",
        (ReviewOpened(on=date(2026, 2, 2)),),
        date(2026, 3, 2),
        id="WT_O13_one_month_31_jan_to_sat_28_feb_so_mon_2_mar",
    ),
    pytest.param(
        "O12",
        (
            ReviewOpened(on=date(2026, 8, 31)),
            BoardDecisionMade(on=date(2026, 8, 31), decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW),
        ),
        date(2027, 3, 1),
        id="para_3_3_7_O12_six_months_clamped_to_sun_28_feb_so_mon_1_mar",
    ),
    pytest.param(
        "O5",
        (
            *events_to(Stage.TERMS_OF_REFERENCE),
            BusinessAreasConsulted(on=date(2027, 3, 25), emails=CONSULT.emails),
        ),
        date(2027, 3, 31),
        id="para_1_5_O5_promptly_over_easter_2027",
    ),
    pytest.param(
        "O6",
        (*events_to(Stage.TERMS_OF_REFERENCE, EARLIER), ImrCompleted(on=date(2026, 4, 3), author=INDEPENDENT_AUTHOR)),
        date(2026, 4, 7),
        id="para_1_6_O6_on_completion_good_friday_2026",
    ),
    pytest.param(
        "O8",
        (*events_to(Stage.OVERVIEW_REPORT, EARLIER), ActionPlanAgreed(on=date(2027, 1, 1), emails=CONSULT.emails)),
        date(2027, 1, 4),
        id="para_7_3_7_O8_immediately_new_year_2027",
    ),
    pytest.param(
        "O10",
        (*events_to(Stage.APPROVED, EARLIER), Published(on=date(2027, 12, 25))),
        date(2027, 12, 29),
        id="para_1_7_O10_on_publication_christmas_2027",
    ),
    pytest.param(
        "O11",
        (*events_to(Stage.DECISION), LessonIdentified(on=date(2026, 4, 1))),
        date(2026, 4, 17),
        id="para_3_3_8_O11_ten_working_days_over_easter_2026",
    ),
]


@pytest.mark.parametrize(("obligation_id", "events", "expected"), DUE_CASES)
def test_due_date(obligation_id: str, events: tuple, expected: date) -> None:
    review, _ = play(
        new_review(key_dates=KeyDates(came_to_chair_attention=date(2026, 1, 31))), *events, day=LATER
    )
    assert _due(review, obligation_id, expected)[0] == expected


@pytest.mark.parametrize(
    ("today", "status", "rag"),
    [
        (date(2026, 3, 2), DueStatus.UPCOMING, Rag.GREEN),
        (date(2026, 3, 5), DueStatus.DUE_SOON, Rag.AMBER),
        (date(2026, 3, 10), DueStatus.DUE_TODAY, Rag.AMBER),
        (date(2026, 3, 11), DueStatus.OVERDUE, Rag.RED),
    ],
)
def test_status_and_rag_colour(today: date, status: DueStatus, rag: Rag) -> None:
    assert status_on(date(2026, 3, 10), today, 3) is status
    review, _ = play(
        new_review(), *events_to(Stage.DECISION), LessonIdentified(on=date(2026, 2, 24)), day=DAY
    )
    [o11] = [s for s in outstanding(review, today) if s.obligation.id == "O11"]
    assert (o11.due, o11.status, o11.rag) == (date(2026, 3, 10), status, rag)


def test_due_soon_window_is_a_parameter() -> None:
    assert status_on(date(2026, 3, 10), date(2026, 3, 2), 6) is DueStatus.DUE_SOON
    assert status_on(None, date(2026, 3, 2), 6) is DueStatus.OPEN


def test_para_1_2_O3_is_open_until_the_first_panel_meeting_date_then_overdue_after_tor() -> None:
    review, _ = play(new_review(), ReviewOpened())
    assert _due(review, "O3", DAY) == (None, DueStatus.OPEN)
    review, _ = play(review, PanelMeetingScheduled(meeting_on=date(2026, 3, 4)))
    assert _due(review, "O3", DAY) == (date(2026, 3, 4), DueStatus.DUE_SOON)
    review, _ = play(
        review,
        BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW),
        TermsOfReferenceAgreed(),
    )
    assert _due(review, "O3", DAY)[1] is DueStatus.OVERDUE


def test_para_1_5_O4_lapses_visibly_once_the_imr_step_is_over_without_a_consultation() -> None:
    review = review_at(Stage.TERMS_OF_REFERENCE)
    assert _due(review, "O4", DAY) == (None, DueStatus.OPEN)
    after = review_at(Stage.IMRS)
    [o4] = [r for r in after.obligations if r.obligation_id == "O4"]
    assert o4.state is ObligationState.LAPSED
    assert after.history[o4.lapsed_by - 1].action is EventType.IMR_COMPLETED


@pytest.mark.parametrize(
    ("obligation_id", "stage"),
    [
        pytest.param("O9", Stage.ACTION_PLAN, id="para_7_3_7_O9_before_actions_recorded_complete"),
        pytest.param("O14", Stage.ACTION_PLAN, id="para_7_3_3_O14_per_action_plan"),
        pytest.param("O7", Stage.REFERRAL, id="para_1_4_O7_ongoing"),
        pytest.param("O15", Stage.REFERRAL, id="para_7_3_1_O15_ongoing"),
    ],
)
def test_undated_obligations_are_open(obligation_id: str, stage: Stage) -> None:
    assert _due(review_at(stage), obligation_id, DAY) == (None, DueStatus.OPEN)


def _sent(obligation_id: str) -> Callable[[Review, list], tuple]:
    def send(review: Review, results: list) -> tuple:
        [key] = [n.key for r in results for n in r.notifications if n.obligation_id == obligation_id]
        return (NotificationSent(key=key),)

    return send


SATISFACTION = {
    "O1": (events_to(Stage.REFERRAL), _sent("O1"), ObligationState.DONE),
    "O2": (
        events_to(Stage.REFERRAL),
        lambda r, _: (ObligationDone(instance_id="O2-1"),),
        ObligationState.DONE,
    ),
    "O3": (
        (ReviewOpened(),),
        lambda r, _: (RepresentativeNominated(representative=REP),),
        ObligationState.DONE,
    ),
    "O4": ((*events_to(Stage.TERMS_OF_REFERENCE), CONSULT), _sent("O4"), ObligationState.DONE),
    "O5": (
        (*events_to(Stage.TERMS_OF_REFERENCE), CONSULT),
        lambda r, _: (ConsultationRecordedOnCid(),),
        ObligationState.DONE,
    ),
    "O6": (events_to(Stage.IMRS), _sent("O6"), ObligationState.DONE),
    "O7": (events_to(Stage.IMPLEMENTATION), lambda r, _: (Closed(),), ObligationState.LAPSED),
    "O8": (events_to(Stage.ACTION_PLAN), _sent("O8"), ObligationState.DONE),
    "O9": (events_to(Stage.PUBLISHED), lambda r, _: (ActionsConfirmedComplete(),), ObligationState.DONE),
    "O10": (events_to(Stage.PUBLISHED), _sent("O10"), ObligationState.DONE),
    "O11": (
        TRIGGER_PATHS[E.LESSON_IDENTIFIED],
        lambda r, _: (ObligationDone(instance_id="O11-3"),),
        ObligationState.DONE,
    ),
    "O12": (
        events_to(Stage.DECISION),
        lambda r, _: (
            TermsOfReferenceAgreed(),
            ImrCompleted(author=INDEPENDENT_AUTHOR),
            OverviewReportProduced(),
            PATH[5][1],
            Approved(),
        ),
        ObligationState.DONE,
    ),
    "O13": (
        (ReviewOpened(),),
        lambda r, _: (BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW),),
        ObligationState.DONE,
    ),
    "O14": (events_to(Stage.PUBLISHED), lambda r, _: (ActionsConfirmedComplete(),), ObligationState.DONE),
    "O15": (events_to(Stage.IMPLEMENTATION), lambda r, _: (Closed(),), ObligationState.LAPSED),
}


@pytest.mark.parametrize("obligation_id", SATISFACTION, ids=lambda o: f"{o}_satisfied")
def test_satisfaction(obligation_id: str) -> None:
    setup, then, final_state = SATISFACTION[obligation_id]
    review, results = play(new_review(), *setup)
    [record] = [r for r in review.obligations if r.obligation_id == obligation_id]
    assert record.state is ObligationState.OPEN
    closing_events = then(review, results)
    review, _ = play(review, *closing_events)
    assert review.obligation(record.instance_id).state is final_state
    if final_state is ObligationState.DONE:
        closing = closing_events[-1].type
        assert (obligation_id in EVENTS[closing].meets or closing is E.OBLIGATION_DONE
                or (closing is E.NOTIFICATION_SENT and OBLIGATIONS[obligation_id].notifies))
    assert all(s.instance_id != record.instance_id for s in outstanding(review, DAY))


def test_para_1_2_O3_is_satisfied_at_once_when_opened_with_a_representative() -> None:
    assert review_at(Stage.REFERRAL).obligation("O3-1").state is ObligationState.DONE


def test_marking_done_twice_is_refused() -> None:
    review, _ = play(review_at(Stage.REFERRAL), ObligationDone(instance_id="O2-1"))
    with pytest.raises(ReviewRuleError, match="already done"):
        play(review, ObligationDone(instance_id="O2-1"))


def test_settings_change_the_vague_defaults() -> None:
    settings = ReviewSettings(promptly_working_days=5, decision_months=2)
    review, _ = play(new_review(), ReviewOpened(), settings=settings)
    assert review.obligation("O2-1").due == date(2026, 3, 9)
    # Two months from 2 March is Saturday 2 May; Monday 4 May 2026 is a bank holiday.
    assert review.obligation("O13-1").due == date(2026, 5, 5)


def test_outstanding_lists_overdue_first() -> None:
    review = review_at(Stage.IMRS)
    statuses = outstanding(review, date(2026, 6, 1))
    order = [s.status for s in statuses]
    assert order == sorted(order, key=list(DueStatus).index)
    assert statuses[0].rag is Rag.RED
