"""The form for recording one event on a review, built from its EventSpec."""

import uuid
from datetime import date
from typing import Any

from bot.review import BusinessArea, EventType, Review
from bot.review.chronology import earliest
from dialogs.card_form import Context, FormSpec
from dialogs.event_catalogue import DECISIONS, EventSpec
from dialogs.forms.yes_no import question_label
from dialogs.submitted import Submitted

AREAS = {area.value: area.value for area in BusinessArea}


def _colleague(submitted: Submitted) -> str | None:
    """Teams' people picker sends the person's Entra object id, a GUID: nothing else is accepted."""
    chosen = submitted.text("colleague", "The colleague", longest=36)
    try:
        return str(uuid.UUID(chosen)) if chosen else None
    except ValueError:
        submitted.errors["colleague"] = "Choose the colleague from the list that appears as you type their name."
        return None


def not_before(review: Review, event_type: EventType) -> Context:
    """What the form's date cannot precede (4.1), so a slip is marked on the date field; the domain
    checks again when the event is saved."""
    limit = earliest(review, event_type)
    return {"not_before": limit.on.isoformat(), "not_before_label": limit.milestone.what} if limit else {}


def event_form(spec: EventSpec) -> FormSpec:
    questions = tuple(q.id for q in spec.questions)
    fields = ("date", "decision", "areas", "emails", "colleague", *questions)

    def data(context: Context, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
        return {
            "reference": context["reference"],
            "review_name": context["review_name"],
            "title": spec.title,
            "explains": spec.explains,
            "button": spec.button,
            "asks_date": bool(spec.date_label),
            "date_label": spec.date_label,
            "asks_colleague": spec.asks_colleague,
            "date_value": values["date"] or ("" if spec.date_may_be_future else context["today"]),
            "asks_decision": spec.asks_decision,
            "decision_choices": [{"title": title, "value": key} for key, (title, _) in DECISIONS.items()],
            "asks_areas": spec.asks_areas,
            "area_choices": [{"title": area.label, "value": area.value} for area in BusinessArea],
            "questions": [
                {"id": q.id, "label": question_label(q), "value": values[q.id], "error": errors[q.id]}
                for q in spec.questions
            ],
        }

    def parse(submitted: Submitted, context: Context) -> dict[str, Any]:
        today = date.fromisoformat(context["today"])
        first_day = context.get("not_before")
        on = (submitted.date("date", spec.date_label, latest=None if spec.date_may_be_future else today,
                             not_before=date.fromisoformat(first_day) if first_day else None,
                             not_before_label=context.get("not_before_label", ""))
              if spec.date_label else None)
        answers: dict[str, Any] = {"date": on.isoformat() if on else None}
        if spec.asks_colleague:
            answers["colleague"] = _colleague(submitted)
        if spec.asks_decision:
            answers["decision"] = submitted.choice("decision", "The board's decision", {k: k for k in DECISIONS})
        if spec.asks_areas:
            answers["areas"] = submitted.choices("areas", "Business areas", AREAS, required=False)
            answers["emails"] = submitted.emails("emails", "Other addresses", required=False)
            if not answers["areas"] and not answers["emails"] and "areas" not in submitted.errors:
                submitted.errors["areas"] = "Choose at least one business area or type an email address."
        for question in spec.questions:
            answers[question.id] = submitted.yes_no(question.id, f"Question {question.id}")
        submitted.check()
        return answers

    return FormSpec(f"record_{spec.type.value}", "event_form", spec.title, fields, parse, data)
