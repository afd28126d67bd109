"""Recording what happens on a review: the one entry point is ``record_event``.

``record_event`` never mutates the review it is given: it returns a new ``Review`` in the
``EventResult`` (store that one), so a refused event leaves nothing half-applied. Every accepted
event appends exactly one ``HistoryEntry``; its ``seq`` also makes notification keys stable.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar

from .address_book import AddressBook, AddressBookError
from .chronology import check_in_order
from .documents import DocumentCopy
from .independence import (
    ImrAuthorAnswers,
    IndependenceFailure,
    IndependenceOutcome,
    RepresentativeAnswers,
    check_imr_author,
    check_representative,
)
from .kinds import KIND_DECIDED, BusinessArea
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
from .notifications import Notification, build_notification, normalise_recipients, recipients_for
from .obligations import OBLIGATIONS, DueKind, due_date, effective_due, triggered_by
from .paragraphs import NO_PARAGRAPH, Citation, cite
from .settings import ReviewSettings
from .stages import STAGE_MOVES, BoardDecision, EventType, Stage, move_for, target_stage
from .working_days import uk_date


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
class BusinessAreasAdded(Event):
    """Home Office business areas found to be involved after the review was opened: their SCS lead
    and Children's Lead are told as 1.1 requires at the beginning."""

    type = EventType.BUSINESS_AREAS_ADDED
    areas: tuple[BusinessArea, ...]


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
    """Refused unless the IMR author meets A1 and A2 (5.1). ``author`` is None only for an IMR
    completed before the review was recorded here (opened part-way): nobody answered for it then."""

    type = EventType.IMR_COMPLETED
    author: ImrAuthorAnswers | None
    # The copy for Lessons Learned (1.6); without it the email waits until it is added.
    document: DocumentCopy | None = None
    # For a review opened part-way: the copy went before the review was recorded here.
    copy_sent_before: bool = False


class NoImrReason(Enum):
    """Why the panel asked no IMR of the Home Office (3.3.4: it decides which agencies provide one).
    A choice, not free text, so no detail of the case is typed in (8.1)."""

    LIMITED_INVOLVEMENT = "limited_involvement"
    INFORMATION_OTHERWISE = "information_otherwise"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _NO_IMR_REASONS[self]


_NO_IMR_REASONS = {
    NoImrReason.LIMITED_INVOLVEMENT: "the Home Office's involvement with the child or family was too limited",
    NoImrReason.INFORMATION_OTHERWISE: "the panel will have the Home Office's information another way "
                                       "(for example a chronology or a short report)",
    NoImrReason.OTHER: "another reason the panel recorded",
}


@dataclass(frozen=True, kw_only=True)
class NoImrRequested(Event):
    """The panel decided that no IMR is needed from the Home Office: the IMR step ends, and the
    duties tied to the IMR lapse visibly."""

    type = EventType.NO_IMR_REQUESTED
    reason: NoImrReason


@dataclass(frozen=True, kw_only=True)
class OverviewReportProduced(Event):
    type = EventType.OVERVIEW_REPORT_PRODUCED


@dataclass(frozen=True, kw_only=True)
class ActionPlanAgreed(Event):
    """Action plan and executive summary agreed; names the business areas to inform (O8). A plan
    that names no Home Office business area is agreed all the same, with nobody to inform."""

    type = EventType.ACTION_PLAN_AGREED
    areas: tuple[BusinessArea, ...] = ()
    emails: tuple[str, ...] = ()
    # Optional: the action plan itself, sent with the email to the areas it names (7.3.7).
    document: DocumentCopy | None = None


@dataclass(frozen=True, kw_only=True)
class Approved(Event):
    type = EventType.APPROVED


@dataclass(frozen=True, kw_only=True)
class Published(Event):
    type = EventType.PUBLISHED
    # The published overview report and executive summary (1.7); the email waits for it.
    document: DocumentCopy | None = None
    # For a review opened part-way: the copy went before the review was recorded here.
    copy_sent_before: bool = False


@dataclass(frozen=True, kw_only=True)
class DocumentDeleted(Event):
    """A copy the bot held was deleted once every email carrying it had gone (recorded by the bot)."""

    type = EventType.DOCUMENT_DELETED
    name: str


@dataclass(frozen=True, kw_only=True)
class DocumentAdded(Event):
    """The copy a recorded event was waiting for (the IMR, the published report): its email goes now."""

    type = EventType.DOCUMENT_ADDED
    document: DocumentCopy


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
    # "Should" rules not met (I2, A3, A4): recorded in the history and shown, never blocking.
    warnings: tuple[IndependenceFailure, ...] = ()


# Events whose email is produced by the event itself, and the obligation it serves.
_NOTIFYING: dict[EventType, str] = {
    EventType.REVIEW_OPENED: "O1",
    EventType.BUSINESS_AREAS_ADDED: "O1",
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
    warnings: tuple[IndependenceFailure, ...] = ()
    # Obligations this event would trigger that do not arise this time (no area to inform).
    not_arising: frozenset[str] = frozenset()
    # Who its email goes to, when not the obligation's usual roles (a newly involved area only).
    recipients: tuple[str, ...] | None = None
    # The copy its email carries, and the duty it serves when that is not this event's own.
    document: DocumentCopy | None = None
    serves: ObligationRecord | None = None


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
    if event.type not in _SYSTEM_EVENTS and not review.can_be_seen_by(actor):
        raise ReviewRuleError("Only members of a review can record events on it.", NO_PARAGRAPH)
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

    if not new.stage.is_terminal:
        for obligation in triggered_by(event.type):
            if obligation.id in applied.not_arising:
                continue
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
    for record in new.obligations:
        # Nothing is owed once the review has ended, and a step the review has moved past can no
        # longer be done: both lapse, kept visible with the event that ended them. An email the bot
        # has queued is still being done, and is met when it goes.
        if (
            record.state is ObligationState.OPEN
            and (new.stage.is_terminal or new.stage in OBLIGATIONS[record.obligation_id].lapses_at)
            and not _email_queued(new, record)
        ):
            record.state, record.lapsed_by = ObligationState.LAPSED, seq

    notifications = _notify(new, event.type, seq, at, address_book, settings, applied)
    for notification in notifications:
        citation += notification.paragraphs
    return EventResult(new, notifications, citation, entry, applied.warnings)


def _email_queued(review: Review, record: ObligationRecord) -> bool:
    return any(n.instance_id == record.instance_id and n.sent_at is None for n in review.notifications)


# Recorded by the bot itself (the outbox, the documents area), not by a member of the review.
_SYSTEM_EVENTS = frozenset({EventType.NOTIFICATION_SENT, EventType.DOCUMENT_DELETED})


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
            cite("4.1") + move.paragraphs,
        )
    guard = _GUARDS.get(event.type)
    if guard and (reason := guard(review)):
        raise ReviewRuleError(reason, move.paragraphs)
    return move.paragraphs


def _cid_guard(review: Review) -> str | None:
    if any(r.obligation_id == "O5" and r.state is ObligationState.OPEN for r in review.obligations):
        return None
    return ("There is no consultation waiting to be confirmed on CID: record the consultation with the business "
            "areas first.")


def _areas_guard(review: Review) -> str | None:
    if set(BusinessArea) - set(review.business_areas):
        return None
    return "Every Home Office business area is already on this review."


# Conditions beyond the stage. The review card offers only what passes them (allowed_events), so
# no button it shows leads to a refusal.
def _document_guard(review: Review) -> str | None:
    if waiting_for_document(review):
        return None
    return "No copy is waiting for its document on this review."


_GUARDS: dict[EventType, Callable[[Review], str | None]] = {
    EventType.CONSULTATION_RECORDED_ON_CID: _cid_guard,
    EventType.BUSINESS_AREAS_ADDED: _areas_guard,
    EventType.DOCUMENT_ADDED: _document_guard,
}


def allowed_events(review: Review) -> list[EventType]:
    """Every event that could be recorded on the review now, by stage and by the guards above."""
    return [
        event_type
        for event_type in EventType
        if event_type is not EventType.REVIEW_OPENED
        and review.stage in move_for(event_type).allowed_from
        and not (event_type in _GUARDS and _GUARDS[event_type](review))
    ]


def forward_event(review: Review) -> EventType | None:
    """The step to record next: a duty's own step that is still to do (consulting on the IMR,
    confirming it on CID) comes before the milestone it precedes (1.5, 9.1), then the next milestone."""
    allowed = allowed_events(review)
    for record in sorted(review.obligations, key=lambda r: int(r.obligation_id[1:])):
        step = OBLIGATIONS[record.obligation_id].done_by_recording
        if record.state is ObligationState.OPEN and step in allowed and not any(
            entry.action is step and entry.seq > record.trigger_seq for entry in review.history
        ):
            return step
    return next((event_type for event_type in STAGE_MOVES if event_type in allowed), None)


def _notify(
    review: Review,
    event_type: EventType,
    seq: int,
    at: datetime,
    address_book: AddressBook,
    settings: ReviewSettings,
    applied: _Applied,
) -> tuple[Notification, ...]:
    obligation_id = applied.serves.obligation_id if applied.serves else _NOTIFYING.get(event_type)
    if obligation_id is None:
        return ()
    obligation = OBLIGATIONS[obligation_id]
    if obligation.needs_document and applied.document is None:
        return ()  # a copy without the document is no copy: the duty stays open until it is added
    recipients = applied.recipients
    if recipients is None:
        recipients = recipients_for(obligation, review, address_book, applied.referenced)
    if not recipients:
        return ()  # nobody new to tell (an area consulted already, a plan naming no area)
    # The occurrence the email serves: its own, or the newest one (O4's was triggered by the terms
    # of reference); a document added later speaks of the event that was waiting for it.
    record = applied.serves or [r for r in review.obligations if r.obligation_id == obligation_id][-1]
    wording = review.history[record.trigger_seq - 1].action if applied.serves else event_type
    notification = build_notification(
        review, obligation_id, record.instance_id, wording, seq, recipients, settings, applied.document
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
    return _Applied(f"{detail}; {nominated.detail}", implies=frozenset({EventType.REPRESENTATIVE_NOMINATED}),
                    warnings=nominated.warnings)


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
    return _Applied(f"Representative recorded ({rep.member.user_id}); {_rules_met(outcome, 'I1, I3 and I4')}",
                    warnings=outcome.warnings)


def _rules_met(outcome: IndependenceOutcome, musts: str) -> str:
    """History words for a passed check: the *must* rules met, and any *should* rule not met."""
    warned = ", ".join(warning.rule_id for warning in outcome.warnings)
    return f"rules {musts} met" + (f"; warned: {warned} not met (a 'should')" if warned else "")


def _check_failed(
    review: Review, event: RepresentativeCheckFailed, on: date, at: datetime, book: AddressBook
) -> _Applied:
    outcome = check_representative(event.answers)
    if outcome.passed:
        raise ReviewRuleError(
            "These answers meet every rule that must be met: record the representative instead.", cite("1.2", "7.2")
        )
    failed = ", ".join(failure.rule_id for failure in outcome.failures)
    return _Applied(f"Representative independence check failed ({failed} not met); not recorded")


def _decided(review: Review, event: BoardDecisionMade, on: date, at: datetime, book: AddressBook) -> _Applied:
    review.board_decision = event.decision
    if event.decision in KIND_DECIDED:
        review.kind = KIND_DECIDED[event.decision]
        review.key_dates.decision_to_proceed = on
    return _Applied(f"Board decision: {event.decision.value.replace('_', ' ')}")


def _panel(
    review: Review, event: PanelMeetingScheduled, on: date, at: datetime, book: AddressBook
) -> _Applied:
    review.key_dates.first_panel_meeting = event.meeting_on
    return _Applied(f"First panel meeting on {event.meeting_on.isoformat()}")


def _addresses(review: Review, event: BusinessAreasConsulted | ActionPlanAgreed, book: AddressBook) -> tuple[str, ...]:
    """The areas' SCS leads and any addresses typed in, checked against the address book's domains."""
    try:
        typed = [book.normalise(email, "business area email") for email in event.emails]
    except AddressBookError as error:
        raise ReviewRuleError(str(error), move_for(event.type).paragraphs) from error
    emails = tuple(dict.fromkeys([book.areas[area].scs_lead for area in event.areas] + typed))
    review.referenced_addresses = list(dict.fromkeys([*review.referenced_addresses, *emails]))
    return emails


def _consulted(
    review: Review, event: BusinessAreasConsulted, on: date, at: datetime, book: AddressBook
) -> _Applied:
    emails = _addresses(review, event, book)
    if not emails:
        raise ReviewRuleError("Name at least one business area consulted on the IMR.", cite("1.5"))
    # An area already consulted on this IMR is not emailed again.
    consulted = {address for n in review.notifications if n.obligation_id == "O4" for address in n.recipients}
    new = tuple(email for email in emails if email not in consulted)
    again = [email for email in emails if email in consulted]
    detail = f"Business areas consulted on the IMR: {', '.join(emails)}"
    if again:
        detail += f" ({', '.join(again)} consulted already: not emailed again)"
    return _Applied(detail, referenced=new)


def _action_plan(
    review: Review, event: ActionPlanAgreed, on: date, at: datetime, book: AddressBook
) -> _Applied:
    emails = _addresses(review, event, book)
    if emails:
        return _Applied(f"Action plan agreed; business areas named in it: {', '.join(emails)}", referenced=emails,
                        document=event.document)
    # 7.3.7 asks to inform the areas the plan refers to: with none, there is nobody to inform and no
    # Home Office recommendation to answer for (7.3.3), so O8 and O14 do not arise.
    return _Applied(
        "Action plan agreed; it names no Home Office business area, so there is nobody to inform (7.3.7)",
        not_arising=frozenset({"O8", "O14"}),
    )


def _areas_added(review: Review, event: BusinessAreasAdded, on: date, at: datetime, book: AddressBook) -> _Applied:
    added = tuple(area for area in dict.fromkeys(event.areas) if area not in review.business_areas)
    if not added:
        raise ReviewRuleError("Those business areas are already on this review.", cite("1.1"))
    review.business_areas = (*review.business_areas, *added)
    # Only the new areas' leads: PSU, OCC and the areas already involved were told at the beginning.
    leads = normalise_recipients(
        [getattr(book.areas[area], role) for area in added for role in ("scs_lead", "scs_childrens_lead")]
    )
    return _Applied(f"Business areas added: {', '.join(area.label for area in added)}", recipients=leads)


def waiting_for_document(review: Review) -> ObligationRecord | None:
    """The oldest open duty to send a copy whose email could not go for want of the document."""
    for record in review.obligations:
        if (record.state is ObligationState.OPEN and OBLIGATIONS[record.obligation_id].needs_document
                and not any(n.instance_id == record.instance_id for n in review.notifications)):
            return record
    return None


def _document_added(review: Review, event: DocumentAdded, on: date, at: datetime, book: AddressBook) -> _Applied:
    record = waiting_for_document(review)
    assert record is not None  # the guard allows the event only then
    title = OBLIGATIONS[record.obligation_id].title
    return _Applied(f"Document added for: {title} ({event.document.describe()})", document=event.document,
                    serves=record)


def _document_deleted(
    review: Review, event: DocumentDeleted, on: date, at: datetime, book: AddressBook
) -> _Applied:
    return _Applied(f"Document {event.name} deleted from the bot: every email carrying it has been sent")


def _no_imr(review: Review, event: NoImrRequested, on: date, at: datetime, book: AddressBook) -> _Applied:
    return _Applied(f"The panel asked no IMR of the Home Office: {event.reason.label}")


def _on_cid(review: Review, event: Event, on: date, at: datetime, book: AddressBook) -> _Applied:
    return _Applied("Confirmation of the consultation recorded on CID")


def _imr(review: Review, event: ImrCompleted, on: date, at: datetime, book: AddressBook) -> _Applied:
    if event.author is None:
        review.key_dates.imr_completed = on
        return _copied("IMR completed before the review was recorded here; the author's independence was not "
                       "recorded", event, "O6")
    outcome = check_imr_author(event.author)
    if not outcome.passed:
        failed = ", ".join(f.rule_id for f in outcome.failures)
        raise ReviewRuleError(
            f"The IMR cannot be recorded as complete: the author must be independent of the case ({failed} "
            "not met).",
            cite("5.1"),
            outcome.failures,
        )
    review.imr_author = event.author
    review.key_dates.imr_completed = on
    applied = _copied(f"IMR completed; author independence {_rules_met(outcome, 'A1 and A2')}", event, "O6")
    return replace(applied, warnings=outcome.warnings)


def _copied(detail: str, event: ImrCompleted | Published, obligation_id: str) -> _Applied:
    """The event's copy duty: sent with the document, waiting for it, or (for a review opened
    part-way) already done before the review was recorded here, as the person recording it says."""
    if event.copy_sent_before:
        return _Applied(f"{detail}; its copy was sent before the review was recorded here, as the person "
                        "recording it confirmed", not_arising=frozenset({obligation_id}))
    if event.document is None:
        return _Applied(f"{detail}; no copy yet: its email waits for the document")
    return _Applied(f"{detail}; copy: {event.document.describe()}", document=event.document)


def _published(review: Review, event: Published, on: date, at: datetime, book: AddressBook) -> _Applied:
    return _copied(_milestone(review, event, on, at, book).detail, event, "O10")


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
        raise ReviewRuleError("That obligation is not on this review.", NO_PARAGRAPH) from None
    if record.state is not ObligationState.OPEN:
        state = "done" if record.state is ObligationState.DONE else "no longer required"
        raise ReviewRuleError(f"That obligation is already {state}.", NO_PARAGRAPH)
    return record


def _done(review: Review, event: ObligationDone, on: date, at: datetime, book: AddressBook) -> _Applied:
    record = _open_record(review, event.instance_id)
    obligation = OBLIGATIONS[record.obligation_id]
    if obligation.notifies:
        # Its duty is the email: saying it was done by hand would record a copy nobody received.
        raise ReviewRuleError(
            "This duty is met when the bot's email is sent, so it cannot be marked done by hand. If the email "
            "failed, retry it from the review card.",
            obligation.paragraphs,
        )
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
    EventType.BUSINESS_AREAS_ADDED: _areas_added,
    EventType.BUSINESS_AREAS_CONSULTED: _consulted,
    EventType.CONSULTATION_RECORDED_ON_CID: _on_cid,
    EventType.IMR_COMPLETED: _imr,
    EventType.NO_IMR_REQUESTED: _no_imr,
    EventType.DOCUMENT_ADDED: _document_added,
    EventType.DOCUMENT_DELETED: _document_deleted,
    EventType.OVERVIEW_REPORT_PRODUCED: _milestone,
    EventType.ACTION_PLAN_AGREED: _action_plan,
    EventType.APPROVED: _milestone,
    EventType.PUBLISHED: _published,
    EventType.ACTIONS_CONFIRMED_COMPLETE: _milestone,
    EventType.CLOSED: _milestone,
    EventType.LESSON_IDENTIFIED: _milestone,
    EventType.MEMBER_ADDED: _member,
    EventType.OBLIGATION_DONE: _done,
    EventType.OBLIGATION_EXTENDED: _extended,
    EventType.NOTIFICATION_SENT: _sent,
}
