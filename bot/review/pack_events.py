"""The event registry of each framework pack: ``registry_for(framework)``.

Under scr-2016 it is the source guidance's own registry (events.EVENTS), declared in code. Under
any other pack it is built from the pack's file: its events move between its stages, its
timescales become obligations (the representative's own, or another body's they watch), and the
organisation policy's duties arise at the points of the process the pack marks (``moment``) and the
policy names (``at``): notify at the beginning, send copies of the Home Office's report and of the
published one. The steps every review has whatever its framework (the representative, colleagues,
business areas, documents, the outbox) are the source guidance's own events, recordable at the
pack's stages.
"""

from __future__ import annotations

from dataclasses import field, make_dataclass, replace
from datetime import date, datetime
from functools import cache

from .address_book import AddressBook
from .documents import DocumentCopy
from .due_dates import due_date_set_at
from .events import (
    BUSINESS_AREAS_ADDED,
    BUSINESS_AREAS_CONSULTED,
    CONSULTATION_RECORDED_ON_CID,
    DOCUMENT_ADDED,
    DOCUMENT_DELETED,
    EVENTS,
    HISTORY_EXPORTED,
    LESSON_IDENTIFIED,
    MEMBER_ADDED,
    NOTIFICATION_SENT,
    OBLIGATION_DONE,
    PANEL_MEETING_SCHEDULED,
    REPRESENTATIVE_CHECK_FAILED,
    REPRESENTATIVE_NOMINATED,
    REVIEW_OPENED,
    consultation_missed,
    copied,
)
from .framework_change import framework_changed_at
from .frameworks import SCR_2016, catalogue
from .model import Review
from .notifications import Email
from .obligations import Obligation, obligations_of
from .pack_schema import FrameworkPack, Moment, PackEvent
from .paragraphs import cite
from .registry import Applied, Event, EventDefinition, EventRegistry, Guard, Handler
from .stages import EventType, ReviewStage, stage_of, stages_of

# What the Home Office asks of those it tells, at each point of any framework's process.
_OPENING_EMAIL = Email(
    "O1",
    "review opened",
    "The Home Office is involved in {a_review_name} that is beginning.",
    "SCS lead and SCS Children's Lead: note the review; recommendations to the Home Office will be owned by "
    "the panel representative and their SCS (7.3.3), and the review is a standing item for SCS Children's "
    "Leads and Safeguarding Co-ordinators meetings (7.3.1, 7.3.2). PSU: please secure all available case "
    "records and begin a chronology of Home Office involvement (1.3, 5.2). OCC: please add the review to your "
    "records (7.4.2).",
    extra=cite("1.3", "7.3.1", "7.3.2", "7.3.3", "7.4.2"),
)
_CONSULTATION_EMAIL = Email(
    "O4",
    "consultation on the Home Office's report",
    "Your business area is referred to in the report the Home Office is preparing for this {review_name} (in "
    "place of an Individual Management Review).",
    "Please reply to {reply} with your comments before it is sent.",
)
_COPY_WORDS = {
    Moment.HOME_OFFICE_REPORT: (
        "The Home Office's report to this {review_name} has been sent (recorded as: %s).",
        "Investigations North – Lessons Learned Team: please monitor the changes it identifies and communicate "
        "progress. SCS leads (if copied): for information.",
        "a copy of the Home Office's report",
        "Home Office report",
    ),
    Moment.REPORT_PUBLISHED: (
        "The report of this {review_name} has been published (recorded as: %s).",
        "Please keep this copy: the OCC holds copies of completed reviews for colleagues new to them (7.4.1).",
        "the published report",
        "published report",
    ),
}


def _at(pack: FrameworkPack, moment: Moment) -> tuple[str, ...]:
    """The organisation policy's duties arising at ``moment`` under any pack."""
    return tuple(duty.id for duty in catalogue().policy.duties if duty.at is moment)


def _started_by(pack: FrameworkPack, event_id: str | None) -> tuple[str, ...]:
    """The pack's timescales that run from ``event_id`` (None: from the review's opening)."""
    return tuple(t.id for t in pack.timescales if t.from_event == event_id)


def _recorded_once(event_type: EventType) -> Guard:
    def guard(review: Review) -> str | None:
        if any(entry.action is event_type for entry in review.history):
            return f"'{event_type.label}' is already recorded on this review."
        return None
    return guard


def _pack_event(pack: FrameworkPack, event: PackEvent, obligations: dict[str, Obligation]) -> EventDefinition:
    event_type = EventType(event.id)
    copies = event.moment in _COPY_WORDS
    fields_ = [("document", DocumentCopy | None, field(default=None)),
               ("copy_sent_before", bool, field(default=False))] if copies else []
    data = make_dataclass("".join(part.capitalize() for part in event.id.split("_")), fields_, bases=(Event,),
                          frozen=True, kw_only=True, namespace={"type": event_type})
    email, duties = None, _at(pack, event.moment) if event.moment else ()
    # The duty whose email carries the copy this point of the process calls for (O6, O10).
    copy_duty = next((oid for oid in duties if obligations[oid].notifies), None) if copies else None
    if copy_duty:
        happened, ask, copy_of, file_name = _COPY_WORDS[event.moment]
        email = Email(copy_duty, event.label, happened % event.label, ask, copy_of=copy_of, file_name=file_name,
                      extra=cite("7.4.1") if event.moment is Moment.REPORT_PUBLISHED else None)
    moves_to = stage_of(pack.id, event.to_stage)

    def handle(review: Review, recorded: Event, on: date, at: datetime, book: AddressBook) -> Applied:
        detail = f"{event.label} – now: {moves_to.label}"
        if event.moment is Moment.HOME_OFFICE_REPORT and consultation_missed(review):
            detail += ("; no business area was consulted on the report before it was sent, as para 1.5 asks: that "
                       "duty was missed")
        if copy_duty is None:
            return Applied(detail)
        return copied(detail, recorded, copy_duty, sent_when="outside the bot before this step was recorded here")

    before = tuple(EventType(other.id) for other in pack.events
                   if other.id != event.id and other.to_stage in event.from_stages)
    return EventDefinition(
        data=data,
        paragraphs=pack.citation(event.sources),
        allowed_at=frozenset(stage_of(pack.id, stage) for stage in event.from_stages),
        moves_to=moves_to,
        handle=handle,
        guard=_recorded_once(event_type),
        triggers=(*duties, *_started_by(pack, event.id)),
        meets=tuple(t.id for t in pack.timescales if t.until_event == event.id),
        email=email,
        dated_as=f"the date of '{event.label}'",
        after=before,
        form=f"{pack.id.replace('-', '_')}_{event.id}",
    )


def _opening_under(pack: FrameworkPack) -> Handler:
    """The opening, with only the timescales the answers to the pack's own criteria start (a case
    that is not a serious child safeguarding case is not waited on for a notification)."""
    def handle(review: Review, event: Event, on: date, at: datetime, book: AddressBook) -> Applied:
        assert REVIEW_OPENED.handle is not None
        applied = REVIEW_OPENED.handle(review, event, on, at, book)
        if pack.criteria is None or review.criteria_answers is None:
            return applied
        return replace(applied, not_arising=applied.not_arising | pack.criteria.not_started(review.criteria_answers))
    return handle


def _build(pack: FrameworkPack) -> EventRegistry:
    obligations = dict(obligations_of(pack.id))
    stages = stages_of(pack.id)
    active: frozenset[ReviewStage] = frozenset(stage for stage in stages if not stage.is_terminal)
    everywhere: frozenset[ReviewStage] = frozenset(stages)
    opened = replace(REVIEW_OPENED, moves_to=stages[0], email=_OPENING_EMAIL, handle=_opening_under(pack),
                     triggers=(*_at(pack, Moment.OPENING), *_started_by(pack, None)))
    meeting = replace(PANEL_MEETING_SCHEDULED, form="review_meeting_scheduled")
    at_any_active = [replace(definition, allowed_at=active) for definition in (
        REPRESENTATIVE_NOMINATED, REPRESENTATIVE_CHECK_FAILED, meeting, BUSINESS_AREAS_ADDED, DOCUMENT_ADDED,
        MEMBER_ADDED)]
    lesson = replace(LESSON_IDENTIFIED, allowed_at=active, triggers=_at(pack, Moment.LESSON))
    # Only a pack's timescales can be left unset by its sources: the source guidance's never are.
    due_date = due_date_set_at(active)
    consulting = _consulting(pack, active)
    at_any_stage = [replace(definition, allowed_at=everywhere) for definition in (
        OBLIGATION_DONE, NOTIFICATION_SENT, DOCUMENT_DELETED, HISTORY_EXPORTED)]
    return EventRegistry((opened, *(_pack_event(pack, event, obligations) for event in pack.events),
                          *consulting, *at_any_active, lesson, due_date, framework_changed_at(stages[0]),
                          *at_any_stage),
                         obligations)


def _consulting(pack: FrameworkPack, active: frozenset[ReviewStage]) -> tuple[EventDefinition, ...]:
    """Consulting the business areas the Home Office's report refers to, while it is prepared, and
    putting that on CID (1.5): where the pack marks when the report is asked for and sent."""
    report = pack.event_at(Moment.HOME_OFFICE_REPORT)
    if report is None or not _at(pack, Moment.REPORT_REQUESTED):
        return ()
    consulted = replace(BUSINESS_AREAS_CONSULTED, email=_CONSULTATION_EMAIL, form="report_areas_consulted",
                        allowed_at=frozenset(stage_of(pack.id, stage) for stage in report.from_stages),
                        triggers=_at(pack, Moment.AREAS_CONSULTED))
    return consulted, replace(CONSULTATION_RECORDED_ON_CID, allowed_at=active)


@cache
def registry_for(framework: str) -> EventRegistry:
    """The events a review under ``framework`` can record, in its process's order."""
    return EVENTS if framework == SCR_2016 else _build(catalogue().pack(framework))
