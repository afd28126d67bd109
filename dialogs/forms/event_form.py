"""The form for recording one event on a review, built from its EventSpec."""

from dataclasses import asdict
from datetime import date
from typing import Any

from bot.review import (
    BusinessArea,
    DocumentCopy,
    EventType,
    NoImrReason,
    Review,
    ReviewSettings,
    waiting_for_document,
)
from bot.review.chronology import earliest
from bot.review.documents import link_copy
from bot.review.frameworks import FrameworkReason
from bot.review.people import entra_person, local_person
from bot.review.working_days import latest_ahead
from dialogs.card_form import Context, FormSpec
from dialogs.event_catalogue import DECISIONS, EventSpec, copy_waited_for
from dialogs.forms.choices import reason_choices
from dialogs.forms.yes_no import question_label
from dialogs.submitted import Submitted

COLLEAGUE_LABEL = "The colleague to add"
AREAS = {area.value: area.value for area in BusinessArea}
REASONS = {reason.value: reason.value for reason in NoImrReason}


def _colleague(submitted: Submitted, local_people: bool) -> str | None:
    """Teams' people picker sends the person's Entra object id, a GUID, stored namespaced as every
    member id is (bot.review.people); whether it is a real person is checked before they are added
    (bot.teams.colleagues). The Agents Playground's picker sends its own member ids (such as
    `user-id-1`): those are accepted only in local mode, where the people adding them are `local:`
    people too, and stored in the same namespace."""
    chosen = submitted.text("colleague", COLLEAGUE_LABEL, longest=200 if local_people else 36)
    person = entra_person(chosen) or (local_person(chosen) if local_people and chosen else None)
    if chosen and person is None:
        # Only a tampered card or a client without the people picker sends anything else.
        submitted.errors["colleague"] = (
            "That is not a person's id from your organisation's directory, so nobody was added. In Teams, "
            "type part of their name in this box and Teams finds them in the directory.")
    return person


def not_before(review: Review, event_type: EventType) -> Context:
    """What the form's date cannot precede (4.1), so a slip is marked on the date field; the domain
    checks again when the event is saved."""
    limit = earliest(review, event_type)
    return {"not_before": limit.on.isoformat(), "not_before_label": limit.milestone.what} if limit else {}


def event_form(spec: EventSpec) -> FormSpec:
    questions = tuple(q.id for q in spec.questions)
    fields = ("date", "decision", "areas", "emails", "no_area", "reason", "document_link", "colleague",
              "framework", "framework_reason", "duty", "copy_sent_before", *questions)

    def area_choices(context: Context) -> list[BusinessArea]:
        # Adding areas offers only those not on the review yet.
        on_review = set(context.get("areas_on_review", ())) if spec.only_new_areas else set()
        return [area for area in BusinessArea if area.value not in on_review]

    def data(context: Context, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
        return {
            "reference": context["reference"],
            "review_name": context["review_name"],
            "title": spec.title,
            "explains": spec.explains,
            "notice": context.get("notice", ""),
            "button": spec.button,
            "asks_date": bool(spec.date_label),
            "date_label": spec.date_label,
            "asks_colleague": spec.asks_colleague,
            "date_value": values["date"] or ("" if spec.date_may_be_future else context["today"]),
            "asks_decision": spec.asks_decision,
            "decision_choices": [{"title": title, "value": key} for key, (title, _) in DECISIONS.items()],
            "asks_areas": bool(spec.areas_label),
            "areas_label": spec.areas_label,
            "asks_emails": bool(spec.areas_label) and not spec.only_new_areas,
            "area_choices": [{"title": area.label, "value": area.value} for area in area_choices(context)],
            "allows_no_area": spec.allows_no_area,
            "no_area_value": values["no_area"] or "false",
            "asks_reason": spec.asks_reason,
            "reason_choices": reason_choices(NoImrReason),
            "questions": [
                {"id": q.id, "label": question_label(q), "value": values[q.id], "error": errors[q.id]}
                for q in spec.questions
            ],
            "asks_copy_sent_before": spec.asks_copy_sent_before,
            "copy_sent_before_value": values["copy_sent_before"] or "false",
            "asks_duty": spec.asks_duty,
            "duty_choices": context.get("duty_choices", []),
            "asks_framework": spec.asks_framework,
            "framework_choices": context.get("framework_choices", []),
            "framework_reason_choices": reason_choices(_reasons(context)),
            **_document_data(spec, context),
        }

    def parse(submitted: Submitted, context: Context) -> dict[str, Any]:
        today = date.fromisoformat(context["today"])
        first_day = context.get("not_before")
        on = (submitted.date("date", spec.date_label,
                             latest=latest_ahead(today) if spec.date_may_be_future else today,
                             ahead=spec.date_may_be_future,
                             not_before=date.fromisoformat(first_day) if first_day else None,
                             not_before_label=context.get("not_before_label", ""))
              if spec.date_label else None)
        answers: dict[str, Any] = {"date": on.isoformat() if on else None}
        if spec.asks_colleague:
            answers["colleague"] = _colleague(submitted, bool(context.get("local_people")))
        if spec.asks_decision:
            answers["decision"] = submitted.choice("decision", "The board's decision", {k: k for k in DECISIONS})
        if spec.only_new_areas:
            offered = {area.value: area.value for area in area_choices(context)}
            answers["areas"] = submitted.choices("areas", "Business areas", offered)
        elif spec.areas_label:
            _read_areas(spec, submitted, answers)
        if spec.asks_reason:
            answers["reason"] = submitted.choice("reason", "The reason", REASONS)
        if spec.asks_duty:
            offered = {choice["value"]: choice["value"] for choice in context.get("duty_choices", [])}
            answers["duty"] = submitted.choice("duty", "The duty", offered)
        if spec.asks_framework:
            offered = {choice["value"]: choice["value"] for choice in context.get("framework_choices", [])}
            answers["framework"] = submitted.choice("framework", "The framework", offered)
            answers["framework_reason"] = submitted.choice("framework_reason", "Why it changes",
                                                           {reason.value: reason.value for reason in _reasons(context)})
        if spec.document_label:
            answers["document"] = _read_document(spec, submitted, context)
        if spec.asks_copy_sent_before:
            answers["copy_sent_before"] = submitted.choice(
                "copy_sent_before", "Copy already sent", {"true": True, "false": False}, required=False) is True
            if answers["copy_sent_before"] and answers.get("document"):
                submitted.errors["copy_sent_before"] = ("You gave the copy and also ticked that it was already sent: "
                                                        "choose one.")
        for question in spec.questions:
            answers[question.id] = submitted.yes_no(question.id, f"Question {question.id}")
        submitted.check()
        return answers

    return FormSpec(f"record_{spec.key}", "event_form", spec.title, fields, parse, data)


def _reasons(context: Context) -> list[FrameworkReason]:
    """The reasons the review's change of framework can have (the dialog says which)."""
    offered = set(context.get("framework_reasons", ()))
    return [reason for reason in FrameworkReason if reason.value in offered]


def _read_areas(spec: EventSpec, submitted: Submitted, answers: dict[str, Any]) -> None:
    """Areas and addresses to tell; where the plan may name none (7.3.7), saying so is a choice of
    its own, so an empty answer is never taken for one by mistake."""
    answers["areas"] = submitted.choices("areas", "Business areas", AREAS, required=False)
    answers["emails"] = submitted.emails("emails", "Other addresses", required=False)
    none_named = spec.allows_no_area and submitted.choice(
        "no_area", "Names no business area", {"true": True, "false": False}, required=False) is True
    named = bool(answers["areas"] or answers["emails"])
    if named and none_named:
        submitted.errors["no_area"] = "You chose business areas and also ticked that the plan names none: choose one."
    elif not named and not none_named and not {"areas", "emails"} & submitted.errors.keys():
        submitted.errors["areas"] = "Choose at least one business area or type an email address" + (
            ", or tick that the action plan names no Home Office business area." if spec.allows_no_area else ".")


def document_context(review: Review, settings: ReviewSettings, max_mb: int) -> Context:
    """What a form asking for a copy needs: the accepted link hosts, the size limit, and which copy
    a review is waiting for, when one is."""
    waiting = waiting_for_document(review)
    named = {"document_label": copy_waited_for(review, waiting)} if waiting else {}
    return {"link_hosts": list(settings.document_link_hosts), "max_mb": max_mb, **named}


def _document_label(spec: EventSpec, context: Context) -> str:
    return context.get("document_label") or spec.document_label


def _document_data(spec: EventSpec, context: Context) -> dict[str, Any]:
    """The copy the form asks for: a link, or a file sent in the chat while the form is open
    (shown with its name and size, so the person sees what will go before pressing the button)."""
    received = context.get("document")
    return {
        "asks_document": bool(spec.document_label),
        "document_link_label": f"Link to {_document_label(spec, context)} in SharePoint or OneDrive",
        "document_hint": ("Best is a sharing link (Share, then Copy link): the link goes into the email as it is, so "
                          "its folders and file name must not carry a name (para 8.1). Or send the file in this chat "
                          f"(PDF, Word or ODT, up to {context.get('max_mb', 25)} MB) before pressing the button: "
                          "it is attached to the email under the review's reference."),
        "document_received": f"Attached: {DocumentCopy(**received).describe()}" if received else "",
    }


def _read_document(spec: EventSpec, submitted: Submitted, context: Context) -> dict[str, Any] | None:
    """A link typed on the form wins over a file sent earlier; a form that must have a copy says so."""
    label = _document_label(spec, context)
    typed = submitted.text("document_link", "The link", required=False, longest=2000)
    if typed:
        try:
            link = link_copy(typed, label[0].upper() + label[1:], tuple(context.get("link_hosts", ())))
        except ValueError as problem:
            submitted.errors["document_link"] = str(problem)
            return None
        return asdict(link)
    received = context.get("document")
    if received:
        return dict(received)
    if spec.needs_document:
        submitted.errors["document_link"] = "Paste a link to the document, or send the file in this chat first."
    return None

