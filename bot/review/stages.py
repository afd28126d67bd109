"""The review's stages, following the flow chart (4.1) and the Working Together stages, and the
names of events. Which event may be recorded at which stage, and where it leads, is declared with
the event (events.py).

A stage names the last milestone reached, and its label says what is happening now: for example
``TERMS_OF_REFERENCE`` means "terms of reference agreed – IMRs being undertaken". An Independent
(inter-agency) Management Review follows exactly the same path (6.2).

    REFERRAL → DECISION → TERMS_OF_REFERENCE → IMRS (IMR completed, or none asked) → OVERVIEW_REPORT → ACTION_PLAN
             ↘ NOT_PROCEEDING                 → APPROVED → PUBLISHED → IMPLEMENTATION → CLOSED
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar, TypeAlias

from .frameworks import SCR_2016, catalogue


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
        """What is happening now, as the source guidance's pack (scr-2016) words the stage."""
        return catalogue().pack(SCR_2016).stage(self.value).label

    @property
    def is_terminal(self) -> bool:
        return self in (Stage.CLOSED, Stage.NOT_PROCEEDING)



ACTIVE_STAGES = frozenset(stage for stage in Stage if not stage.is_terminal)


@dataclass(frozen=True)
class PackStageId:
    """A stage of a framework pack other than scr-2016 (whose stages are ``Stage``): the pack's id
    and the stage's id in it, worded and ended as the pack says."""

    framework: str
    value: str

    def __post_init__(self) -> None:
        if self.framework == SCR_2016 or not any(s.id == self.value for s in catalogue().pack(self.framework).stages):
            raise ValueError(f"{self.value!r} is not a stage of {self.framework}")

    @property
    def label(self) -> str:
        return catalogue().pack(self.framework).stage(self.value).label

    @property
    def is_terminal(self) -> bool:
        return catalogue().pack(self.framework).stage(self.value).terminal


# A review's stage: one of its pack's stages.
ReviewStage: TypeAlias = Stage | PackStageId


def stage_of(framework: str, stage_id: str) -> ReviewStage:
    """The stage ``stage_id`` of the pack ``framework``; ValueError if the pack has no such stage."""
    if framework not in catalogue().packs:
        raise ValueError(f"{framework!r} is not a framework pack this app has")
    return Stage(stage_id) if framework == SCR_2016 else PackStageId(framework, stage_id)


def stages_of(framework: str) -> tuple[ReviewStage, ...]:
    """Every stage of the pack, in its order: the first is where a review opened under it starts."""
    return tuple(stage_of(framework, stage.id) for stage in catalogue().pack(framework).stages)


class EventType(str):
    """The name of a kind of event a representative (or the bot) records against a review.

    A name, not an Enum: what each name means – its data, stages, obligations and email – is
    declared once in an event registry (registry.py), so events can be declared, or later loaded
    from data, without changing this class. Names are interned, so ``is`` compares them."""

    __slots__ = ()
    _interned: ClassVar[dict[str, EventType]] = {}

    def __new__(cls, name: str) -> EventType:
        known = cls._interned.get(name)
        if known is None:
            if not isinstance(name, str) or not _EVENT_NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not an event name")
            known = cls._interned[name] = super().__new__(cls, name)
        return known

    def __copy__(self) -> EventType:
        return self

    def __deepcopy__(self, memo: object) -> EventType:
        return self

    @property
    def value(self) -> str:
        return str(self)

    @property
    def label(self) -> str:
        """``"terms of reference agreed"``: the name as words."""
        return self.replace("_", " ")


_EVENT_NAME = re.compile(r"[a-z][a-z0-9_]{0,79}")

# The events other rules name (obligations' deadlines, the order of dates, views). An event nothing else
# names needs no constant here: its registry entry is all there is to it.
EventType.REVIEW_OPENED = EventType("review_opened")
EventType.REPRESENTATIVE_NOMINATED = EventType("representative_nominated")
EventType.REPRESENTATIVE_CHECK_FAILED = EventType("representative_check_failed")
EventType.BOARD_DECISION = EventType("board_decision")
EventType.PANEL_MEETING_SCHEDULED = EventType("panel_meeting_scheduled")
EventType.TERMS_OF_REFERENCE_AGREED = EventType("terms_of_reference_agreed")
EventType.BUSINESS_AREAS_ADDED = EventType("business_areas_added")
EventType.BUSINESS_AREAS_CONSULTED = EventType("business_areas_consulted")
EventType.CONSULTATION_RECORDED_ON_CID = EventType("consultation_recorded_on_cid")
EventType.IMR_COMPLETED = EventType("imr_completed")
EventType.NO_IMR_REQUESTED = EventType("no_imr_requested")
EventType.DOCUMENT_ADDED = EventType("document_added")
EventType.DOCUMENT_DELETED = EventType("document_deleted")
EventType.OVERVIEW_REPORT_PRODUCED = EventType("overview_report_produced")
EventType.ACTION_PLAN_AGREED = EventType("action_plan_agreed")
EventType.APPROVED = EventType("approved")
EventType.PUBLISHED = EventType("published")
EventType.ACTIONS_CONFIRMED_COMPLETE = EventType("actions_confirmed_complete")
EventType.CLOSED = EventType("closed")
EventType.LESSON_IDENTIFIED = EventType("lesson_identified")
EventType.MEMBER_ADDED = EventType("member_added")
EventType.OBLIGATION_DONE = EventType("obligation_done")
EventType.NOTIFICATION_SENT = EventType("notification_sent")
EventType.FRAMEWORK_CHANGED = EventType("framework_changed")
EventType.DUE_DATE_SET = EventType("due_date_set")


class BoardDecision(Enum):
    """What the board actually decided (3.3.3) – it may differ from the bot's eligibility outcome."""

    PROCEED_WITH_STATUTORY_REVIEW = "proceed_with_statutory_review"
    PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW = "proceed_with_independent_management_review"
    PROCEED_WITH_AUDIT = "proceed_with_audit"
    NOT_PROCEEDING = "not_proceeding"
