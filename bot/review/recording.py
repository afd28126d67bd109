"""Recording what happens on a review: the one entry point is ``record_event``.

``record_event`` never mutates the review it is given: it returns a new ``Review`` in the
``EventResult`` (store that one), so a refused event leaves nothing half-applied. Every accepted
event appends exactly one ``HistoryEntry``; its ``seq`` also makes notification keys stable. What
each event may do comes from an event registry (registry.py), the built-in one by default.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import datetime

from .address_book import AddressBook
from .chronology import EARLIEST, TOO_EARLY, check_in_order
from .documents import DocumentCopy, named_for
from .independence import IndependenceFailure
from .model import USER_ID_PATTERN, HistoryEntry, NotificationLogEntry, ObligationRecord, ObligationState, Review
from .notifications import Notification, build_notification, recipients_for
from .obligations import copy_unsent, due_date, waiting_for_document
from .pack_events import registry_for
from .paragraphs import NO_PARAGRAPH, Citation, cite
from .registry import Applied, Event, EventDefinition, EventRegistry, ReviewRuleError
from .settings import ReviewSettings
from .stages import EventType
from .working_days import uk_date


@dataclass(frozen=True)
class EventResult:
    review: Review
    notifications: tuple[Notification, ...]
    citations: Citation
    history_entry: HistoryEntry
    # "Should" rules not met (I2, A3, A4): recorded in the history and shown, never blocking.
    warnings: tuple[IndependenceFailure, ...] = ()


def record_event(
    review: Review,
    event: Event,
    actor: str,
    at: datetime,
    address_book: AddressBook,
    settings: ReviewSettings | None = None,
    registry: EventRegistry | None = None,
) -> EventResult:
    """Apply ``event`` recorded by ``actor`` (a member's user id) at ``at`` (timezone-aware).

    ``event.on`` is a UK date, and an event without one happened on the UK date of ``at``.
    Raises ReviewRuleError when the guidance does not allow the event now, and ValueError for
    malformed input (naive datetime, event dated after today in the UK, unknown user id format,
    an event the registry does not declare).
    """
    settings = settings or ReviewSettings()
    registry = registry or registry_for(review.framework)
    if at.tzinfo is None:
        raise ValueError("record_event needs a timezone-aware datetime")
    if not USER_ID_PATTERN.match(actor):
        raise ValueError(f"{actor!r} is not a Teams / AAD user id")
    if event.type not in registry:
        raise ValueError(f"{event.type!r} is not an event this review can record")
    definition = registry[event.type]
    today = uk_date(at)
    on = event.on or today
    if on > today:
        raise ValueError("An event cannot be recorded as happening in the future (after today in the UK).")
    if on < EARLIEST:
        raise ValueError(f"An event's date {TOO_EARLY}.")
    if not definition.by_system and not review.can_be_seen_by(actor):
        raise ReviewRuleError("Only members of a review can record events on it.", NO_PARAGRAPH)
    citation = _check_allowed(review, definition, registry)
    check_in_order(review, event.type, on, registry)
    event = _copy_named_by_reference(review, event, definition, registry)

    new = copy.deepcopy(review)
    seq = len(new.history) + 1
    if definition.key_date:
        setattr(new.key_dates, definition.key_date, on)
    applied = (definition.handle(new, event, on, at, address_book) if definition.handle
               else Applied(definition.milestone_detail()))
    new.stage = applied.moves_to or definition.moves_to or new.stage
    entry = HistoryEntry(seq, at, on, actor, event.type, applied.detail)
    new.history.append(entry)

    obligations, triggers, arose = registry.obligations, definition.triggers, on
    if new.framework != review.framework:
        # A change of framework (framework_change.py): the new one's duties from the opening arise,
        # as of the opening, and its obligations apply from here on.
        registry = registry_for(new.framework)
        obligations, triggers, arose = registry.obligations, registry.opening.triggers, new.history[0].on
    if not new.stage.is_terminal:
        # In the obligations' own order, so occurrences are listed as they always were.
        for obligation in obligations.values():
            if obligation.id not in triggers or obligation.id in applied.not_arising:
                continue
            due = due_date(obligation, arose, new.key_dates, settings)
            new.obligations.append(
                ObligationRecord(f"{obligation.id}-{seq}", obligation.id, seq, arose, due)
            )
            citation += obligation.paragraphs
    # An email meets only its own occurrence (NOTIFICATION_SENT's handler), never every open one.
    met = set(definition.meets).union(*(registry[implied].meets for implied in applied.implies))
    for record in new.obligations:
        if record.state is ObligationState.OPEN and record.obligation_id in met:
            record.state, record.done_on = ObligationState.DONE, on
    for record in new.obligations:
        # Nothing is owed once the review has ended, and a step the review has moved past can no
        # longer be done: both lapse, kept visible with the event that ended them. An email the bot
        # has queued is still being done, and is met when it goes.
        owed = obligations[record.obligation_id]
        if (
            record.state is ObligationState.OPEN
            and (new.stage.is_terminal or new.stage in owed.lapses_at or event.type is owed.lapses_on)
            and not _email_queued(new, record)
        ):
            record.state, record.lapsed_by = ObligationState.LAPSED, seq

    notifications = _notify(new, definition, seq, at, address_book, settings, applied, registry)
    for notification in notifications:
        citation += notification.paragraphs
    return EventResult(new, notifications, citation, entry, applied.warnings)


def _copy_named_by_reference(review: Review, event: Event, definition: EventDefinition,
                             registry: EventRegistry) -> Event:
    """A copy is named as its email names it: this event's, or that of the event waiting for it."""
    document = getattr(event, "document", None)
    if not isinstance(document, DocumentCopy):
        return event
    email = definition.email
    waiting = waiting_for_document(review) if email is None else None
    if waiting:
        email = registry[review.history[waiting.trigger_seq - 1].action].email
    what = email.file_name if email else "document"
    return replace(event, document=named_for(document, review.reference, what))


def _email_queued(review: Review, record: ObligationRecord) -> bool:
    return any(n.instance_id == record.instance_id and n.sent_at is None for n in review.notifications)


def _check_allowed(review: Review, definition: EventDefinition, registry: EventRegistry) -> Citation:
    opening = registry.opening.paragraphs
    if definition.opens:
        if review.is_opened:
            raise ReviewRuleError("This review has already been opened.", opening)
        return opening
    if not review.is_opened:
        raise ReviewRuleError(
            "Open the review first: the start of the process triggers the notifications.", opening
        )
    if review.stage not in definition.allowed_at:
        needed = " or ".join(sorted(f"'{stage.label}'" for stage in definition.allowed_at))
        raise ReviewRuleError(
            f"'{definition.type.label}' cannot be recorded now: the review is at "
            f"'{review.stage.label}'. It can be recorded only at {needed}.",
            cite("4.1") + definition.paragraphs,
        )
    if definition.guard and (reason := definition.guard(review)):
        raise ReviewRuleError(reason, definition.paragraphs)
    return definition.paragraphs


def guard_refusal(review: Review, event_type: EventType, registry: EventRegistry | None = None) -> str | None:
    """Why an event its stage allows cannot be recorded on the review now (its guard), with the
    paragraphs behind it; None when its guard allows it, or the stage is what refuses it."""
    registry = registry or registry_for(review.framework)
    if event_type not in registry:
        return None
    definition = registry[event_type]
    if review.stage not in definition.allowed_at or not definition.guard:
        return None
    reason = definition.guard(review)
    return f"{reason}{definition.paragraphs.bracketed}" if reason else None


def marked_by_hand(review: Review, obligation_id: str, registry: EventRegistry | None = None) -> bool:
    """Whether a duty may be marked done by hand: only one the bot cannot see being done. An emailed
    duty is met when its email is sent; one an event meets (the representative, the board's
    decision, the review completed) when that event is recorded."""
    registry = registry or registry_for(review.framework)
    return not registry.obligations[obligation_id].notifies and registry.recorded_by(obligation_id) is None


def allowed_events(review: Review, registry: EventRegistry | None = None) -> list[EventType]:
    """Every event that could be recorded on the review now, by stage and by its guard, in the
    registry's order (its pack's, by default). The review card offers only these, so no button it
    shows leads to a refusal."""
    registry = registry or registry_for(review.framework)
    return [
        definition.type
        for definition in registry
        if not definition.opens
        and review.stage in definition.allowed_at
        and not (definition.guard and definition.guard(review))
    ]


def forward_event(review: Review, registry: EventRegistry | None = None) -> EventType | None:
    """The step to record next: a duty's own step that is still to do (consulting on the IMR,
    confirming it on CID) comes before the milestone it precedes (1.5, 9.1), then the next milestone."""
    registry = registry or registry_for(review.framework)
    allowed = allowed_events(review, registry)
    order = list(registry.obligations)
    for record in sorted(review.obligations, key=lambda r: order.index(r.obligation_id)):
        step = registry.obligations[record.obligation_id].done_by_recording
        if record.state is ObligationState.OPEN and step in allowed and _still_to_do(review, record, step, registry):
            return step
    return next((d.type for d in registry if d.is_milestone and d.type in allowed), None)


def _still_to_do(review: Review, record: ObligationRecord, step: EventType, registry: EventRegistry) -> bool:
    """Whether the duty's own step is still to record. A copy is owed until its email carries the
    document (1.6, 1.7): one document added for the IMR does not send the published report's copy."""
    if registry.obligations[record.obligation_id].needs_document:
        return copy_unsent(review, record)
    return not any(entry.action is step and entry.seq > record.trigger_seq for entry in review.history)


def _notify(
    review: Review,
    definition: EventDefinition,
    seq: int,
    at: datetime,
    address_book: AddressBook,
    settings: ReviewSettings,
    applied: Applied,
    registry: EventRegistry,
) -> tuple[Notification, ...]:
    # A document added later sends the email of the event that was waiting for it, in its words.
    speaks_for = review.history[applied.serves.trigger_seq - 1].action if applied.serves else definition.type
    email = registry[speaks_for].email
    if email is None:
        return ()
    obligation = registry.obligations[email.obligation]
    if obligation.needs_document and applied.document is None:
        return ()  # a copy without the document is no copy: the duty stays open until it is added
    recipients = applied.recipients
    if recipients is None:
        recipients = recipients_for(obligation, review, address_book, applied.referenced)
    if not recipients:
        return ()  # nobody new to tell (an area consulted already, a plan naming no area)
    # The occurrence the email serves: its own, or the newest one (O4's was triggered by the terms
    # of reference).
    record = applied.serves or [r for r in review.obligations if r.obligation_id == obligation.id][-1]
    notification = build_notification(
        review, email, record.instance_id, speaks_for, seq, recipients, settings, applied.document
    )
    review.notifications.append(
        NotificationLogEntry(
            notification.key, obligation.id, record.instance_id, recipients, notification.subject, at
        )
    )
    return (notification,)
