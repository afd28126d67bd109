"""The events of a Serious Case Review (the 2016 guidance), each declared once, in one place: its
data class, its handler and guard, and its definition (stages, obligations, email, form key);
``EVENTS`` at the end is the registry of them all, in the flow chart's order.

Handlers change the review copy ``recording.record_event`` gives them and say what happened in
words the history can show; they raise ReviewRuleError to refuse an event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import Protocol

from .address_book import AddressBook, AddressBookError
from .date_words import long_day
from .documents import DocumentCopy
from .eligibility import Eligibility
from .framework_change import framework_changed_at
from .frameworks import FrameworkReason
from .independence import (
    ImrAuthorAnswers,
    IndependenceOutcome,
    RepresentativeAnswers,
    check_imr_author,
    check_representative,
)
from .kinds import KIND_DECIDED, BusinessArea
from .model import USER_ID_PATTERN, ObligationRecord, ObligationState, Representative, Review, StaffMember
from .notifications import Email, normalise_recipients
from .obligations import obligation_of, waiting_for_document
from .paragraphs import NO_PARAGRAPH, Citation, cite
from .registry import Applied, Event, EventDefinition, EventRegistry, ReviewRuleError
from .stages import ACTIVE_STAGES, BoardDecision, EventType, Stage
from .working_days import TOO_FAR_AHEAD, latest_ahead

_E = EventType
_EVERY_STAGE = frozenset(Stage)
# Consultation happens while the IMR is drafted (1.5, 9.1: "before submitting"); its confirmation
# can be put on CID any time afterwards.
_AFTER_TOR = ACTIVE_STAGES - {Stage.REFERRAL, Stage.DECISION}
_LEADS_NOTE = (
    "note the review; recommendations to the Home Office will be owned by the panel representative and their "
    "SCS (7.3.3), and the review is now a standing item for SCS Children's Leads and Safeguarding "
    "Co-ordinators meetings (7.3.1, 7.3.2)."
)


def _at(*stages: Stage) -> frozenset[Stage]:
    return frozenset(stages)


def _rules_met(outcome: IndependenceOutcome, musts: str) -> str:
    """History words for a passed check: the *must* rules met, and any *should* rule not met."""
    warned = ", ".join(warning.rule_id for warning in outcome.warnings)
    return f"rules {musts} met" + (f"; warned: {warned} not met (a 'should')" if warned else "")


# --- Opening the review and its representative (1.1, 1.2, 7.2) ---------------------------------

# What the eligibility answers point to, in the history's words (3.1.1, 3.3.3, 6.1).
_CRITERIA = {
    Eligibility.MUST_HOLD: "a review must be held",
    Eligibility.SHOULD_CONSIDER: "a review should be considered (the board decides)",
    Eligibility.NOT_MET: "the criteria are not met",
}


@dataclass(frozen=True, kw_only=True)
class ReviewOpened(Event):
    """First event of every review: sends O1. A representative may be recorded at the same time."""

    type = _E.REVIEW_OPENED
    representative: Representative | None = None
    # When the review follows another framework than the one in force: that one, and why.
    instead_of: str | None = None
    reason: FrameworkReason | None = None


def _opened(review: Review, event: ReviewOpened, on: date, at: datetime, book: AddressBook) -> Applied:
    detail = f"Review opened: {review.review_name}, {review.board_name}"
    if event.instead_of and event.reason:
        detail += (f"; framework {review.framework} (version {review.framework_version}) rather than "
                   f"{event.instead_of}, in force for its nation and date, because {event.reason.label}")
    outcome = review.eligibility_outcome
    if outcome:
        points_to = outcome.heading or _CRITERIA[outcome.result]
        detail += f"; the answers point to: {points_to} ({', '.join(r.text for r in outcome.reasons)})"
    if event.representative is None:
        return Applied(detail)
    nominated = _nominated(review, RepresentativeNominated(representative=event.representative), on, at, book)
    return Applied(f"{detail}; {nominated.detail}", implies=frozenset({_E.REPRESENTATIVE_NOMINATED}),
                   warnings=nominated.warnings)


REVIEW_OPENED = EventDefinition(
    data=ReviewOpened,
    paragraphs=cite("1.1", "3.3.2", "4.1"),
    opens=True,
    moves_to=Stage.REFERRAL,
    handle=_opened,
    triggers=("O1", "O2", "O3", "O7", "O13", "O15"),
    email=Email(
        "O1",
        "review opened",
        "The Home Office is involved in {a_review_name} that is beginning.",
        f"SCS lead and SCS Children's Lead: {_LEADS_NOTE} "
        "PSU: please secure all available case records and begin a chronology of Home Office "
        "involvement; PSU will write the IMR ({psu}). "
        "OCC: please add the review to your records (7.4.2).",
        extra=cite("7.3.1", "7.3.2", "7.3.3", "7.4.2"),
        about_kind=True,
    ),
)


@dataclass(frozen=True, kw_only=True)
class RepresentativeNominated(Event):
    type = _E.REPRESENTATIVE_NOMINATED
    representative: Representative


def _nominated(
    review: Review, event: RepresentativeNominated, on: date, at: datetime, book: AddressBook
) -> Applied:
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
    return Applied(f"Representative recorded ({rep.member.user_id}); {_rules_met(outcome, 'I1, I3 and I4')}",
                   warnings=outcome.warnings)


REPRESENTATIVE_NOMINATED = EventDefinition(
    data=RepresentativeNominated,
    paragraphs=cite("1.2", "7.2"),
    allowed_at=ACTIVE_STAGES,
    handle=_nominated,
    meets=("O3",),
    form="record_representative",
)


@dataclass(frozen=True, kw_only=True)
class RepresentativeCheckFailed(Event):
    """Someone answered I1–I4 and failed: they are not recorded (1.2, 7.2), but the attempt is."""

    type = _E.REPRESENTATIVE_CHECK_FAILED
    answers: RepresentativeAnswers


def _check_failed(
    review: Review, event: RepresentativeCheckFailed, on: date, at: datetime, book: AddressBook
) -> Applied:
    failed = _failed_rules(check_representative(event.answers), "record the representative", cite("1.2", "7.2"))
    return Applied(f"Representative independence check failed ({failed} not met); not recorded")


def _failed_rules(outcome: IndependenceOutcome, instead: str, paragraphs: Citation) -> str:
    """The rules a failed check kept for the audit trail did not meet; a check that passed is no failure."""
    if outcome.passed:
        raise ReviewRuleError(f"These answers meet every rule that must be met: {instead} instead.", paragraphs)
    return ", ".join(failure.rule_id for failure in outcome.failures)


# Kept for the audit trail: who was checked, which rule failed, and that they were not recorded.
REPRESENTATIVE_CHECK_FAILED = EventDefinition(
    data=RepresentativeCheckFailed,
    paragraphs=cite("1.2", "7.2"),
    allowed_at=ACTIVE_STAGES,
    handle=_check_failed,
)


# --- Milestones, in flow-chart order (4.1) -----------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BoardDecisionMade(Event):
    type = _E.BOARD_DECISION
    decision: BoardDecision


def _decided(review: Review, event: BoardDecisionMade, on: date, at: datetime, book: AddressBook) -> Applied:
    review.board_decision = event.decision
    if event.decision in KIND_DECIDED:
        review.kind = KIND_DECIDED[event.decision]
        review.key_dates.decision_to_proceed = on
    ends = Stage.NOT_PROCEEDING if event.decision is BoardDecision.NOT_PROCEEDING else None
    return Applied(f"Board decision: {event.decision.value.replace('_', ' ')}", moves_to=ends)


BOARD_DECISION = EventDefinition(
    data=BoardDecisionMade,
    paragraphs=cite("4.1", "3.3.3"),
    allowed_at=_at(Stage.REFERRAL),
    moves_to=Stage.DECISION,
    handle=_decided,
    triggers=("O12",),
    meets=("O13",),
    dated_as="the date of the board's decision",
    form="board_decision",
)


@dataclass(frozen=True, kw_only=True)
class PanelMeetingScheduled(Event):
    """Date of the first panel meeting: the representative must be settled by then (O3)."""

    type = _E.PANEL_MEETING_SCHEDULED
    meeting_on: date


def _panel(review: Review, event: PanelMeetingScheduled, on: date, at: datetime, book: AddressBook) -> Applied:
    if event.meeting_on > latest_ahead(on):
        raise ReviewRuleError(f"The date of the meeting {TOO_FAR_AHEAD}.", cite("1.2", "7.2"))
    review.key_dates.first_panel_meeting = event.meeting_on
    return Applied(f"First {review.words.meeting} on {long_day(event.meeting_on)}")


PANEL_MEETING_SCHEDULED = EventDefinition(
    data=PanelMeetingScheduled,
    paragraphs=cite("1.2", "7.2"),
    allowed_at=ACTIVE_STAGES,
    handle=_panel,
    form="panel_meeting_scheduled",
)


@dataclass(frozen=True, kw_only=True)
class TermsOfReferenceAgreed(Event):
    type = _E.TERMS_OF_REFERENCE_AGREED


TERMS_OF_REFERENCE_AGREED = EventDefinition(
    data=TermsOfReferenceAgreed,
    paragraphs=cite("4.1", "3.3.4"),
    allowed_at=_at(Stage.DECISION),
    moves_to=Stage.TERMS_OF_REFERENCE,
    triggers=("O4",),
    dated_as="the date the terms of reference were agreed",
    after=(_E.BOARD_DECISION,),
    form="terms_of_reference_agreed",
)


@dataclass(frozen=True, kw_only=True)
class BusinessAreasConsulted(Event):
    """Consult areas referred to in the draft IMR (O4): Home Office areas from the address book
    and/or other addresses typed in for this review."""

    type = _E.BUSINESS_AREAS_CONSULTED
    areas: tuple[BusinessArea, ...] = ()
    emails: tuple[str, ...] = ()


def _addresses(
    review: Review, event: BusinessAreasConsulted | ActionPlanAgreed, book: AddressBook, paragraphs: Citation
) -> tuple[str, ...]:
    """The areas' SCS leads and any addresses typed in, checked against the address book's domains."""
    try:
        typed = [book.normalise(email, "business area email") for email in event.emails]
    except AddressBookError as error:
        raise ReviewRuleError(str(error), paragraphs) from error
    emails = tuple(dict.fromkeys([book.areas[area].scs_lead for area in event.areas] + typed))
    review.referenced_addresses = list(dict.fromkeys([*review.referenced_addresses, *emails]))
    return emails


def _consulted(
    review: Review, event: BusinessAreasConsulted, on: date, at: datetime, book: AddressBook
) -> Applied:
    emails = _addresses(review, event, book, BUSINESS_AREAS_CONSULTED.paragraphs)
    report = review.words.report
    if not emails:
        raise ReviewRuleError(f"Name at least one business area consulted on {report}.", cite("1.5"))
    # An area already consulted on this report is not emailed again.
    consulted = {address for n in review.notifications if n.obligation_id == "O4" for address in n.recipients}
    new = tuple(email for email in emails if email not in consulted)
    again = [email for email in emails if email in consulted]
    detail = f"Business areas consulted on {report}: {', '.join(emails)}"
    if again:
        detail += f" ({', '.join(again)} consulted already: not emailed again)"
    return Applied(detail, referenced=new)


# As often as new areas come up, while the IMR is drafted: the email it sends meets O4, which the
# terms of reference triggered.
BUSINESS_AREAS_CONSULTED = EventDefinition(
    data=BusinessAreasConsulted,
    paragraphs=cite("1.5", "9.1"),
    allowed_at=_at(Stage.TERMS_OF_REFERENCE),
    handle=_consulted,
    triggers=("O5",),
    email=Email(
        "O4",
        "consultation on the IMR",
        "Your business area is referred to in the Individual Management Review (IMR) being prepared "
        "by PSU for this {review_name}.",
        "Please reply to {reply} with your comments before the IMR is submitted.",
    ),
    form="business_areas_consulted",
)


@dataclass(frozen=True, kw_only=True)
class ConsultationRecordedOnCid(Event):
    type = _E.CONSULTATION_RECORDED_ON_CID


def _on_cid(review: Review, event: Event, on: date, at: datetime, book: AddressBook) -> Applied:
    return Applied("Confirmation of the consultation recorded on CID")


def _consultation_waiting(review: Review) -> str | None:
    if any(r.obligation_id == "O5" and r.state is ObligationState.OPEN for r in review.obligations):
        return None
    return ("There is no consultation waiting to be confirmed on CID: record the consultation with the business "
            "areas first.")


CONSULTATION_RECORDED_ON_CID = EventDefinition(
    data=ConsultationRecordedOnCid,
    paragraphs=cite("1.5"),
    allowed_at=_AFTER_TOR,
    handle=_on_cid,
    guard=_consultation_waiting,
    meets=("O5",),
    form="consultation_recorded_on_cid",
)


@dataclass(frozen=True, kw_only=True)
class ImrCompleted(Event):
    """Refused unless the IMR author meets A1 and A2 (5.1). ``author`` is None only for an IMR
    completed before the review was recorded here (opened part-way): nobody answered for it then."""

    type = _E.IMR_COMPLETED
    author: ImrAuthorAnswers | None
    # The copy for Lessons Learned (1.6); without it the email waits until it is added.
    document: DocumentCopy | None = None
    # For a review opened part-way: the copy went before the review was recorded here.
    copy_sent_before: bool = False


def _imr(review: Review, event: ImrCompleted, on: date, at: datetime, book: AddressBook) -> Applied:
    if event.author is None:
        return copied("IMR completed before the review was recorded here; the author's independence was not "
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
    detail = f"IMR completed; author independence {_rules_met(outcome, 'A1 and A2')}"
    if consultation_missed(review):
        detail += ("; no business area was consulted on it before it was completed, as para 1.5 asks: that duty "
                   "was missed")
    return replace(copied(detail, event, "O6"), warnings=outcome.warnings)


def consultation_missed(review: Review) -> bool:
    """Whether the Home Office's report (the IMR, or what stands in for it) goes with no business area
    consulted on it first, as 1.5 asks: the review card then shows that duty as missed, not as no
    longer required."""
    consulted = {n.instance_id for n in review.notifications if n.obligation_id == "O4"}
    return any(r.obligation_id == "O4" and r.state is ObligationState.OPEN and r.instance_id not in consulted
               for r in review.obligations)


class CarriesCopy(Protocol):
    """An event whose duty is to send a copy (the IMR, the published report, a pack's report)."""

    document: DocumentCopy | None
    copy_sent_before: bool


def copied(detail: str, event: CarriesCopy, obligation_id: str,
           sent_when: str = "before the review was recorded here") -> Applied:
    """The event's copy duty: sent with the document, waiting for it, or already done outside the
    bot (a review opened part-way, a step recorded late) ``sent_when``, as the person recording it says."""
    if event.copy_sent_before:
        return Applied(f"{detail}; its copy was sent {sent_when}, as the person recording it confirmed",
                       not_arising=frozenset({obligation_id}))
    if event.document is None:
        return Applied(f"{detail}; no copy yet: its email waits for the document")
    return Applied(f"{detail}; copy: {event.document.describe()}", document=event.document)


IMR_COMPLETED = EventDefinition(
    data=ImrCompleted,
    paragraphs=cite("4.1", "5.1"),
    allowed_at=_at(Stage.TERMS_OF_REFERENCE),
    moves_to=Stage.IMRS,
    handle=_imr,
    triggers=("O6",),
    email=Email(
        "O6",
        "IMR completed",
        "The Individual Management Review (IMR) for this {review_name} is complete.",
        "Investigations North – Lessons Learned Team: please monitor the changes it identifies and "
        "communicate progress. SCS leads (if copied): for information.",
        copy_of="a copy of the completed IMR",
        file_name="IMR",
    ),
    key_date="imr_completed",
    dated_as="the date the IMR was completed",
    after=(_E.TERMS_OF_REFERENCE_AGREED,),
    form="imr_completed",
)


@dataclass(frozen=True, kw_only=True)
class ImrAuthorCheckFailed(Event):
    """The IMR's author failed A1 or A2 (5.1): the IMR is not recorded as complete, but the check is."""

    type = EventType("imr_author_check_failed")
    author: ImrAuthorAnswers


def _author_check_failed(
    review: Review, event: ImrAuthorCheckFailed, on: date, at: datetime, book: AddressBook
) -> Applied:
    failed = _failed_rules(check_imr_author(event.author), "record the IMR completed", cite("5.1"))
    return Applied(f"IMR author independence check failed ({failed} not met); the IMR was not recorded as complete")


# Kept for the audit trail, as a representative's failed check is: every failed independence check.
IMR_AUTHOR_CHECK_FAILED = EventDefinition(
    data=ImrAuthorCheckFailed,
    paragraphs=cite("5.1"),
    allowed_at=IMR_COMPLETED.allowed_at,
    handle=_author_check_failed,
)


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

    type = _E.NO_IMR_REQUESTED
    reason: NoImrReason


def _no_imr(review: Review, event: NoImrRequested, on: date, at: datetime, book: AddressBook) -> Applied:
    return Applied(f"The panel asked no IMR of the Home Office: {event.reason.label}")


# The panel decides which agencies provide an IMR (3.3.4); none asked of the Home Office ends its
# IMR step just as a completed IMR does.
NO_IMR_REQUESTED = EventDefinition(
    data=NoImrRequested,
    paragraphs=cite("4.1", "3.3.4"),
    allowed_at=_at(Stage.TERMS_OF_REFERENCE),
    moves_to=Stage.IMRS,
    handle=_no_imr,
    dated_as="the date the panel decided no IMR was needed",
    after=(_E.TERMS_OF_REFERENCE_AGREED,),
    form="no_imr_requested",
)


@dataclass(frozen=True, kw_only=True)
class OverviewReportProduced(Event):
    type = _E.OVERVIEW_REPORT_PRODUCED


OVERVIEW_REPORT_PRODUCED = EventDefinition(
    data=OverviewReportProduced,
    paragraphs=cite("4.1"),
    allowed_at=_at(Stage.IMRS),
    moves_to=Stage.OVERVIEW_REPORT,
    dated_as="the date the overview report was produced",
    after=(_E.IMR_COMPLETED,),
    form="overview_report_produced",
)


@dataclass(frozen=True, kw_only=True)
class ActionPlanAgreed(Event):
    """Action plan and executive summary agreed; names the business areas to inform (O8). A plan
    that names no Home Office business area is agreed all the same, with nobody to inform."""

    type = _E.ACTION_PLAN_AGREED
    areas: tuple[BusinessArea, ...] = ()
    emails: tuple[str, ...] = ()
    # Optional: the action plan itself, sent with the email to the areas it names (7.3.7).
    document: DocumentCopy | None = None


def _action_plan(review: Review, event: ActionPlanAgreed, on: date, at: datetime, book: AddressBook) -> Applied:
    emails = _addresses(review, event, book, ACTION_PLAN_AGREED.paragraphs)
    if emails:
        return Applied(f"Action plan agreed; business areas named in it: {', '.join(emails)}", referenced=emails,
                       document=event.document)
    # 7.3.7 asks to inform the areas the plan refers to: with none, there is nobody to inform and no
    # Home Office recommendation to answer for (7.3.3), so O8 and O14 do not arise.
    return Applied(
        "Action plan agreed; it names no Home Office business area, so there is nobody to inform (7.3.7)",
        not_arising=frozenset({"O8", "O14"}),
    )


ACTION_PLAN_AGREED = EventDefinition(
    data=ActionPlanAgreed,
    paragraphs=cite("4.1", "7.3.7"),
    allowed_at=_at(Stage.OVERVIEW_REPORT),
    moves_to=Stage.ACTION_PLAN,
    handle=_action_plan,
    triggers=("O8", "O9", "O14"),
    email=Email(
        "O8",
        "action plan agreed",
        "The panel has agreed the action plan for this {review_name}, and it names your business area.",
        "Please note the recommendations for your area now. Actions will be recorded as complete only "
        "after you confirm them with {reply} (7.3.7, 9.1).",
        copy_of="the action plan and the board's recommendations for your business area",
        file_name="action plan",
        extra=cite("9.1"),
    ),
    dated_as="the date the action plan was agreed",
    after=(_E.OVERVIEW_REPORT_PRODUCED,),
    form="action_plan_agreed",
)


@dataclass(frozen=True, kw_only=True)
class Approved(Event):
    type = _E.APPROVED


APPROVED = EventDefinition(
    data=Approved,
    paragraphs=cite("4.1"),
    allowed_at=_at(Stage.ACTION_PLAN),
    moves_to=Stage.APPROVED,
    meets=("O12",),
    key_date="approved",
    dated_as="the date the board approved the report",
    after=(_E.ACTION_PLAN_AGREED,),
    form="approved",
)


@dataclass(frozen=True, kw_only=True)
class Published(Event):
    type = _E.PUBLISHED
    # The published overview report and executive summary (1.7); the email waits for it.
    document: DocumentCopy | None = None
    # For a review opened part-way: the copy went before the review was recorded here.
    copy_sent_before: bool = False


def _published(review: Review, event: Published, on: date, at: datetime, book: AddressBook) -> Applied:
    return copied(PUBLISHED.milestone_detail(), event, "O10")


PUBLISHED = EventDefinition(
    data=Published,
    paragraphs=cite("4.1", "8.1"),
    allowed_at=_at(Stage.APPROVED),
    moves_to=Stage.PUBLISHED,
    handle=_published,
    triggers=("O10",),
    email=Email(
        "O10",
        "overview report published",
        "The overview report and executive summary of this {review_name} have been published.",
        "Please keep this copy: the OCC holds copies of completed reviews for colleagues "
        "new to them (7.4.1).",
        copy_of="the published overview report and executive summary",
        file_name="published report",
        extra=cite("7.4.1"),
    ),
    key_date="published",
    dated_as="the date of publication",
    after=(_E.APPROVED,),
    form="published",
)


@dataclass(frozen=True, kw_only=True)
class ActionsConfirmedComplete(Event):
    """The referenced areas confirmed the actions are complete and that is recorded on CID (O9)."""

    type = _E.ACTIONS_CONFIRMED_COMPLETE


ACTIONS_CONFIRMED_COMPLETE = EventDefinition(
    data=ActionsConfirmedComplete,
    paragraphs=cite("4.1", "7.3.7", "9.1"),
    allowed_at=_at(Stage.PUBLISHED),
    moves_to=Stage.IMPLEMENTATION,
    meets=("O9", "O14"),
    dated_as="the date the actions were confirmed complete",
    after=(_E.ACTION_PLAN_AGREED,),
    form="actions_confirmed_complete",
)


@dataclass(frozen=True, kw_only=True)
class Closed(Event):
    type = _E.CLOSED


def _no_copy_waiting(review: Review) -> str | None:
    """Closing would lapse a copy nobody has received (1.6, 1.7): it must be sent first."""
    record = waiting_for_document(review)
    if record is None:
        return None
    obligation = obligation_of(review, record.obligation_id)
    return (f"The review cannot be closed yet: \u201c{obligation.title}\u201d has not been done, because its email "
            f"waits for the document ({obligation.paragraphs.text}). Press Add the document to send on the review "
            "card, then close the review.")


CLOSED = EventDefinition(
    data=Closed,
    paragraphs=cite("4.1"),
    allowed_at=_at(Stage.IMPLEMENTATION),
    guard=_no_copy_waiting,
    moves_to=Stage.CLOSED,
    key_date="closed",
    dated_as="the date the review was closed",
    after=(_E.PUBLISHED, _E.ACTIONS_CONFIRMED_COMPLETE),
    form="closed",
)


# --- At any stage -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BusinessAreasAdded(Event):
    """Home Office business areas found to be involved after the review was opened: their SCS lead
    and Children's Lead are told as 1.1 requires at the beginning."""

    type = _E.BUSINESS_AREAS_ADDED
    areas: tuple[BusinessArea, ...]


def _areas_added(review: Review, event: BusinessAreasAdded, on: date, at: datetime, book: AddressBook) -> Applied:
    added = tuple(area for area in dict.fromkeys(event.areas) if area not in review.business_areas)
    if not added:
        raise ReviewRuleError("Those business areas are already on this review.", cite("1.1"))
    review.business_areas = (*review.business_areas, *added)
    # Only the new areas' leads: PSU, OCC and the areas already involved were told at the beginning.
    leads = normalise_recipients(
        [getattr(book.areas[area], role) for area in added for role in ("scs_lead", "scs_childrens_lead")]
    )
    return Applied(f"Business areas added: {', '.join(area.label for area in added)}", recipients=leads)


def _an_area_is_left(review: Review) -> str | None:
    if set(BusinessArea) - set(review.business_areas):
        return None
    return "Every Home Office business area is already on this review."


BUSINESS_AREAS_ADDED = EventDefinition(
    data=BusinessAreasAdded,
    paragraphs=cite("1.1"),
    allowed_at=ACTIVE_STAGES,
    handle=_areas_added,
    guard=_an_area_is_left,
    # A business area that becomes involved later is told then (1.1).
    triggers=("O1",),
    email=Email(
        "O1",
        "business area now involved",
        "Your business area has been found to be involved in {a_review_name} the Home Office is already "
        "taking part in. PSU and the OCC were told when it began.",
        f"SCS lead and SCS Children's Lead: {_LEADS_NOTE}",
        extra=cite("7.3.1", "7.3.2", "7.3.3"),
    ),
    form="business_areas_added",
)


@dataclass(frozen=True, kw_only=True)
class DocumentAdded(Event):
    """The copy a recorded event was waiting for (the IMR, the published report): its email goes now,
    in the words of the event that was waiting."""

    type = _E.DOCUMENT_ADDED
    document: DocumentCopy


def _document_added(review: Review, event: DocumentAdded, on: date, at: datetime, book: AddressBook) -> Applied:
    record = waiting_for_document(review)
    assert record is not None  # the guard allows the event only then
    title = obligation_of(review, record.obligation_id).title
    return Applied(f"Document added for: {title} ({event.document.describe()})", document=event.document,
                   serves=record)


def _a_copy_is_waiting(review: Review) -> str | None:
    if waiting_for_document(review):
        return None
    return "No copy is waiting for its document on this review."


# The copy of the IMR or the published report, when it was not to hand as the event was recorded.
DOCUMENT_ADDED = EventDefinition(
    data=DocumentAdded,
    paragraphs=cite("1.6", "1.7"),
    allowed_at=ACTIVE_STAGES,
    handle=_document_added,
    guard=_a_copy_is_waiting,
    form="document_added",
)


@dataclass(frozen=True, kw_only=True)
class MemberAdded(Event):
    type = _E.MEMBER_ADDED
    user_id: str


def _member(review: Review, event: MemberAdded, on: date, at: datetime, book: AddressBook) -> Applied:
    if not USER_ID_PATTERN.match(event.user_id):
        raise ValueError(f"{event.user_id!r} is not a Teams / AAD user id")
    if event.user_id not in review.members:
        review.members.append(event.user_id)
    return Applied(f"Member added ({event.user_id})")


MEMBER_ADDED = EventDefinition(
    data=MemberAdded, paragraphs=NO_PARAGRAPH, allowed_at=ACTIVE_STAGES, handle=_member, form="member_added"
)


@dataclass(frozen=True, kw_only=True)
class LessonIdentified(Event):
    """A lesson to act on now (O11). Deliberately no free text: describe it in the proper system."""

    type = _E.LESSON_IDENTIFIED


LESSON_IDENTIFIED = EventDefinition(
    data=LessonIdentified,
    paragraphs=cite("3.3.8"),
    allowed_at=ACTIVE_STAGES - {Stage.REFERRAL},
    triggers=("O11",),
    form="lesson_identified",
)


# --- Tidying up obligations and the outbox, possible after the review ends too ------------------


def _open_record(review: Review, instance_id: str) -> ObligationRecord:
    try:
        record = review.obligation(instance_id)
    except KeyError:
        raise ReviewRuleError("That obligation is not on this review.", NO_PARAGRAPH) from None
    if record.state is not ObligationState.OPEN:
        state = "done" if record.state is ObligationState.DONE else "no longer required"
        raise ReviewRuleError(f"That obligation is already {state}.", NO_PARAGRAPH)
    return record


@dataclass(frozen=True, kw_only=True)
class ObligationDone(Event):
    type = _E.OBLIGATION_DONE
    instance_id: str


def _done(review: Review, event: ObligationDone, on: date, at: datetime, book: AddressBook) -> Applied:
    record = _open_record(review, event.instance_id)
    obligation = obligation_of(review, record.obligation_id)
    if obligation.notifies:
        # Its duty is the email: saying it was done by hand would record a copy nobody received.
        raise ReviewRuleError(
            "This duty is met when the bot's email is sent, so it cannot be marked done by hand. If the email "
            "failed, retry it from the review card.",
            obligation.paragraphs,
        )
    # The registries are built from these events, so the review's own is looked up only when used.
    from .pack_events import registry_for

    step = registry_for(review.framework).recorded_by(record.obligation_id)
    if step is not None:
        # The bot sees this duty done when its event is recorded: a mark by hand would claim it unseen.
        raise ReviewRuleError(
            f"\u201c{obligation.title}\u201d is met by recording it on the review card ({step.label}), so it "
            "cannot be marked done by hand.",
            obligation.paragraphs,
        )
    record.state, record.done_on = ObligationState.DONE, on
    return Applied(f"Marked done: {obligation.title}")


# Marked done from the review card's own list, not from an event form.
OBLIGATION_DONE = EventDefinition(
    data=ObligationDone, paragraphs=NO_PARAGRAPH, allowed_at=_EVERY_STAGE, handle=_done
)


@dataclass(frozen=True, kw_only=True)
class NotificationSent(Event):
    """Recorded by the outbox once an email has gone; may be recorded by a non-member system actor."""

    type = _E.NOTIFICATION_SENT
    key: str


def _sent(review: Review, event: NotificationSent, on: date, at: datetime, book: AddressBook) -> Applied:
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
    title = obligation_of(review, entries[0].obligation_id).title
    return Applied(f"Email sent to {', '.join(entries[0].recipients)}: {title}")


NOTIFICATION_SENT = EventDefinition(
    data=NotificationSent, paragraphs=cite("1.8"), allowed_at=_EVERY_STAGE, handle=_sent, by_system=True
)


@dataclass(frozen=True, kw_only=True)
class DocumentDeleted(Event):
    """A copy the bot held was deleted once every email carrying it had gone (recorded by the bot)."""

    type = _E.DOCUMENT_DELETED
    name: str


def _document_deleted(
    review: Review, event: DocumentDeleted, on: date, at: datetime, book: AddressBook
) -> Applied:
    return Applied(f"Document {event.name} deleted from the bot: every email carrying it has been sent")


# Kept in the history: a copy sent is deleted from the bot, whatever the stage. The bot's own data
# care, which no paragraph of the guidance states.
DOCUMENT_DELETED = EventDefinition(
    data=DocumentDeleted, paragraphs=NO_PARAGRAPH, allowed_at=_EVERY_STAGE, handle=_document_deleted,
    by_system=True,
)


@dataclass(frozen=True, kw_only=True)
class HistoryExported(Event):
    """A member took the review's full history out of the bot as a file."""

    type = EventType("history_exported")


def _exported(review: Review, event: HistoryExported, on: date, at: datetime, book: AddressBook) -> Applied:
    return Applied("Full history exported as a file")


# Kept in the history, whatever the stage: who took a copy of the review's data, and when, is part
# of the audit trail. The bot's own data care, which no paragraph of the guidance states.
HISTORY_EXPORTED = EventDefinition(
    data=HistoryExported, paragraphs=NO_PARAGRAPH, allowed_at=_EVERY_STAGE, handle=_exported,
)


# The flow chart's order (4.1): the review card offers the next milestone first.
EVENTS = EventRegistry((
    REVIEW_OPENED,
    REPRESENTATIVE_NOMINATED,
    REPRESENTATIVE_CHECK_FAILED,
    BOARD_DECISION,
    PANEL_MEETING_SCHEDULED,
    TERMS_OF_REFERENCE_AGREED,
    BUSINESS_AREAS_CONSULTED,
    CONSULTATION_RECORDED_ON_CID,
    IMR_COMPLETED,
    IMR_AUTHOR_CHECK_FAILED,
    NO_IMR_REQUESTED,
    OVERVIEW_REPORT_PRODUCED,
    ACTION_PLAN_AGREED,
    APPROVED,
    PUBLISHED,
    ACTIONS_CONFIRMED_COMPLETE,
    CLOSED,
    BUSINESS_AREAS_ADDED,
    DOCUMENT_ADDED,
    MEMBER_ADDED,
    LESSON_IDENTIFIED,
    framework_changed_at(Stage.REFERRAL),
    OBLIGATION_DONE,
    NOTIFICATION_SENT,
    DOCUMENT_DELETED,
    HISTORY_EXPORTED,
))
