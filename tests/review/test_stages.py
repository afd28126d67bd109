"""The stage state machine follows the flow chart (4.1): every legal move works, every other is refused."""

import copy
from datetime import date

import pytest

from bot.review import (
    EVENTS,
    ActionPlanAgreed,
    ActionsConfirmedComplete,
    Approved,
    BoardDecision,
    BoardDecisionMade,
    BusinessArea,
    BusinessAreasAdded,
    BusinessAreasConsulted,
    Closed,
    ConsultationRecordedOnCid,
    DocumentAdded,
    DocumentDeleted,
    Event,
    EventType,
    ImrAuthorAnswers,
    ImrCompleted,
    LessonIdentified,
    MemberAdded,
    NoImrReason,
    NoImrRequested,
    NotificationSent,
    ObligationDone,
    OverviewReportProduced,
    PanelMeetingScheduled,
    Published,
    RepresentativeAnswers,
    RepresentativeCheckFailed,
    RepresentativeNominated,
    ReviewKind,
    ReviewOpened,
    ReviewRuleError,
    Stage,
    TermsOfReferenceAgreed,
    allowed_events,
    record_event,
)
from bot.review.events import HistoryExported, ImrAuthorCheckFailed
from bot.review.framework_change import FrameworkChanged
from bot.review.frameworks import FrameworkReason
from bot.review.model import NotificationLogEntry, ObligationRecord, Representative, Review, StaffMember
from bot.review.stages import stages_of
from tests.review.helpers import (
    BOOK,
    DAY,
    IMR_COPY,
    INDEPENDENT_AUTHOR,
    REP,
    USER,
    at,
    new_review,
    play,
    review_at,
)

EVERY = set(Stage)
ACTIVE = {s for s in Stage if s not in (Stage.CLOSED, Stage.NOT_PROCEEDING)}
AFTER_TOR = ACTIVE - {Stage.REFERRAL, Stage.DECISION}

# Written from the flow chart, independently of stages.py: event → (stages it may follow, stage after).
EXPECTED: dict[EventType, tuple[set[Stage], Stage | None]] = {
    EventType.BOARD_DECISION: ({Stage.REFERRAL}, Stage.DECISION),
    EventType.TERMS_OF_REFERENCE_AGREED: ({Stage.DECISION}, Stage.TERMS_OF_REFERENCE),
    EventType.IMR_COMPLETED: ({Stage.TERMS_OF_REFERENCE}, Stage.IMRS),
    # A failed IMR author check is kept where the IMR could have been recorded, and moves nothing.
    ImrAuthorCheckFailed.type: ({Stage.TERMS_OF_REFERENCE}, None),
    EventType.OVERVIEW_REPORT_PRODUCED: ({Stage.IMRS}, Stage.OVERVIEW_REPORT),
    EventType.ACTION_PLAN_AGREED: ({Stage.OVERVIEW_REPORT}, Stage.ACTION_PLAN),
    EventType.APPROVED: ({Stage.ACTION_PLAN}, Stage.APPROVED),
    EventType.PUBLISHED: ({Stage.APPROVED}, Stage.PUBLISHED),
    EventType.ACTIONS_CONFIRMED_COMPLETE: ({Stage.PUBLISHED}, Stage.IMPLEMENTATION),
    EventType.CLOSED: ({Stage.IMPLEMENTATION}, Stage.CLOSED),
    EventType.NO_IMR_REQUESTED: ({Stage.TERMS_OF_REFERENCE}, Stage.IMRS),
    EventType.BUSINESS_AREAS_CONSULTED: ({Stage.TERMS_OF_REFERENCE}, None),
    EventType.BUSINESS_AREAS_ADDED: (ACTIVE, None),
    EventType.LESSON_IDENTIFIED: (ACTIVE - {Stage.REFERRAL}, None),
    # Before its first step, a review may change framework: it then starts the new one's first stage.
    EventType.FRAMEWORK_CHANGED: ({Stage.REFERRAL}, stages_of("england-cspr-2023")[0]),
    EventType.REPRESENTATIVE_NOMINATED: (ACTIVE, None),
    EventType.REPRESENTATIVE_CHECK_FAILED: (ACTIVE, None),
    EventType.PANEL_MEETING_SCHEDULED: (ACTIVE, None),
    EventType.MEMBER_ADDED: (ACTIVE, None),
    # Confirming the consultation on CID comes after it (1.5), at any later stage.
    EventType.CONSULTATION_RECORDED_ON_CID: (AFTER_TOR, None),
    EventType.DOCUMENT_ADDED: (ACTIVE, None),
    # Recorded by the bot, and tidying up stays possible once the review has ended.
    EventType.DOCUMENT_DELETED: (EVERY, None),
    HistoryExported.type: (EVERY, None),
    EventType.OBLIGATION_DONE: (EVERY, None),
    EventType.NOTIFICATION_SENT: (EVERY, None),
}

SAMPLE: dict[EventType, Event] = {
    EventType.BOARD_DECISION: BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW),
    EventType.TERMS_OF_REFERENCE_AGREED: TermsOfReferenceAgreed(),
    EventType.IMR_COMPLETED: ImrCompleted(author=INDEPENDENT_AUTHOR),
    ImrAuthorCheckFailed.type: ImrAuthorCheckFailed(author=ImrAuthorAnswers(False, True, True, True)),
    EventType.OVERVIEW_REPORT_PRODUCED: OverviewReportProduced(),
    EventType.ACTION_PLAN_AGREED: ActionPlanAgreed(areas=(BusinessArea.UKVI,)),
    EventType.APPROVED: Approved(),
    EventType.PUBLISHED: Published(),
    EventType.ACTIONS_CONFIRMED_COMPLETE: ActionsConfirmedComplete(),
    EventType.CLOSED: Closed(),
    EventType.BUSINESS_AREAS_CONSULTED: BusinessAreasConsulted(emails=("hmpo.lead@example.gov.uk",)),
    EventType.LESSON_IDENTIFIED: LessonIdentified(),
    EventType.FRAMEWORK_CHANGED: FrameworkChanged(framework="england-cspr-2023",
                                                  reason=FrameworkReason.OPENED_UNDER_WRONG_ONE),
    EventType.REPRESENTATIVE_NOMINATED: RepresentativeNominated(representative=REP),
    EventType.REPRESENTATIVE_CHECK_FAILED: RepresentativeCheckFailed(
        answers=RepresentativeAnswers(True, True, False, True)
    ),
    EventType.PANEL_MEETING_SCHEDULED: PanelMeetingScheduled(meeting_on=date(2026, 4, 1)),
    EventType.MEMBER_ADDED: MemberAdded(user_id="aad-0002"),
    EventType.NO_IMR_REQUESTED: NoImrRequested(reason=NoImrReason.LIMITED_INVOLVEMENT),
    EventType.BUSINESS_AREAS_ADDED: BusinessAreasAdded(areas=(BusinessArea.BORDER_FORCE,)),
    EventType.CONSULTATION_RECORDED_ON_CID: ConsultationRecordedOnCid(),
    EventType.DOCUMENT_ADDED: DocumentAdded(document=IMR_COPY),
    EventType.DOCUMENT_DELETED: DocumentDeleted(name="IMR.pdf"),
    HistoryExported.type: HistoryExported(),
    EventType.OBLIGATION_DONE: ObligationDone(instance_id="O11-1"),
    EventType.NOTIFICATION_SENT: NotificationSent(key="sample:O11:1"),
}


def ready_for(review: Review, event_type: EventType) -> Review:
    """A copy of ``review`` in which the event's own conditions hold, so only its stage can refuse it:
    a consultation waiting for CID (O5), a copy waiting for its document (O6), an open duty a person
    can mark done (O11), an email not yet sent. Business areas: the sample adds one the
    review does not have."""
    ready = copy.deepcopy(review)
    if event_type is EventType.CONSULTATION_RECORDED_ON_CID:
        ready.obligations.append(ObligationRecord("O5-1", "O5", 1, DAY, DAY))
    if event_type is EventType.DOCUMENT_ADDED:
        ready.obligations.append(ObligationRecord("O6-1", "O6", 1, DAY, DAY))
    if event_type in (EventType.OBLIGATION_DONE, EventType.NOTIFICATION_SENT):
        ready.obligations.append(ObligationRecord("O11-1", "O11", 1, DAY, date(2026, 3, 16)))
    if event_type is EventType.NOTIFICATION_SENT:
        ready.notifications.append(
            NotificationLogEntry("sample:O11:1", "O11", "O11-1", ("rep@example.gov.uk",), "subject", at(DAY))
        )
    return ready


def test_the_matrix_covers_every_event_recorded_after_opening() -> None:
    assert set(EXPECTED) == set(SAMPLE) == set(EVENTS.types()) - {EventType.REVIEW_OPENED}


MATRIX = [(stage, event_type) for stage in Stage for event_type in EXPECTED]


@pytest.mark.parametrize(("stage", "event_type"), MATRIX, ids=[f"{s.value}-{e.value}" for s, e in MATRIX])
def test_para_4_1_every_move_from_every_stage(stage: Stage, event_type: EventType) -> None:
    review = ready_for(review_at(stage), event_type)
    allowed_from, after = EXPECTED[event_type]
    # The review card offers exactly what the domain would accept.
    assert (event_type in allowed_events(review)) is (stage in allowed_from)
    if stage in allowed_from:
        result = record_event(review, SAMPLE[event_type], USER, at(DAY), BOOK)
        assert result.review.stage == (after or stage)
        assert result.history_entry.action is event_type
        assert result.review.history[-1] == result.history_entry
    else:
        with pytest.raises(ReviewRuleError) as refused:
            record_event(review, SAMPLE[event_type], USER, at(DAY), BOOK)
        assert refused.value.paragraphs.refs
        assert stage.label in refused.value.message


@pytest.mark.parametrize(
    ("stage", "event", "words"),
    [
        pytest.param(
            Stage.ACTION_PLAN,
            Published(),
            "Approved by the board",
            id="para_4_1_cannot_publish_before_approval",
        ),
        pytest.param(
            Stage.DECISION,
            ImrCompleted(author=INDEPENDENT_AUTHOR),
            "Terms of reference agreed",
            id="para_4_1_cannot_complete_imr_before_terms_of_reference",
        ),
        pytest.param(
            Stage.PUBLISHED, Closed(), "Action plan implemented", id="WT_cannot_close_before_implementation"
        ),
        pytest.param(
            Stage.REFERRAL, TermsOfReferenceAgreed(), "Board decided", id="para_3_3_3_no_tor_before_decision"
        ),
    ],
)
def test_impossible_moves_say_what_must_come_first(stage: Stage, event: Event, words: str) -> None:
    with pytest.raises(ReviewRuleError, match=words.replace("(", r"\(")):
        record_event(review_at(stage), event, USER, at(DAY), BOOK)


def test_para_3_3_3_board_not_proceeding_is_terminal() -> None:
    review = review_at(Stage.NOT_PROCEEDING)
    assert review.stage is Stage.NOT_PROCEEDING
    assert review.board_decision is BoardDecision.NOT_PROCEEDING
    with pytest.raises(ReviewRuleError):
        record_event(review, TermsOfReferenceAgreed(), USER, at(DAY), BOOK)


def test_para_6_2_independent_management_review_follows_the_same_process() -> None:
    review, _ = play(
        new_review(),
        ReviewOpened(representative=REP),
        BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW),
        TermsOfReferenceAgreed(),
        ImrCompleted(author=INDEPENDENT_AUTHOR),
    )
    assert review.kind is ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW
    assert review.stage is Stage.IMRS


def test_the_review_must_be_opened_first_and_only_once() -> None:
    with pytest.raises(ReviewRuleError, match="Open the review first"):
        record_event(new_review(), TermsOfReferenceAgreed(), USER, at(DAY), BOOK)
    with pytest.raises(ReviewRuleError, match="already been opened"):
        record_event(review_at(Stage.REFERRAL), ReviewOpened(), USER, at(DAY), BOOK)


def test_para_1_2_a_representative_failing_independence_cannot_be_recorded() -> None:
    failing = Representative(
        StaffMember("aad-0009", "x@example.gov.uk"), RepresentativeAnswers(True, True, False, True)
    )
    for event in (ReviewOpened(representative=failing), RepresentativeNominated(representative=failing)):
        review = new_review() if isinstance(event, ReviewOpened) else review_at(Stage.REFERRAL)
        with pytest.raises(ReviewRuleError) as refused:
            record_event(review, event, USER, at(DAY), BOOK)
        assert [f.rule_id for f in refused.value.failures] == ["I3"]
        assert refused.value.paragraphs.refs == ("1.2", "7.2")


def test_para_5_1_imr_cannot_be_completed_unless_the_author_is_independent() -> None:
    with pytest.raises(ReviewRuleError) as refused:
        record_event(
            review_at(Stage.TERMS_OF_REFERENCE),
            ImrCompleted(author=ImrAuthorAnswers(False, True, True, False)),
            USER,
            at(DAY),
            BOOK,
        )
    assert [f.rule_id for f in refused.value.failures] == ["A1"]


def test_para_1_5_cid_confirmation_needs_a_consultation_first() -> None:
    with pytest.raises(ReviewRuleError, match="consultation"):
        record_event(review_at(Stage.TERMS_OF_REFERENCE), ConsultationRecordedOnCid(), USER, at(DAY), BOOK)


def test_every_event_appends_to_history_and_never_mutates_its_input() -> None:
    before = review_at(Stage.DECISION)
    snapshot = repr(before)
    result = record_event(before, TermsOfReferenceAgreed(), USER, at(DAY), BOOK)
    assert repr(before) == snapshot
    assert result.review.history[:-1] == before.history
    assert [h.seq for h in result.review.history] == list(range(1, len(result.review.history) + 1))


def test_only_members_record_events_and_inputs_are_checked() -> None:
    review = review_at(Stage.DECISION)
    with pytest.raises(ReviewRuleError, match="Only members"):
        record_event(review, TermsOfReferenceAgreed(), "aad-outsider", at(DAY), BOOK)
    with pytest.raises(ValueError, match="timezone-aware"):
        record_event(review, TermsOfReferenceAgreed(), USER, at(DAY).replace(tzinfo=None), BOOK)
    with pytest.raises(ValueError, match="future"):
        record_event(review, TermsOfReferenceAgreed(on=date(2026, 3, 3)), USER, at(DAY), BOOK)


def test_nominating_a_representative_makes_them_a_member() -> None:
    other = Representative(
        StaffMember("aad-0042", "Other@Example.gov.uk"), RepresentativeAnswers(True, True, True, True)
    )
    review, _ = play(review_at(Stage.REFERRAL), RepresentativeNominated(representative=other))
    assert review.can_be_seen_by("aad-0042")
    assert review.representative is not None and review.representative.member.email == "other@example.gov.uk"
