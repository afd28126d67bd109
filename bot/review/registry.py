"""The event registry: everything the domain knows about each kind of event, declared once.

An ``EventDefinition`` says what an event carries (its data class, which checks its own fields),
the stages it may be recorded at and the stage it moves the review to, what it does to the review
(its handler) and when it is refused beyond its stage (its guard), the obligations it triggers and
meets, the email it sends, and the key of the form the conversation layer records it with.

Definitions are plain values and a registry is an ordinary object built from a list of them, so a
second registry (a test's toy event, or later a framework pack read from a file) is built the same
way as the built-in one (events.EVENTS), and nothing is registered as a side effect of an import.
Order matters: it is the flow chart's (4.1), which the review card follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from .address_book import AddressBook
from .documents import DocumentCopy
from .independence import IndependenceFailure
from .model import KeyDates, ObligationRecord, Review
from .notifications import Email
from .obligations import OBLIGATIONS, Obligation
from .paragraphs import Citation
from .stages import EventType, ReviewStage


class ReviewRuleError(Exception):
    """An event the guidance does not allow; ``paragraphs`` say why, ``failures`` list failed checks."""

    def __init__(
        self, message: str, paragraphs: Citation, failures: tuple[IndependenceFailure, ...] = ()
    ) -> None:
        super().__init__(f"{message}{paragraphs.bracketed}")
        self.message = message
        self.paragraphs = paragraphs
        self.failures = failures


@dataclass(frozen=True, kw_only=True)
class Event:
    """What is recorded. Subclasses add the event's fields; ``type`` names its definition."""

    type: ClassVar[EventType]
    # The day it happened, when recorded late; defaults to the day of recording.
    on: date | None = None


@dataclass
class Applied:
    """What a handler did, beyond changing the review copy it was given."""

    detail: str
    referenced: tuple[str, ...] = ()
    # Events this event also counts as, for meeting obligations (opening with a representative).
    implies: frozenset[EventType] = field(default_factory=frozenset)
    warnings: tuple[IndependenceFailure, ...] = ()
    # Obligations this event would trigger that do not arise this time (no area to inform).
    not_arising: frozenset[str] = frozenset()
    # Who its email goes to, when not the obligation's usual roles (a newly involved area only).
    recipients: tuple[str, ...] | None = None
    # The copy its email carries, and the duty it serves when that is not this event's own.
    document: DocumentCopy | None = None
    serves: ObligationRecord | None = None
    # The stage it leads to this time, when that depends on what was recorded (the board's decision).
    moves_to: ReviewStage | None = None


# Changes the review copy it is given (the event, the UK day it happened, when it was recorded, the
# address book) and says what it did; raises ReviewRuleError to refuse the event.
Handler = Callable[[Review, Any, date, datetime, AddressBook], Applied]
# Why the event cannot be recorded on this review now, beyond its stage; None when it can.
Guard = Callable[[Review], str | None]


@dataclass(frozen=True, kw_only=True)
class EventDefinition:
    """One kind of event, all the domain knows about it. Everything but ``data``, ``handle`` and
    ``guard`` is plain data (names of stages, obligations, key dates and forms, and words)."""

    data: type[Event]
    paragraphs: Citation
    # Stages it may be recorded at, and the one it moves the review to (None: the stage stays).
    allowed_at: frozenset[ReviewStage] = frozenset()
    moves_to: ReviewStage | None = None
    # The one event that opens a review: allowed only on a review not yet opened.
    opens: bool = False
    # None: nothing to do beyond the definition itself (a dated milestone).
    handle: Handler | None = None
    guard: Guard | None = None
    # Obligation ids: the occurrences it creates, and the open ones it meets.
    triggers: tuple[str, ...] = ()
    meets: tuple[str, ...] = ()
    email: Email | None = None
    # The KeyDates field that takes the day it happened.
    key_date: str | None = None
    # Its place among the flow chart's dates (4.1): the words for its date, which makes it a dated
    # milestone ("the date the IMR was completed"), and the milestones it cannot be dated before.
    dated_as: str | None = None
    after: tuple[EventType, ...] = ()
    # Recorded by the bot itself (the outbox, the documents area), not by a member of the review.
    by_system: bool = False
    # The key the conversation layer finds its form by; None: no form of its own records it.
    form: str | None = None

    @property
    def type(self) -> EventType:
        return self.data.type

    @property
    def is_milestone(self) -> bool:
        return self.moves_to is not None and not self.opens

    def milestone_detail(self) -> str:
        """History words for an event whose handler has nothing more to say."""
        reached = f" – now: {self.moves_to.label}" if self.moves_to else ""
        return f"{self.type.label.capitalize()}{reached}"


class EventRegistry:
    """The events a review can record, in flow-chart order, checked against the obligations."""

    def __init__(
        self, definitions: Iterable[EventDefinition], obligations: Mapping[str, Obligation] = OBLIGATIONS
    ) -> None:
        self._definitions: dict[EventType, EventDefinition] = {}
        self.obligations = obligations
        for definition in definitions:
            self._check(definition)
            self._definitions[definition.type] = definition
        for definition in self._definitions.values():
            undated = [name for name in definition.after if name not in self or not self[name].dated_as]
            if undated or (definition.after and not definition.dated_as):
                raise ValueError(f"Event {definition.type} is dated after events that are not dated milestones here.")
        triggered = {o for definition in self._definitions.values() for o in (*definition.triggers, *definition.meets)}
        for obligation in (o for o in obligations.values() if o.id in triggered):
            named = [name for name in (obligation.done_by_recording, obligation.due.before) if name]
            if missing := [name for name in named if name not in self]:
                raise ValueError(f"Obligation {obligation.id} names events this registry lacks: {', '.join(missing)}.")
        openers = [d for d in self._definitions.values() if d.opens]
        if len(openers) != 1:
            raise ValueError("An event registry needs exactly one event that opens a review.")
        self.opening = openers[0]

    def _check(self, definition: EventDefinition) -> None:
        name = definition.type
        if name in self._definitions:
            raise ValueError(f"Event {name} is declared twice.")
        emailed = (definition.email.obligation,) if definition.email else ()
        unknown = [o for o in (*definition.triggers, *definition.meets, *emailed) if o not in self.obligations]
        if unknown:
            raise ValueError(f"Event {name} names obligations that do not exist: {', '.join(unknown)}.")
        if definition.email and not self.obligations[definition.email.obligation].notifies:
            raise ValueError(f"Event {name} sends an email for {definition.email.obligation}, whose duty is no email.")
        if definition.key_date and definition.key_date not in KeyDates.__dataclass_fields__:
            raise ValueError(f"Event {name} sets a key date that does not exist: {definition.key_date}.")

    def with_events(self, *definitions: EventDefinition) -> EventRegistry:
        """A new registry: these events as well as this one's, which is left as it was."""
        return EventRegistry((*self, *definitions), self.obligations)

    def __getitem__(self, event_type: EventType) -> EventDefinition:
        return self._definitions[event_type]

    def __contains__(self, event_type: object) -> bool:
        return event_type in self._definitions

    def __iter__(self) -> Iterator[EventDefinition]:
        return iter(self._definitions.values())

    def types(self) -> tuple[EventType, ...]:
        return tuple(self._definitions)

    def recorded_by(self, obligation_id: str) -> EventType | None:
        """The event that shows the duty done (its own step, else the first event that meets it),
        so the bot sees it done and it is never marked done by hand; None for a duty only its
        holder knows is done (records secured, a lesson acted on)."""
        step = self.obligations[obligation_id].done_by_recording
        if step is not None and step in self:
            return step
        return next((definition.type for definition in self if obligation_id in definition.meets), None)

    def dated_before(self, event_type: EventType) -> tuple[EventDefinition, ...]:
        """The dated milestones ``event_type`` cannot precede, directly or through others, in order."""
        found: set[EventType] = set()
        waiting = list(self[event_type].after) if event_type in self else []
        while waiting:
            name = waiting.pop()
            if name not in found:
                found.add(name)
                waiting.extend(self[name].after)
        return tuple(definition for definition in self if definition.type in found)
