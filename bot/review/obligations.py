"""Obligations O1–O15 of RULES.md as data, their due dates, and what is outstanding on a review.

Events trigger and meet obligations, as their definitions in the event registry say (events.py).
An occurrence (``ObligationRecord``) is open until an event meets it, the user marks it done
(OBLIGATION_DONE: the bot cannot see CID or a meeting room), or it lapses, visibly, because the
review moved past the point where it could be done or ended. Obligations whose duty is an email
(O1, O4, O6, O8, O10) are met only when the outbox confirms the email was sent (NOTIFICATION_SENT)
– never by hand – so a failed send stays visible.

Where the guidance is vague the due rule points at a ``ReviewSettings`` field (see settings.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache

from .frameworks import SCR_2016, catalogue
from .model import KeyDates, ObligationRecord, ObligationState, Review
from .pack_schema import DueKind, Duty, FrameworkPack, OrganisationPolicy, PolicyDuty, Timescale
from .paragraphs import Citation, cite
from .settings import ReviewSettings
from .stages import EventType, ReviewStage, Stage, stage_of
from .working_days import add_months, add_working_days, working_days_between


@dataclass(frozen=True)
class DueRule:
    kind: DueKind
    # ReviewSettings field holding N, for WORKING_DAYS and CALENDAR_MONTHS.
    setting: str | None = None
    # KeyDates field the period runs from; None means the date of the triggering event.
    anchor: str | None = None
    # For BEFORE_EVENT: the event it must precede, and a KeyDates field giving that event's
    # expected date once known (e.g. the first panel meeting).
    before: EventType | None = None
    before_date: str | None = None
    # For BEFORE_EVENT under a framework pack: what that event is, in words.
    before_words: str | None = None
    # For TIMESCALE: the pack's timescale and the pack, whose unset amounts the settings may fill.
    timescale: Timescale | None = None
    framework: str | None = None

    def configured(self, settings: ReviewSettings) -> Timescale | None:
        """The timescale as this organisation runs it: an amount its sources leave unset may be set."""
        if self.timescale is None:
            return None
        amounts = settings.framework_timescales.get(self.framework or "", {})
        return FrameworkPack.configured_timescale(self.timescale, amounts)

    def describe(self, settings: ReviewSettings) -> str:
        if self.kind is DueKind.TIMESCALE:
            timescale = self.configured(settings)
            assert timescale is not None  # a TIMESCALE rule is always built with its timescale
            return f"within {timescale.describe()}" if timescale.is_set else "when set: its timescale is not set"
        n = getattr(settings, self.setting) if self.setting else 0
        anchor = f" after {self.anchor.replace('_', ' ')}" if self.anchor else ""
        return {
            DueKind.SAME_WORKING_DAY: "the same working day",
            DueKind.WORKING_DAYS: f"within {n} working day{'s' * (n != 1)}{anchor}",
            DueKind.CALENDAR_MONTHS: f"within {n} calendar month{'s' * (n != 1)}{anchor}",
            DueKind.BEFORE_EVENT: f"before {self._before_what()}",
            DueKind.AS_AGREED: "by the date agreed in the action plan",
            DueKind.ONGOING: "throughout the review",
        }[self.kind]

    def is_unset(self, settings: ReviewSettings) -> bool:
        """A pack's timescale its sources do not fix and the organisation has not set: no date is
        invented, and the card says it is not set."""
        timescale = self.configured(settings)
        return timescale is not None and not timescale.is_set

    def _before_what(self) -> str:
        if self.before_words:
            return self.before_words
        if self.before_date:
            return "the " + self.before_date.replace("_", " ")
        return _BEFORE_PHRASES[self.before] if self.before else ""


_BEFORE_PHRASES = {
    EventType.TERMS_OF_REFERENCE_AGREED: "the terms of reference are agreed",
    EventType.IMR_COMPLETED: "the IMR is submitted",
    EventType.CLOSED: "the review is closed",
}


@dataclass(frozen=True)
class Obligation:
    id: str
    title: str
    paragraphs: Citation
    due: DueRule
    # Role keys of the address book table in RULES.md (``referenced_areas`` are entered per review).
    recipients: tuple[str, ...]
    # Its duty is an email the bot sends: met when that email is sent, never marked done by hand. The
    # events that send it, and in what words, say so in their definitions (events.py).
    notifies: bool = False
    # Stages (besides the review's end) at which an occurrence still open can no longer be done.
    lapses_at: frozenset[ReviewStage] = frozenset()
    # The event after which an occurrence still open can no longer be done, where that event leaves
    # the stage as it is (a pack's report sent while its review stays at the rapid review).
    lapses_on: EventType | None = None
    # What the representative records to do it, where that is a step of its own before the next
    # milestone (the review card offers it first, so the forward button never skips it).
    done_by_recording: EventType | None = None
    # Its duty is to send a *copy* (1.6, 1.7): no email goes until the document is there to go with it.
    needs_document: bool = False
    # Another body's duty the representative only watches (a framework pack's dependency), e.g.
    # "local authority"; None for the Home Office's own.
    waits_on: str | None = None


_E = EventType
# Once the IMR step is over (IMR completed, or none asked of the Home Office), consulting on it
# early (1.5) can no longer be done.
_AFTER_IMR_STEP = frozenset(Stage) - {Stage.REFERRAL, Stage.DECISION, Stage.TERMS_OF_REFERENCE}

OBLIGATIONS: dict[str, Obligation] = {
    ob.id: ob
    for ob in (
        Obligation(
            "O1",
            "Notify the SCS lead, the SCS Children's Lead (if different), PSU and OCC by email",
            cite("1.1", "5.2", "7.1", "7.4.2", "9.1"),
            DueRule(DueKind.SAME_WORKING_DAY),
            ("scs_lead", "scs_childrens_lead", "psu", "occ"),
            notifies=True,
        ),
        Obligation(
            "O2",
            "Secure all available case records, and deal with PSU requests as a priority",
            cite("1.3", "5.2"),
            DueRule(DueKind.WORKING_DAYS, "promptly_working_days"),
            (),
        ),
        Obligation(
            "O3",
            "Record a panel representative who meets the independence rules",
            cite("1.2", "7.2"),
            DueRule(
                DueKind.BEFORE_EVENT, before=_E.TERMS_OF_REFERENCE_AGREED, before_date="first_panel_meeting"
            ),
            (),
        ),
        Obligation(
            "O4",
            "Consult every business area referred to in the IMR, early and before it is submitted",
            cite("1.5", "9.1"),
            DueRule(DueKind.BEFORE_EVENT, before=_E.IMR_COMPLETED),
            ("referenced_areas",),
            notifies=True,
            lapses_at=_AFTER_IMR_STEP,
            done_by_recording=_E.BUSINESS_AREAS_CONSULTED,
        ),
        Obligation(
            "O5",
            "Record confirmation of the consultation on CID",
            cite("1.5"),
            DueRule(DueKind.WORKING_DAYS, "promptly_working_days"),
            (),
            done_by_recording=_E.CONSULTATION_RECORDED_ON_CID,
        ),
        Obligation(
            "O6",
            "Send a copy of the completed IMR to Investigations North – Lessons Learned Team",
            cite("1.6", "7.3.5", "9.1"),
            DueRule(DueKind.SAME_WORKING_DAY),
            ("lessons_learned",),
            notifies=True,
            done_by_recording=_E.DOCUMENT_ADDED,
            needs_document=True,
        ),
        Obligation(
            "O7",
            "Keep business areas aware of key developments, disseminate learning, consider policy change",
            cite("1.4", "7.3.4"),
            DueRule(DueKind.ONGOING),
            ("scs_lead", "referenced_areas"),
        ),
        Obligation(
            "O8",
            "Inform the business areas named in the action plan of the recommendations for them",
            cite("7.3.7"),
            DueRule(DueKind.SAME_WORKING_DAY),
            ("referenced_areas",),
            notifies=True,
        ),
        Obligation(
            "O9",
            "Confirm with the referenced business areas before actions are recorded as complete, "
            "and record that on CID",
            cite("7.3.7", "9.1"),
            DueRule(DueKind.BEFORE_EVENT, before=_E.CLOSED),
            ("referenced_areas",),
        ),
        Obligation(
            "O10",
            "Send the published overview report and executive summary to PSU, OCC and Lessons Learned",
            cite("1.7", "7.3.6", "7.4.2"),
            DueRule(DueKind.SAME_WORKING_DAY),
            ("psu", "occ", "lessons_learned"),
            notifies=True,
            done_by_recording=_E.DOCUMENT_ADDED,
            needs_document=True,
        ),
        Obligation(
            "O11",
            "Act on the lesson identified now, without waiting for the review to finish",
            cite("3.3.8"),
            DueRule(DueKind.WORKING_DAYS, "lesson_working_days"),
            (),
        ),
        Obligation(
            "O12",
            "Review completed (final report approved by the board)",
            cite("3.3.7", "WT"),
            DueRule(DueKind.CALENDAR_MONTHS, "completion_months", anchor="decision_to_proceed"),
            (),
        ),
        Obligation(
            "O13",
            "Board decision on whether to hold a review",
            cite("WT"),
            DueRule(DueKind.CALENDAR_MONTHS, "decision_months", anchor="came_to_chair_attention"),
            (),
        ),
        Obligation(
            "O14",
            "Recommendations to the Home Office: you and your SCS lead answer to the board for them",
            cite("7.3.3"),
            DueRule(DueKind.AS_AGREED),
            ("scs_lead",),
        ),
        Obligation(
            "O15",
            "Keep the review as a standing item for SCS Children's Leads and Safeguarding "
            "Co-ordinators meetings",
            cite("7.3.1", "7.3.2"),
            DueRule(DueKind.ONGOING),
            ("scs_childrens_lead",),
        ),
    )
}


def due_date(
    obligation: Obligation, triggered_on: date, key_dates: KeyDates, settings: ReviewSettings
) -> date | None:
    """Fixed due date of a new occurrence; None for rules without a fixed date.

    Always a working day: a deadline that lands on a weekend or bank holiday moves to the next
    working day (the one-month decision of Working Together from 25 November 2026 is due on
    Tuesday 29 December 2026, not Christmas Day)."""
    rule = obligation.due
    start = getattr(key_dates, rule.anchor) if rule.anchor else triggered_on
    if start is None:
        return None
    match rule.kind:
        case DueKind.SAME_WORKING_DAY:
            return add_working_days(start, 0)
        case DueKind.WORKING_DAYS:
            return add_working_days(start, getattr(settings, rule.setting or ""))
        case DueKind.CALENDAR_MONTHS:
            return add_working_days(add_months(start, getattr(settings, rule.setting or "")), 0)
        case DueKind.TIMESCALE:
            timescale = rule.configured(settings)
            return timescale.due_from(start) if timescale else None
        case _:
            return None


def policy_obligation(duty: PolicyDuty, pack: FrameworkPack, policy: OrganisationPolicy) -> Obligation:
    """A duty of the organisation policy as a review under ``pack`` owes it, all from the policy file.
    One due before a moment of the process (the Home Office's report sent) is due before the pack's
    event marked so, and lapses once the review has moved past it."""
    due, before, lapses_at = duty.due, EventType(duty.due.before_event) if duty.due.before_event else None, frozenset()
    event = pack.event_at(due.before_moment) if due.before_moment else None
    if event is not None:
        before = EventType(event.id)
        lapses_at = frozenset(stage_of(pack.id, stage) for stage in pack.stages_after(event))
    return Obligation(
        duty.id, duty.title, policy.citation(duty.sources),
        DueRule(due.kind, due.setting, before=before, before_date=due.before_date, before_words=due.before_words),
        duty.recipients,
        notifies=duty.notifies,
        lapses_at=lapses_at,
        lapses_on=before if event is not None else None,
        done_by_recording=EventType(duty.done_by_recording) if duty.done_by_recording else None,
        needs_document=duty.needs_document,
    )


def _waited_on(pack: FrameworkPack, timescale: Timescale) -> Obligation:
    """A pack's timescale as an obligation: the representative's own, or another body's they watch."""
    title = timescale.title or timescale.id.replace("_", " ").capitalize()
    dependency = timescale.duty is Duty.DEPENDENCY
    return Obligation(
        timescale.id,
        f"Waiting on the {timescale.owner}: {title}" if dependency else title,
        pack.citation(timescale.sources),
        # One that runs from the opening counts from the day the case came to the board's (the
        # partners') attention: the nearest the bot holds to when, say, the local authority became aware.
        DueRule(DueKind.TIMESCALE, timescale=timescale, framework=pack.id,
                anchor="came_to_chair_attention" if timescale.from_event is None else None),
        (),
        waits_on=timescale.owner if dependency else None,
        # The representative's own is done by recording its event: the card offers that step first.
        done_by_recording=EventType(timescale.until_event) if timescale.until_event and not dependency else None,
    )


@cache
def obligations_of(framework: str) -> Mapping[str, Obligation]:
    """The obligations a review under ``framework`` can owe, in the order they are listed: the
    source guidance's O1–O15 under scr-2016; under another pack, the organisation policy's duties
    that apply under any pack (those with an ``at``) and the pack's own timescales."""
    if framework == SCR_2016:
        return OBLIGATIONS
    found = catalogue()
    pack = found.pack(framework)
    table = {duty.id: policy_obligation(duty, pack, found.policy)
             for duty in found.policy.duties if duty.at is not None}
    return {**table, **{t.id: _waited_on(pack, t) for t in pack.timescales}}


def obligation_of(review: Review, obligation_id: str) -> Obligation:
    return obligations_of(review.framework)[obligation_id]


def _order(review: Review, obligation_id: str) -> int:
    return list(obligations_of(review.framework)).index(obligation_id)


def _gate_dates(record: ObligationRecord, review: Review) -> list[date]:
    """Dates on which the event a BEFORE_EVENT occurrence must precede was recorded (after its trigger)."""
    rule = obligation_of(review, record.obligation_id).due
    return [e.on for e in review.history if e.action is rule.before and e.seq > record.trigger_seq]


def effective_due(record: ObligationRecord, review: Review) -> date | None:
    """Due date now. A BEFORE_EVENT occurrence takes its date from the expected date of the event
    (e.g. the first panel meeting) or from the event itself once recorded."""
    rule = obligation_of(review, record.obligation_id).due
    if rule.kind is not DueKind.BEFORE_EVENT:
        return record.due
    candidates = [getattr(review.key_dates, rule.before_date)] if rule.before_date else []
    known = [d for d in candidates + _gate_dates(record, review) if d is not None]
    return min(known) if known else None


class DueStatus(Enum):
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"  # has a date outside the due-soon window
    OPEN = "open"  # no date (ongoing, or waiting for a date)


class Rag(Enum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


_RAG = {
    DueStatus.OVERDUE: Rag.RED,
    DueStatus.DUE_TODAY: Rag.AMBER,
    DueStatus.DUE_SOON: Rag.AMBER,
    DueStatus.UPCOMING: Rag.GREEN,
    DueStatus.OPEN: Rag.GREEN,
}


@dataclass(frozen=True)
class ObligationStatus:
    instance_id: str
    obligation: Obligation
    due: date | None
    status: DueStatus

    @property
    def rag(self) -> Rag:
        return _RAG[self.status]

    @property
    def paragraphs(self) -> Citation:
        return self.obligation.paragraphs


def status_on(due: date | None, today: date, due_soon_working_days: int) -> DueStatus:
    if due is None:
        return DueStatus.OPEN
    if today > due:
        return DueStatus.OVERDUE
    if today == due:
        return DueStatus.DUE_TODAY
    if working_days_between(today, due) <= due_soon_working_days:
        return DueStatus.DUE_SOON
    return DueStatus.UPCOMING


def outstanding(review: Review, today: date, due_soon_working_days: int = 3) -> list[ObligationStatus]:
    """Open obligations, most urgent first (overdue, then by due date, undated last). A review that
    has ended owes nothing: only its unsent emails stay open, shown with the emails."""
    if review.stage.is_terminal:
        return []
    statuses = []
    for record in review.obligations:
        if record.state is not ObligationState.OPEN:
            continue
        obligation = obligation_of(review, record.obligation_id)
        due = effective_due(record, review)
        status = status_on(due, today, due_soon_working_days)
        if (
            obligation.due.kind is DueKind.BEFORE_EVENT
            and obligation.due.before is not None
            and _gate_dates(record, review)
        ):
            # The event it had to precede has happened: it is late whatever the date says.
            status = DueStatus.OVERDUE
        statuses.append(ObligationStatus(record.instance_id, obligation, due, status))
    order = list(DueStatus)
    return sorted(
        statuses,
        key=lambda s: (order.index(s.status), s.due or date.max, _order(review, s.obligation.id), s.instance_id),
    )


def waiting_on_the_bot(review: Review, failed_emails: Collection[str]) -> frozenset[str]:
    """Open occurrences (instance ids) whose only step left is an email the bot has queued and not
    yet sent, none of which has failed (`failed_emails`: the outbox keys that did). They are the
    bot's work, not the person's; an occurrence with a failed email is the person's again (Retry)."""
    unsent = [entry for entry in review.notifications if entry.sent_at is None]
    failing = {entry.instance_id for entry in unsent if entry.key in failed_emails}
    still_open = {record.instance_id for record in review.obligations if record.state is ObligationState.OPEN}
    return (frozenset(entry.instance_id for entry in unsent) & still_open) - failing


def missed(review: Review, record: ObligationRecord) -> bool:
    """A duty that lapsed because the step it had to come before happened first (consulting on the
    IMR, 1.5, when the IMR is completed without it): not "no longer required" but missed, and shown so."""
    if record.state is not ObligationState.LAPSED or not record.lapsed_by:
        return False
    before = obligation_of(review, record.obligation_id).due.before
    return before is not None and review.history[record.lapsed_by - 1].action is before


def copy_unsent(review: Review, record: ObligationRecord) -> bool:
    """Whether a copy duty's email is still to be made: it is made only with the document (1.6, 1.7)."""
    return not any(n.instance_id == record.instance_id for n in review.notifications)


def waiting_for_document(review: Review) -> ObligationRecord | None:
    """The oldest open duty to send a copy whose email could not go for want of the document."""
    for record in review.obligations:
        if (record.state is ObligationState.OPEN and obligation_of(review, record.obligation_id).needs_document
                and copy_unsent(review, record)):
            return record
    return None
