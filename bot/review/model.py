"""The review record the bot keeps.

Data care (8.1): a review is known only by the board's reference. Nothing here holds a child's or
family member's name, date of birth or address, and there are no free-text fields about the case:
history details are written by the domain, not typed by users. Staff appear only as Teams/AAD user
ids and work emails.

Reviews are changed only through ``recording.record_event``, which returns a new ``Review`` and
leaves the one passed in untouched; ``history`` only ever grows.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from .eligibility import EligibilityAnswers, EligibilityOutcome, outcome_of
from .frameworks import SCR_2016, catalogue
from .independence import (
    ImrAuthorAnswers,
    IndependenceOutcome,
    RepresentativeAnswers,
    check_representative,
)
from .kinds import (
    NEWER_FRAMEWORK_WORDS,
    SOURCE_GUIDANCE_WORDS,
    BusinessArea,
    Nation,
    ProcessWords,
    ReviewKind,
    local_name,
)
from .pack_schema import FrameworkPack
from .references import validate_board_name, validate_reference
from .stages import BoardDecision, EventType, ReviewStage, stages_of

USER_ID_PATTERN = re.compile(r"^\S{1,200}$")


def _check_user_id(user_id: str) -> None:
    if not isinstance(user_id, str) or not USER_ID_PATTERN.match(user_id):
        raise ValueError(f"{user_id!r} is not a Teams / AAD user id")


@dataclass(frozen=True)
class StaffMember:
    """A member of Home Office staff: Teams user id or AAD object id, and work email."""

    user_id: str
    email: str

    def __post_init__(self) -> None:
        _check_user_id(self.user_id)


@dataclass(frozen=True)
class Representative:
    """The Home Office representative on the panel and their answers to I1–I4 (1.2, 7.2)."""

    member: StaffMember
    answers: RepresentativeAnswers

    @property
    def outcome(self) -> IndependenceOutcome:
        return check_representative(self.answers)


@dataclass
class KeyDates:
    came_to_chair_attention: date | None = None
    decision_to_proceed: date | None = None
    first_panel_meeting: date | None = None
    imr_completed: date | None = None
    approved: date | None = None
    published: date | None = None
    closed: date | None = None


class ObligationState(Enum):
    OPEN = "open"
    DONE = "done"
    # No longer required because the review ended (e.g. the board decided not to proceed).
    LAPSED = "lapsed"


@dataclass
class ObligationRecord:
    """One occurrence of an obligation (O11 can arise once per lesson), e.g. id ``"O11-7"``."""

    instance_id: str
    obligation_id: str
    trigger_seq: int
    triggered_on: date
    due: date | None
    state: ObligationState = ObligationState.OPEN
    done_on: date | None = None
    # The history entry of the event that made it lapse, so the card can say why.
    lapsed_by: int | None = None

@dataclass
class NotificationLogEntry:
    """The outbox: what the bot produced for sending, and when delivery was confirmed."""

    key: str
    obligation_id: str
    instance_id: str
    recipients: tuple[str, ...]
    subject: str
    created_at: datetime
    sent_at: datetime | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """``at`` is when it was recorded; ``on`` the day it happened (users may record events late)."""

    seq: int
    at: datetime
    on: date
    actor: str
    action: EventType
    detail: str


@dataclass(kw_only=True)
class Review:
    reference: str
    nation: Nation
    board_name: str
    business_areas: tuple[BusinessArea, ...]
    members: list[str]
    kind: ReviewKind = ReviewKind.STATUTORY
    # The framework pack it follows and that pack's version when it was opened (frameworks.py):
    # kept, so a later pack never changes the process or the deadlines of a review under way.
    framework: str = SCR_2016
    framework_version: int = 1
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    # One of its pack's stages; a new review starts at the pack's first.
    stage: ReviewStage | None = None
    key_dates: KeyDates = field(default_factory=KeyDates)
    eligibility: EligibilityAnswers | None = None
    # Answers to its pack's own criteria (by question id), for a pack that has them; ``eligibility``
    # holds the source guidance's answers otherwise.
    criteria_answers: dict[str, bool] | None = None
    board_decision: BoardDecision | None = None
    representative: Representative | None = None
    imr_author: ImrAuthorAnswers | None = None
    referenced_addresses: list[str] = field(default_factory=list)
    obligations: list[ObligationRecord] = field(default_factory=list)
    notifications: list[NotificationLogEntry] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reference = validate_reference(self.reference)
        self.board_name = validate_board_name(self.board_name)
        self.business_areas = tuple(dict.fromkeys(self.business_areas))
        if not self.business_areas:
            raise ValueError("A review involves at least one Home Office business area.")
        if not self.members:
            raise ValueError("A review needs at least one member: nobody else can see it.")
        for user_id in self.members:
            _check_user_id(user_id)
        uuid.UUID(self.id)
        if self.framework not in catalogue().packs:
            raise ValueError(f"{self.framework!r} is not a framework pack this app has")
        self.stage = stages_of(self.framework)[0] if self.stage is None else self.stage
        if self.stage not in stages_of(self.framework):
            raise ValueError(f"{self.stage!r} is not a stage of {self.framework}")
        if isinstance(self.framework_version, bool) or not isinstance(self.framework_version, int) \
                or self.framework_version < 1:
            raise ValueError(f"framework_version must be a whole number of 1 or more, not {self.framework_version!r}")
        if self.criteria_answers is not None and not (
                isinstance(self.criteria_answers, dict)
                and all(isinstance(k, str) and isinstance(v, bool) for k, v in self.criteria_answers.items())):
            raise ValueError("criteria_answers must map each question id to yes (true) or no (false)")

    @property
    def review_name(self) -> str:
        """Local name, e.g. "Significant Case Review" (2.1) or the 6.1 Independent Management Review;
        under a newer framework, its name ("Child Safeguarding Practice Review")."""
        return self.kind.review_name(self.nation) if self.framework == SCR_2016 else self.pack.name

    @property
    def board_kind(self) -> str:
        """Who holds the review: "LSCB" under the source guidance in England (2.1), "safeguarding
        partners" under the pack that replaced it, as each pack names them."""
        named = self.pack.local_names.get(self.nation) if self.framework != SCR_2016 else None
        return named.board if named else local_name(self.nation).board

    @property
    def words(self) -> ProcessWords:
        """Its process's words for the Home Office's report, its meetings and the representative's seat."""
        return SOURCE_GUIDANCE_WORDS if self.framework == SCR_2016 else NEWER_FRAMEWORK_WORDS

    @property
    def pack(self) -> FrameworkPack:
        """The framework pack it follows: its name heads every email's subject (1.8)."""
        return catalogue().pack(self.framework)

    @property
    def is_opened(self) -> bool:
        return any(entry.action is EventType.REVIEW_OPENED for entry in self.history)

    @property
    def eligibility_outcome(self) -> EligibilityOutcome | None:
        """What the answers it was opened with point to: its pack's own criteria, or the source guidance's."""
        return outcome_of(self.pack, self.nation, self.eligibility, self.criteria_answers)

    def can_be_seen_by(self, user_id: str) -> bool:
        """Nobody sees a review they are not a member of."""
        return user_id in self.members

    def obligation(self, instance_id: str) -> ObligationRecord:
        for record in self.obligations:
            if record.instance_id == instance_id:
                return record
        raise KeyError(instance_id)
