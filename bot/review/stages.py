"""The review's stage state machine, following the flow chart (4.1) and the Working Together stages.

A stage names the last milestone reached, and its label says what is happening now: for example
``TERMS_OF_REFERENCE`` means "terms of reference agreed – IMRs being undertaken". An Independent
(inter-agency) Management Review follows exactly the same path (6.2).

    REFERRAL → DECISION → TERMS_OF_REFERENCE → IMRS (IMR completed, or none asked) → OVERVIEW_REPORT → ACTION_PLAN
             ↘ NOT_PROCEEDING                 → APPROVED → PUBLISHED → IMPLEMENTATION → CLOSED
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .paragraphs import NO_PARAGRAPH, Citation, cite


class Stage(Enum):
    REFERRAL = "referral"
    DECISION = "decision"
    TERMS_OF_REFERENCE = "terms_of_reference"
    IMRS = "imrs"
    OVERVIEW_REPORT = "overview_report"
    ACTION_PLAN = "action_plan"
    APPROVED = "approved"
    PUBLISHED = "published"
    IMPLEMENTATION = "implementation"
    CLOSED = "closed"
    NOT_PROCEEDING = "not_proceeding"

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self]

    @property
    def is_terminal(self) -> bool:
        return self in (Stage.CLOSED, Stage.NOT_PROCEEDING)


_STAGE_LABELS = {
    Stage.REFERRAL: "Referred – awaiting the board's decision",
    Stage.DECISION: "Board decided to proceed – scope and terms of reference being set",
    Stage.TERMS_OF_REFERENCE: "Terms of reference agreed – IMRs being undertaken",
    Stage.IMRS: "IMRs undertaken – overview report being produced",
    Stage.OVERVIEW_REPORT: "Overview report produced – action plan and executive summary being agreed",
    Stage.ACTION_PLAN: "Action plan and executive summary agreed – awaiting the board's approval",
    Stage.APPROVED: "Approved by the board – awaiting publication",
    Stage.PUBLISHED: "Published – recommendations and action plan being implemented",
    Stage.IMPLEMENTATION: "Action plan implemented – awaiting formal closure",
    Stage.CLOSED: "Formally closed",
    Stage.NOT_PROCEEDING: "The board decided not to hold a review",
}

ACTIVE_STAGES = frozenset(stage for stage in Stage if not stage.is_terminal)


class EventType(Enum):
    """What a representative (or the bot's outbox) records against a review."""

    REVIEW_OPENED = "review_opened"
    REPRESENTATIVE_NOMINATED = "representative_nominated"
    REPRESENTATIVE_CHECK_FAILED = "representative_check_failed"
    BOARD_DECISION = "board_decision"
    PANEL_MEETING_SCHEDULED = "panel_meeting_scheduled"
    TERMS_OF_REFERENCE_AGREED = "terms_of_reference_agreed"
    BUSINESS_AREAS_ADDED = "business_areas_added"
    BUSINESS_AREAS_CONSULTED = "business_areas_consulted"
    CONSULTATION_RECORDED_ON_CID = "consultation_recorded_on_cid"
    IMR_COMPLETED = "imr_completed"
    NO_IMR_REQUESTED = "no_imr_requested"
    DOCUMENT_ADDED = "document_added"
    DOCUMENT_DELETED = "document_deleted"
    OVERVIEW_REPORT_PRODUCED = "overview_report_produced"
    ACTION_PLAN_AGREED = "action_plan_agreed"
    APPROVED = "approved"
    PUBLISHED = "published"
    ACTIONS_CONFIRMED_COMPLETE = "actions_confirmed_complete"
    CLOSED = "closed"
    LESSON_IDENTIFIED = "lesson_identified"
    MEMBER_ADDED = "member_added"
    OBLIGATION_DONE = "obligation_done"
    OBLIGATION_EXTENDED = "obligation_extended"
    NOTIFICATION_SENT = "notification_sent"


class BoardDecision(Enum):
    """What the board actually decided (3.3.3) – it may differ from the bot's eligibility outcome."""

    PROCEED_WITH_STATUTORY_REVIEW = "proceed_with_statutory_review"
    PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW = "proceed_with_independent_management_review"
    PROCEED_WITH_AUDIT = "proceed_with_audit"
    NOT_PROCEEDING = "not_proceeding"


@dataclass(frozen=True)
class Move:
    """Where an event may be recorded from, and the stage it leads to (None: stage unchanged)."""

    allowed_from: frozenset[Stage]
    to: Stage | None
    paragraphs: Citation


def _move(from_: Stage, to: Stage, *refs: str) -> Move:
    return Move(frozenset({from_}), to, cite("4.1", *refs))


# Milestones in flow-chart order. BOARD_DECISION's target depends on the decision (see target_stage).
STAGE_MOVES: dict[EventType, Move] = {
    EventType.BOARD_DECISION: _move(Stage.REFERRAL, Stage.DECISION, "3.3.3"),
    EventType.TERMS_OF_REFERENCE_AGREED: _move(Stage.DECISION, Stage.TERMS_OF_REFERENCE, "3.3.4"),
    EventType.IMR_COMPLETED: _move(Stage.TERMS_OF_REFERENCE, Stage.IMRS, "5.1"),
    # The panel decides which agencies provide an IMR (3.3.4); none asked of the Home Office ends
    # its IMR step just as a completed IMR does.
    EventType.NO_IMR_REQUESTED: _move(Stage.TERMS_OF_REFERENCE, Stage.IMRS, "3.3.4"),
    EventType.OVERVIEW_REPORT_PRODUCED: _move(Stage.IMRS, Stage.OVERVIEW_REPORT),
    EventType.ACTION_PLAN_AGREED: _move(Stage.OVERVIEW_REPORT, Stage.ACTION_PLAN, "7.3.7"),
    EventType.APPROVED: _move(Stage.ACTION_PLAN, Stage.APPROVED),
    EventType.PUBLISHED: _move(Stage.APPROVED, Stage.PUBLISHED, "8.1"),
    EventType.ACTIONS_CONFIRMED_COMPLETE: _move(Stage.PUBLISHED, Stage.IMPLEMENTATION, "7.3.7", "9.1"),
    EventType.CLOSED: _move(Stage.IMPLEMENTATION, Stage.CLOSED),
}

# Events that do not move the stage. Consultation happens while the IMR is drafted (1.5, 9.1:
# "before submitting"), as often as new areas come up; its confirmation can be put on CID any
# time afterwards.
_AFTER_TOR = frozenset(ACTIVE_STAGES) - {Stage.REFERRAL, Stage.DECISION}
SIDE_EVENTS: dict[EventType, Move] = {
    EventType.REPRESENTATIVE_NOMINATED: Move(ACTIVE_STAGES, None, cite("1.2", "7.2")),
    # Kept for the audit trail: who was checked, which rule failed, and that they were not recorded.
    EventType.REPRESENTATIVE_CHECK_FAILED: Move(ACTIVE_STAGES, None, cite("1.2", "7.2")),
    EventType.PANEL_MEETING_SCHEDULED: Move(ACTIVE_STAGES, None, cite("1.2", "7.2")),
    EventType.BUSINESS_AREAS_ADDED: Move(ACTIVE_STAGES, None, cite("1.1")),
    # The copy of the IMR or the published report, when it was not to hand as the event was recorded.
    EventType.DOCUMENT_ADDED: Move(ACTIVE_STAGES, None, cite("1.6", "1.7")),
    # Kept in the history: a copy sent is deleted from the bot, whatever the stage. The bot's own
    # data care, which no paragraph of the guidance states.
    EventType.DOCUMENT_DELETED: Move(frozenset(Stage), None, NO_PARAGRAPH),
    EventType.BUSINESS_AREAS_CONSULTED: Move(frozenset({Stage.TERMS_OF_REFERENCE}), None, cite("1.5", "9.1")),
    EventType.CONSULTATION_RECORDED_ON_CID: Move(_AFTER_TOR, None, cite("1.5")),
    EventType.LESSON_IDENTIFIED: Move(ACTIVE_STAGES - {Stage.REFERRAL}, None, cite("3.3.8")),
    EventType.MEMBER_ADDED: Move(ACTIVE_STAGES, None, NO_PARAGRAPH),
    # Tidying up obligations and the outbox stays possible after the review ends.
    EventType.OBLIGATION_DONE: Move(frozenset(Stage), None, NO_PARAGRAPH),
    EventType.OBLIGATION_EXTENDED: Move(ACTIVE_STAGES, None, cite("3.3.7")),
    EventType.NOTIFICATION_SENT: Move(frozenset(Stage), None, cite("1.8")),
}


def move_for(event_type: EventType) -> Move:
    """The move rule of any event except REVIEW_OPENED (which creates the first stage)."""
    return STAGE_MOVES.get(event_type) or SIDE_EVENTS[event_type]


def target_stage(event_type: EventType, current: Stage, decision: BoardDecision | None = None) -> Stage:
    """Stage after the event; only meaningful once the move has been checked as allowed."""
    if event_type is EventType.BOARD_DECISION and decision is BoardDecision.NOT_PROCEEDING:
        return Stage.NOT_PROCEEDING
    move = move_for(event_type)
    return move.to or current
