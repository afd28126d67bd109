"""Recording what happens on a review: the one entry point is ``record_event``.

``record_event`` never mutates the review it is given: it returns a new ``Review`` in the
``EventResult`` (store that one), so a refused event leaves nothing half-applied. Every accepted
event appends exactly one ``HistoryEntry``; its ``seq`` also makes notification keys stable.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from .address_book import AddressBook, AddressBookError
from .chronology import check_in_order
from .independence import (
    ImrAuthorAnswers,
    IndependenceFailure,
    RepresentativeAnswers,
    check_imr_author,
    check_representative,
)
from .kinds import BusinessArea, ReviewKind
from .model import (
    USER_ID_PATTERN,
    HistoryEntry,
    NotificationLogEntry,
    ObligationRecord,
    ObligationState,
    Representative,
    Review,
    StaffMember,
)
from .notifications import Notification, build_notification, recipients_for
from .obligations import OBLIGATIONS, DueKind, due_date, effective_due, triggered_by
from .paragraphs import Citation, cite
from .settings import ReviewSettings
from .stages import STAGE_MOVES, BoardDecision, EventType, Stage, move_for, target_stage
from .working_days import uk_date


class ReviewRuleError(Exception):
    """An event the guidance does not allow; ``paragraphs`` say why, ``failures`` list failed checks."""

    def __init__(
        self, message: str, paragraphs: Citation, failures: tuple[IndependenceFailure, ...] = ()
    ) -> None:
        super().__init__(f"{message} ({paragraphs.text})")
        self.message = message
        self.paragraphs = paragraphs
        self.failures = failures


@dataclass(frozen=True, kw_only=True)
class Event:
    type: ClassVar[EventType]
    # The day it happened, when recorded late; defaults to the day of recording.
    on: date | None = None


@dataclass(frozen=True, kw_only=True)
class ReviewOpened(Event):
    """First event of every review: sends O1. A representative may be recorded at the same time."""

    type = EventType.REVIEW_OPENED
    representative: Representative | None = None


@dataclass(frozen=True, kw_only=True)
class RepresentativeNominated(Event):
    type = EventType.REPRESENTATIVE_NOMINATED
    representative: Representative


@dataclass(frozen=True, kw_only=True)
class RepresentativeCheckFailed(Event):
    """Someone answered I1–I4 and failed: they are not recorded (1.2, 7.2), but the attempt is."""

    type = EventType.REPRESENTATIVE_CHECK_FAILED
    answers: RepresentativeAnswers


@dataclass(frozen=True, kw_only=True)
class BoardDecisionMade(Event):
    type = EventType.BOARD_DECISION
    decision: BoardDecision


@dataclass(frozen=True, kw_only=True)
class PanelMeetingScheduled(Event):
    """Date of the first panel meeting: the representative must be settled by then (O3)."""

    type = EventType.PANEL_MEETING_SCHEDULED
    meeting_on: date


@dataclass(frozen=True, kw_only=True)
class TermsOfReferenceAgreed(Event):
    type = EventType.TERMS_OF_REFERENCE_AGREED


@dataclass(frozen=True, kw_only=True)
class BusinessAreasConsulted(Event):
    """Consult areas referred to in the draft IMR (O4): Home Office areas from the address book
    and/or other addresses typed in for this review."""

    type = EventType.BUSINESS_AREAS_CONSULTED
    areas: tuple[BusinessArea, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ConsultationRecordedOnCid(Event):
    type = EventType.CONSULTATION_RECORDED_ON_CID


@dataclass(frozen=True, kw_only=True)
class ImrCompleted(Event):
    """Refused unless the IMR author passes A1–A4 (5.1)."""

    type = EventType.IMR_COMPLETED
    author: ImrAuthorAnswers


@dataclass(frozen=True, kw_only=True)
class OverviewReportProduced(Event):
    type = EventType.OVERVIEW_REPORT_PRODUCED


@dataclass(frozen=True, kw_only=True)
class ActionPlanAgreed(Event):
    """Action plan and executive summary agreed; names the business areas to inform (O8)."""

    type = EventType.ACTION_PLAN_AGREED
    areas: tuple[BusinessArea, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Approved(Event):
    type = EventType.APPROVED


@dataclass(frozen=True, kw_only=True)
class Published(Event):
    type = EventType.PUBLISHED


@dataclass(frozen=True, kw_only=True)
class ActionsConfirmedComplete(Event):
    """The referenced areas confirmed the actions are complete and that is recorded on CID (O9)."""

    type = EventType.ACTIONS_CONFIRMED_COMPLETE


@dataclass(frozen=True, kw_only=True)
class Closed(Event):
    type = EventType.CLOSED


@dataclass(frozen=True, kw_only=True)
class LessonIdentified(Event):
    """A lesson to act on now (O11). Deliberately no free text: describe it in the proper system."""

    type = EventType.LESSON_IDENTIFIED


@dataclass(frozen=True, kw_only=True)
class MemberAdded(Event):
    type = EventType.MEMBER_ADDED
    user_id: str


@dataclass(frozen=True, kw_only=True)
class ObligationDone(Event):
    type = EventType.OBLIGATION_DONE
    instance_id: str


@dataclass(frozen=True, kw_only=True)
class ObligationExtended(Event):
    """A later due date (e.g. the board extends the six months of 3.3.7), or the action plan's date (O14)."""

    type = EventType.OBLIGATION_EXTENDED
    instance_id: str
    new_due: date


@dataclass(frozen=True, kw_only=True)
class NotificationSent(Event):
    """Recorded by the outbox once an email has gone; may be recorded by a non-member system actor."""

    type = EventType.NOTIFICATION_SENT
    key: str


@dataclass(frozen=True)
class EventResult:
    review: Review
    notifications: tuple[Notification, ...]
    citations: Citation
    history_entry: HistoryEntry


# Events whose email is produced by the event itself, and the obligation it serves.
_NOTIFYING: dict[EventType, str] = {
    EventType.REVIEW_OPENED: "O1",
    EventType.BUSINESS_AREAS_CONSULTED: "O4",
    EventType.IMR_COMPLETED: "O6",
    EventType.ACTION_PLAN_AGREED: "O8",
    EventType.PUBLISHED: "O10",
}
_OPENING = cite("1.1", "3.3.2", "4.1")


@dataclass
class _Applied:
    """What a handler did, beyond mutating the review copy."""

    detail: str
    referenced: tuple[str, ...] = ()
    # Event types this event also counts as, for satisfying obligations.
    implies: frozenset[EventType] = field(default_factory=frozenset)


def record_event(
    review: Review,
    event: Event,
    actor: str,
    at: datetime,
    address_book: AddressBook,
    settings: ReviewSettings | None = None,
) -> EventResult:
    """Apply ``event`` recorded by ``actor`` (a member's user id) at ``at`` (timezone-aware).

    ``event.on`` is a UK date, and an event without one happened on the UK date of ``at``.
    Raises ReviewRuleError when the guidance does not allow the event now, and ValueError for
    malformed input (naive datetime, event dated after today in the UK, unknown user id format).
    """
    settings = settings or ReviewSettings()
    if at.tzinfo is None:
        raise ValueError("record_event needs a timezone-aware datetime")
    if not USER_ID_PATTERN.match(actor):
        raise ValueError(f"{actor!r} is not a Teams / AAD user id")
    today = uk_date(at)
    on = event.on or today
    if on > today:
        raise ValueError("An event cannot be recorded as happening in the future (after today in the UK).")
    if event.type is not EventType.NOTIFICATION_SENT and not review.can_be_seen_by(actor):
        raise ReviewRuleError("Only members of a review can record events on it.", cite("8.1"))
    citation = _check_allowed(review, event)
    check_in_order(review, event.type, on)

    new = copy.deepcopy(review)
    seq = len(new.history) + 1
    applied = _HANDLERS[event.type](new, event, on, at, address_book)
    old_stage = new.stage
    decision = event.decision if isinstance(event, BoardDecisionMade) else None
    new.stage = (
        Stage.REFERRAL
        if event.type is EventType.REVIEW_OPENED
        else target_stage(event.type, old_stage, decision)
    )
    entry = HistoryEntry(seq, at, on, actor, event.type, applied.detail)
    new.history.append(entry)

    for record in new.obligations:
        if record.state is ObligationState.OPEN and new.stage in OBLIGATIONS[record.obligation_id].lapses_at:
            record.state = ObligationState.LAPSED
    if not new.stage.is_terminal:
        for obligation in triggered_by(event.type):
            due = due_date(obligation, on, new.key_dates, settings)
            new.obligations.append(
                ObligationRecord(f"{obligation.id}-{seq}", obligation.id, seq, on, due, due)
            )
            citation += obligation.paragraphs
    # An email satisfies only its own occurrence (handled in _sent), never every open one.
    satisfying = (applied.implies | {event.type}) - {EventType.NOTIFICATION_SENT}
    for record in new.obligations:
        if (
            record.state is ObligationState.OPEN
            and OBLIGATIONS[record.obligation_id].satisfied_by & satisfying
        ):
            record.state, record.done_on = ObligationState.DONE, on

    notifications = _notify(new, event.type, seq, at, address_book, settings, applied.referenced)
    for notification in notifications:
        citation += notification.paragraphs
    return EventResult(new, notifications, citation, entry)


def _check_allowed(review: Review, event: Event) -> Citation:
    if event.type is EventType.REVIEW_OPENED:
        if review.is_opened:
            raise ReviewRuleError("This review has already been opened.", _OPENING)
        return _OPENING
    if not review.is_opened:
        raise ReviewRuleError(
            "Open the review first: the start of the process triggers the notifications.", _OPENING
        )
    move = move_for(event.type)
    if review.stage not in move.allowed_from:
        needed = " or ".join(sorted(f"'{stage.label}'" for stage in move.allowed_from))
        raise ReviewRuleError(
            f"'{event.type.value.replace('_', ' ')}' cannot be recorded now: the review is at "
            f"'{review.stage.label}'. It can be recorded only at {needed}.",
            move.paragraphs,
        )
    return move.paragraphs


def _notify(
    review: Review,
    event_type: EventType,
    seq: int,
    at: datetime,
    address_book: AddressBook,
    settings: ReviewSettings,
    referenced: tuple[str, ...],
) -> tuple[Notification, ...]:
    obligation_id = _NOTIFYING.get(event_type)
    if obligation_id is None:
        return ()
    # The occurrence the email serves: the newest one (O4's was triggered by the terms of reference).
    record = [r for r in review.obligations if r.obligation_id == obligation_id][-1]
    recipients = recipients_for(OBLIGATIONS[obligation_id], review, address_book, referenced)
    notification = build_notification(
        review, obligation_id, record.instance_id, event_type, seq, recipients, settings
    )
    review.notifications.append(
        NotificationLogEntry(
            notification.key, obligation_id, record.instance_id, recipients, notification.subject, at
        )
    )
    return (notification,)


# Handlers: mutate the review copy, return what happened in words the history can show.


def _opened(review: Review, event: ReviewOpened, on: date, at: datetime, book: AddressBook) -> _Applied:
    detail = f"Review opened: {review.review_name}, {review.board_name}"
    outcome = review.eligibility_outcome
    if outcome:
        detail += f"; criteria: {outcome.result.value} ({', '.join(r.text for r in outcome.reasons)})"
    if event.representative is None:
        return _Applied(detail)
    nominated = _nominated(review, RepresentativeNominated(representative=event.representative), on, at, book)
    return _Applied(f"{detail}; {nominated.detail}", implies=frozenset({EventType.REPRESENTATIVE_NOMINATED}))


def _nominated(
    review: Review, event: RepresentativeNominated, on: date, at: datetime, book: AddressBook
) -> _Applied:
    rep = event.representative
    outcome = rep.outcome
    if not outcome.passed:
        failed = ", ".join(f.rule_id for f in outcome.failures)
        raise ReviewRuleError(
            f"This person cannot be recorded as the Home Office representative: {failed} not met.",
            cite("1.2", "7.2"),
            outcome.failures,
        )
    email = book.normalise(rep.member.email, "representative email")
    review.representative = Representative(StaffMember(rep.member.user_id, email), rep.answers)
    if rep.member.user_id not in review.members:
        review.members.append(rep.member.user_id)
    return _Applied(f"Representative recorded ({rep.member.user_id}); independence rules I1–I4 met")


def _check_failed(
    review: Review, event: RepresentativeCheckFailed, on: date, at: datetime, book: AddressBook
) -> _Applied:
    outcome = check_representative(event.answers)
    if outcome.passed:
        raise ReviewRuleError("These answers meet every rule: record the representative instead.", cite("1.2", "7.2"))
    failed = ", ".join(failure.rule_id for failure in outcome.failures)
    return _Applied(f"Representative independence check failed ({failed} not met); not recorded")


def _decided(review: Review, event: BoardDecisionMade, on: date, at: datetime, book: AddressBook) -> _Applied:
    review.board_decision = event.decision
    if event.decision is BoardDecision.PROCEED_WITH_STATUTORY_REVIEW:
        review.kind = ReviewKind.STATUTORY
    elif event.decision is BoardDecision.PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW:
        review.kind = ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW
    if event.decision is not BoardDecision.NOT_PROCEEDING:
        review.key_dates.decision_to_proceed = on
    return _Applied(f"Board decision: {event.decision.value.replace('_', ' ')}")


def _panel(
    review: Review, event: PanelMeetingScheduled, on: date, at: datetime, book: AddressBook
) -> _Applied:
    review.key_dates.first_panel_meeting = event.meeting_on
    return _Applied(f"First panel meeting on {event.meeting_on.isoformat()}")


def _referenced(
    review: Review, event: BusinessAreasConsulted | ActionPlanAgreed, book: AddressBook, what: str
) -> _Applied:
    try:
        typed = [book.normalise(email, "business area email") for email in event.emails]
    except AddressBookError as error:
        raise ReviewRuleError(str(error), move_for(event.type).paragraphs) from error
    emails = tuple(dict.fromkeys([book.areas[area].scs_lead for area in event.areas] + typed))
    if not emails:
        raise ReviewRuleError(
            f"Name at least one business area {what}. If none is, mark the obligation done instead.",
            move_for(event.type).paragraphs,
        )
    review.referenced_addresses = list(dict.fromkeys([*review.referenced_addresses, *emails]))
    return _Applied(f"Business areas {what}: {', '.join(emails)}", referenced=emails)


def _consulted(
    review: Review, event: BusinessAreasConsulted, on: date, at: datetime, book: AddressBook
) -> _Applied:
    return _referenced(review, event, book, "consulted on the IMR")


def _action_plan(
    review: Review, event: ActionPlanAgreed, on: date, at: datetime, book: AddressBook
) -> _Applied:
    return _referenced(review, event, book, "named in the action plan")


def _on_cid(review: Review, event: Event, on: date, at: datetime, book: AddressBook) -> _Applied:
    if not any(e.action is EventType.BUSINESS_AREAS_CONSULTED for e in review.history):
        raise ReviewRuleError("Record the consultation with the business areas first.", cite("1.5"))
    return _Applied("Confirmation of the consultation recorded on CID")


def _imr(review: Review, event: ImrCompleted, on: date, at: datetime, book: AddressBook) -> _Applied:
    outcome = check_imr_author(event.author)
    if not outcome.passed:
        failed = ", ".join(f.rule_id for f in outcome.failures)
        raise ReviewRuleError(
            f"The IMR cannot be recorded as complete: the author's independence is not shown ({failed}).",
            cite("5.1", "WT"),
            outcome.failures,
        )
    review.imr_author = event.author
    review.key_dates.imr_completed = on
    return _Applied("IMR completed; author independence A1–A4 confirmed")


def _milestone(review: Review, event: Event, on: date, at: datetime, book: AddressBook) -> _Applied:
    key_date = {
        EventType.APPROVED: "approved",
        EventType.PUBLISHED: "published",
        EventType.CLOSED: "closed",
    }.get(event.type)
    if key_date:
        setattr(review.key_dates, key_date, on)
    move = STAGE_MOVES.get(event.type)
    reached = f" – now: {move.to.label}" if move and move.to else ""
    return _Applied(f"{event.type.value.replace('_', ' ').capitalize()}{reached}")


def _member(review: Review, event: MemberAdded, on: date, at: datetime, book: AddressBook) -> _Applied:
    if not USER_ID_PATTERN.match(event.user_id):
        raise ValueError(f"{event.user_id!r} is not a Teams / AAD user id")
    if event.user_id not in review.members:
        review.members.append(event.user_id)
    return _Applied(f"Member added ({event.user_id})")


def _open_record(review: Review, instance_id: str) -> ObligationRecord:
    try:
        record = review.obligation(instance_id)
    except KeyError:
        raise ReviewRuleError(f"There is no obligation {instance_id} on this review.", cite("4.1")) from None
    if record.state is not ObligationState.OPEN:
        raise ReviewRuleError(f"Obligation {instance_id} is already {record.state.value}.", cite("4.1"))
    return record


def _done(review: Review, event: ObligationDone, on: date, at: datetime, book: AddressBook) -> _Applied:
    record = _open_record(review, event.instance_id)
    record.state, record.done_on = ObligationState.DONE, on
    return _Applied(f"Obligation {event.instance_id} marked done")


def _extended(
    review: Review, event: ObligationExtended, on: date, at: datetime, book: AddressBook
) -> _Applied:
    record = _open_record(review, event.instance_id)
    obligation = OBLIGATIONS[record.obligation_id]
    if obligation.due.kind in (DueKind.SAME_WORKING_DAY, DueKind.ONGOING):
        raise ReviewRuleError(
            f"{obligation.id} cannot be extended: it is due {obligation.due.kind.value.replace('_', ' ')}.",
            obligation.paragraphs,
        )
    current = effective_due(record, review)
    if event.new_due <= (current or on):
        raise ReviewRuleError("The new due date must be later than the current one.", obligation.paragraphs)
    record.due = event.new_due
    was = current.isoformat() if current else "no date"
    return _Applied(
        f"Obligation {event.instance_id} due date moved from {was} to {event.new_due.isoformat()}"
    )


def _sent(review: Review, event: NotificationSent, on: date, at: datetime, book: AddressBook) -> _Applied:
    entries = [n for n in review.notifications if n.key == event.key]
    if not entries:
        raise ReviewRuleError(f"There is no notification {event.key} on this review.", cite("1.8"))
    if entries[0].sent_at is not None:
        raise ReviewRuleError(f"Notification {event.key} is already recorded as sent.", cite("1.8"))
    entries[0].sent_at = at
    siblings = [n for n in review.notifications if n.instance_id == entries[0].instance_id]
    record = review.obligation(entries[0].instance_id)
    if record.state is ObligationState.OPEN and all(n.sent_at for n in siblings):
        record.state, record.done_on = ObligationState.DONE, on
    return _Applied(f"Email {entries[0].obligation_id} sent to {', '.join(entries[0].recipients)}")


_HANDLERS: dict[EventType, Callable[[Review, Any, date, datetime, AddressBook], _Applied]] = {
    EventType.REVIEW_OPENED: _opened,
    EventType.REPRESENTATIVE_NOMINATED: _nominated,
    EventType.REPRESENTATIVE_CHECK_FAILED: _check_failed,
    EventType.BOARD_DECISION: _decided,
    EventType.PANEL_MEETING_SCHEDULED: _panel,
    EventType.TERMS_OF_REFERENCE_AGREED: _milestone,
    EventType.BUSINESS_AREAS_CONSULTED: _consulted,
    EventType.CONSULTATION_RECORDED_ON_CID: _on_cid,
    EventType.IMR_COMPLETED: _imr,
    EventType.OVERVIEW_REPORT_PRODUCED: _milestone,
    EventType.ACTION_PLAN_AGREED: _action_plan,
    EventType.APPROVED: _milestone,
    EventType.PUBLISHED: _milestone,
    EventType.ACTIONS_CONFIRMED_COMPLETE: _milestone,
    EventType.CLOSED: _milestone,
    EventType.LESSON_IDENTIFIED: _milestone,
    EventType.MEMBER_ADDED: _member,
    EventType.OBLIGATION_DONE: _done,
    EventType.OBLIGATION_EXTENDED: _extended,
    EventType.NOTIFICATION_SENT: _sent,
}
