"""The forms that record events, as data: each one's button, what it asks, what recording it
means (with the paragraph), and how the answers become a domain event.

Which event a form records, when it may be recorded and in what order the review card offers it
all come from the domain's event registry: an event's definition names its form by key (``form``),
and this catalogue only says what that form looks like.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from bot.review import (
    EVENTS,
    IMR_AUTHOR_QUESTIONS,
    BoardDecision,
    BusinessArea,
    DocumentCopy,
    Event,
    EventRegistry,
    EventType,
    ImrAuthorAnswers,
    NoImrReason,
    ObligationRecord,
    Question,
    Review,
    allowed_events,
    answers_by_id,
    forward_event,
)
from bot.review.due_dates import DueDateSet

# Each form builds its event from the module that declares it: a new event needs no export.
from bot.review.events import (
    ActionPlanAgreed,
    ActionsConfirmedComplete,
    Approved,
    BoardDecisionMade,
    BusinessAreasAdded,
    BusinessAreasConsulted,
    Closed,
    ConsultationRecordedOnCid,
    DocumentAdded,
    ImrCompleted,
    LessonIdentified,
    MemberAdded,
    NoImrRequested,
    OverviewReportProduced,
    PanelMeetingScheduled,
    Published,
    TermsOfReferenceAgreed,
)
from bot.review.framework_change import FrameworkChanged
from bot.review.frameworks import SCR_2016, FrameworkReason, catalogue
from bot.review.pack_events import registry_for
from bot.review.registry import EventDefinition

Answers = dict[str, Any]


@dataclass(frozen=True)
class EventSpec:
    key: str  # the form key an event definition names
    button: str
    title: str
    explains: str
    date_label: str
    build: Callable[[Answers], Event]  # date_label "" means the form asks no date
    asks_decision: bool = False
    areas_label: str = ""  # "" means the form asks no business areas
    allows_no_area: bool = False  # a tick for "names no Home Office business area"
    only_new_areas: bool = False  # offers only areas not on the review, and no other addresses
    asks_reason: bool = False
    asks_colleague: bool = False
    # What copy the form asks for ("" asks none); a file sent in the chat or a link. The form's
    # context may name the document more closely (a copy waiting to be added).
    document_label: str = ""
    needs_document: bool = False
    questions: tuple[Question, ...] = ()
    date_may_be_future: bool = False
    # Asks which framework the review follows from now, and why (the choices come with the review).
    asks_framework: bool = False
    # Asks which of the review's duties the date is for (the choices come with the review).
    asks_duty: bool = False
    # Offers to say the copy was already sent outside the bot (a step recorded after it happened).
    asks_copy_sent_before: bool = False


def _on(answers: Answers) -> date:
    return date.fromisoformat(answers["date"])


# What each copy duty sends, as the forms name it.
COPIES = {"O6": "the completed IMR", "O10": "the published overview report and executive summary"}


def copy_waited_for(review: Review, record: ObligationRecord) -> str:
    """What the copy a duty waits for is, in the words of the event that made the duty arise."""
    email = registry_for(review.framework)[review.history[record.trigger_seq - 1].action].email
    return email.copy_of if email and email.copy_of else COPIES[record.obligation_id]


def _document(answers: Answers) -> DocumentCopy | None:
    return DocumentCopy(**answers["document"]) if answers.get("document") else None


def _missing() -> DocumentCopy:
    raise ValueError("Give the document: a link to it, or the file sent in this chat.")


def _areas(answers: Answers) -> dict[str, Any]:
    return {"areas": tuple(BusinessArea(area) for area in answers["areas"]),
            "emails": tuple(answers["emails"]), "on": _on(answers)}


DECISIONS = {
    "statutory": ("Hold a statutory review (Serious, Case Management or Significant Case Review)",
                  BoardDecision.PROCEED_WITH_STATUTORY_REVIEW),
    "independent": ("Hold a single Independent (inter-agency) Management Review rather than a full review "
                    "(para 6.1, 6.2)", BoardDecision.PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW),
    "audit": ("Hold a smaller-scale audit of the case (para 6.1)", BoardDecision.PROCEED_WITH_AUDIT),
    "none": ("Not to hold a review", BoardDecision.NOT_PROCEEDING),
}

FORMS: dict[str, EventSpec] = {spec.key: spec for spec in (
    EventSpec(
        "board_decision", "Record the board's decision", "The board's decision",
        "The board decides whether to hold a review (para 3.3.3); a decision to proceed starts the "
        "six-month clock (para 3.3.7).",
        "Date of the decision",
        lambda a: BoardDecisionMade(decision=DECISIONS[a["decision"]][1], on=_on(a)),
        asks_decision=True,
    ),
    EventSpec(
        "panel_meeting_scheduled", "Record the first panel meeting", "First panel meeting",
        "Record a panel representative who meets the independence rules before the first panel meeting "
        "(para 1.2, 7.2).",
        "Date of the first panel meeting",
        lambda a: PanelMeetingScheduled(meeting_on=_on(a)),
        date_may_be_future=True,
    ),
    EventSpec(
        "terms_of_reference_agreed", "Record the terms of reference agreed", "Terms of reference agreed",
        "The board chair approves the scope and terms of reference, which say which agencies provide an IMR "
        "(para 3.3.4, 4.1). PSU writes the Home Office IMR (para 5.1).",
        "Date they were agreed",
        lambda a: TermsOfReferenceAgreed(on=_on(a)),
    ),
    EventSpec(
        "business_areas_consulted", "Record business areas consulted", "Business areas consulted on the IMR",
        "Consult early every business area the IMR refers to, before it is submitted (para 1.5, 9.1). "
        "Recording this emails them.",
        "Date of the consultation",
        lambda a: BusinessAreasConsulted(**_areas(a)),
        areas_label="Home Office business areas referred to in the IMR",
    ),
    EventSpec(
        "consultation_recorded_on_cid", "Record consultation confirmed on CID",
        "Consultation confirmed on CID",
        "You must record confirmation of the consultation on the Case Information Database (para 1.5). "
        "Record here that you have done so.",
        "Date it was recorded on CID",
        lambda a: ConsultationRecordedOnCid(on=_on(a)),
    ),
    EventSpec(
        "imr_completed", "Record the IMR completed", "IMR completed",
        "PSU writes the IMR; its author must be independent of the case (para 5.1). Send a copy of the completed "
        "IMR to Investigations North \u2013 Lessons Learned Team (para 1.6, 7.3.5): give it here and recording this "
        "emails it to them. Without it, the email waits until you add it from the review card.",
        "Date the IMR was completed",
        lambda a: ImrCompleted(author=answers_by_id(ImrAuthorAnswers, a),
                               on=_on(a), document=_document(a)),
        questions=IMR_AUTHOR_QUESTIONS,
        document_label=COPIES["O6"],
    ),
    EventSpec(
        "no_imr_requested", "Record that no IMR is asked of the Home Office", "No IMR from the Home Office",
        "The panel decides which agencies provide an IMR (para 3.3.4). If it asks none of the Home Office, "
        "record that here: the IMR step ends, and consulting on an IMR (para 1.5) is no longer required.",
        "Date the panel decided",
        lambda a: NoImrRequested(reason=NoImrReason(a["reason"]), on=_on(a)),
        asks_reason=True,
    ),
    EventSpec(
        "overview_report_produced", "Record the overview report produced", "Overview report produced",
        "The panel's independent author produces the overview report (para 3.3.5, 4.1).",
        "Date it was produced",
        lambda a: OverviewReportProduced(on=_on(a)),
    ),
    EventSpec(
        "action_plan_agreed", "Record the action plan agreed", "Action plan and executive summary agreed",
        "Inform every business area the action plan refers to, and make sure they know at once of any "
        "recommendations for them (para 7.3.7). Recording this emails them. If the plan names no Home Office "
        "business area, say so: there is then nobody to inform.",
        "Date it was agreed",
        lambda a: ActionPlanAgreed(**_areas(a), document=_document(a)),
        areas_label="Home Office business areas named in the action plan",
        allows_no_area=True,
        document_label="the action plan (optional: it is sent to the areas it names)",
    ),
    EventSpec(
        "approved", "Record the board's approval", "Board approved the final report",
        "The board approves the final report (para 4.1).",
        "Date of approval",
        lambda a: Approved(on=_on(a)),
    ),
    EventSpec(
        "published", "Record the report published", "Report published",
        "When the overview report and executive summary are published, send a copy to PSU, OCC and "
        "Investigations North \u2013 Lessons Learned Team (para 1.7, 7.3.6, 7.4.2): give it here and recording this "
        "emails it to them. Without it, the email waits until you add it from the review card.",
        "Date of publication",
        lambda a: Published(on=_on(a), document=_document(a)),
        document_label=COPIES["O10"],
    ),
    EventSpec(
        "actions_confirmed_complete", "Record actions confirmed complete", "Actions confirmed complete",
        "Before actions are recorded as complete, confirm them with the business areas referred to and "
        "record that on CID (para 7.3.7, 9.1).",
        "Date of confirmation",
        lambda a: ActionsConfirmedComplete(on=_on(a)),
    ),
    EventSpec(
        "closed", "Record the review closed", "Review formally closed",
        "The board formally closes the review once its recommendations are implemented (para 4.1).",
        "Date it was closed",
        lambda a: Closed(on=_on(a)),
    ),
    EventSpec(
        "business_areas_added", "Add a business area to this review", "Business area now involved",
        "All reviews must be notified at the beginning to the SCS with line management of each business area "
        "involved and its SCS Children's Lead (para 1.1). Adding an area emails its SCS lead and Children's Lead "
        "now.",
        "Date it was found to be involved",
        lambda a: BusinessAreasAdded(areas=tuple(BusinessArea(area) for area in a["areas"]), on=_on(a)),
        areas_label="Business areas now involved",
        only_new_areas=True,
    ),
    EventSpec(
        "document_added", "Add the document to send", "The copy to send",
        "The guidance asks you to send a copy, not a notice (para 1.6, 1.7): the email waits for its document. "
        "Give it here, and the email goes with it.",
        "",
        lambda a: DocumentAdded(document=_document(a) or _missing()),
        document_label="the document",
        needs_document=True,
    ),
    EventSpec(
        "member_added", "Add a colleague to this review", "Colleague on this review",
        "They will see this review in Teams and can record themselves as the Home Office representative if "
        "they meet the rules (para 1.2, 7.2). Add only people who need to see it (para 8.1).",
        "",
        lambda a: MemberAdded(user_id=a["colleague"]),
        asks_colleague=True,
    ),
    EventSpec(
        "lesson_identified", "Record a lesson identified", "Lesson identified",
        "Act on lessons as soon as they are identified, without waiting for the end of the review "
        "(para 3.3.8). Do not describe the lesson here: record it in the proper system.",
        "Date it was identified",
        lambda a: LessonIdentified(on=_on(a)),
    ),
    EventSpec(
        "framework_changed", "Change the framework", "Framework changed",
        "Possible until the review's first step is recorded. Duties of the framework it leaves that the new one "
        "does not have are no longer owed (the history names them); the new one's duties from the opening arise, "
        "its timescales counted from the day the case came to attention. Emails made from now on carry the new "
        "framework's name (para 1.8).",
        "",
        lambda a: FrameworkChanged(framework=a["framework"], reason=FrameworkReason(a["framework_reason"])),
        asks_framework=True,
    ),
)}


# The forms of the steps every framework pack shares beyond the source guidance's own: under a pack
# the Home Office's report stands in for the IMR, and this is the consultation on it; and a due date
# for a timescale a pack's sources leave unset (the source guidance's never are).
PACK_FORMS = {"report_areas_consulted": replace(
    FORMS["business_areas_consulted"], key="report_areas_consulted",
    title="Business areas consulted on the Home Office's report",
    explains="Consult early every business area the Home Office's report (in place of an IMR) refers to, before "
             "it is sent (para 1.5, 9.1). Recording this emails them.",
    areas_label="Home Office business areas referred to in the report",
), "review_meeting_scheduled": replace(
    FORMS["panel_meeting_scheduled"], key="review_meeting_scheduled", button="Record the first review meeting",
    title="First review meeting",
    explains="The first meeting of the review you sit in for the Home Office (the rapid review meeting, or the local "
             "review's panel): a representative who meets the independence rules is recorded before it "
             "(para 1.2, 7.2).",
    date_label="Date of the first review meeting",
), "due_date_set": EventSpec(
    "due_date_set", "Set a due date", "Due date set",
    "For a duty whose timescale the framework's sources do not fix (the safeguarding partners ask for the agency "
    "summary by a date of their own): the date it is due on this review. Reminders then count to it.",
    "The date it is due",
    lambda a: DueDateSet(instance_id=a["duty"], due=_on(a)),
    asks_duty=True,
    date_may_be_future=True,
)}


def _pack_form(definition: EventDefinition, title: str) -> EventSpec:
    """The form of a framework pack's own event: its date, and the copy its email carries if any."""
    copy_of = definition.email.copy_of if definition.email else None
    sends = (f" Recording it emails {copy_of} (give it here; without it, the email waits until you "
             "add it from the review card)." if copy_of else "")

    def build(answers: Answers) -> Event:
        copy = {"document": _document(answers), "copy_sent_before": answers.get("copy_sent_before", False)}
        return definition.data(on=_on(answers), **(copy if copy_of else {}))

    return EventSpec(definition.form or definition.type, f"Record: {title}", title,
                     f"{title} ({definition.paragraphs.text}).{sends}", "Date it happened", build,
                     document_label=copy_of or "", asks_copy_sent_before=bool(copy_of))


@cache
def all_forms() -> dict[str, EventSpec]:
    """These forms and those of every framework pack's own events, read from the packs (so only
    once they are loaded and checked, at start-up)."""
    own = {}
    for pack in catalogue().packs.values():
        if pack.id != SCR_2016 and pack.is_guided:
            registry = registry_for(pack.id)
            for event in pack.events:
                definition = registry[EventType(event.id)]
                own[definition.form or event.id] = _pack_form(definition, event.label)
    return {**FORMS, **PACK_FORMS, **own}


@cache
def event_titles(framework: str) -> dict[EventType, str]:
    """What each event of a review under ``framework`` is called on its cards (the same event may be
    worded for the framework: consulted on the IMR, or on the Home Office's report)."""
    return {definition.type: all_forms()[definition.form].title for definition in registry_for(framework)
            if definition.form in all_forms()}


@dataclass(frozen=True)
class Offer:
    """An event the review card can offer now, with the form that records it."""

    type: EventType
    spec: EventSpec

    @property
    def button(self) -> str:
        return self.spec.button


def forms_by_type(registry: EventRegistry = EVENTS, forms: dict[str, EventSpec] = FORMS) -> dict[EventType, EventSpec]:
    """Each event recorded with one of these forms, and its form."""
    return {definition.type: forms[definition.form] for definition in registry if definition.form in forms}


BY_TYPE = forms_by_type()


def available(review: Review, registry: EventRegistry | None = None,
              forms: dict[str, EventSpec] | None = None) -> list[Offer]:
    """The events the domain would accept now that a form here records, the step to record next
    first (so the review card never offers a button that is then refused, nor a forward button that
    skips a duty's step); otherwise in the registry's order (the review's pack's, by default)."""
    registry = registry or registry_for(review.framework)
    forms = forms or all_forms()
    by_type = forms_by_type(registry, forms)
    forward = forward_event(review, registry)
    offers = [Offer(event_type, by_type[event_type]) for event_type in allowed_events(review, registry)
              if event_type in by_type]
    return sorted(offers, key=lambda offer: offer.type is not forward)


def button_for(review: Review, event_type: EventType) -> str:
    """The review card's button that records ``event_type`` (the representative's is the card's own)."""
    if event_type is EventType.REPRESENTATIVE_NOMINATED:
        return "Record the representative"
    spec = forms_by_type(registry_for(review.framework), all_forms()).get(event_type)
    return spec.button if spec else event_type.label
