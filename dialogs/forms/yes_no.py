"""Forms made of the domain's yes/no questions (eligibility, independence of the representative
and of the IMR author), so the wording and the paragraph shown come from one place."""

from collections.abc import Callable
from typing import Any

from bot.review import AddressBookError
from bot.review.address_book import normalise_email
from bot.review.questions import NO_PERSONAL_DETAILS, Question
from dialogs.card_form import Context, FormSpec
from dialogs.submitted import Submitted


def question_label(question: Question) -> str:
    return f"{question.id}. {question.text} ({question.paragraphs.text})"


# The questions a form asks, from the context it was started with (a framework pack's criteria).
QuestionsFor = Callable[[Context], tuple[Question, ...]]


def yes_no_form(
    verb: str, *, step: str, title: str, intro: str, submit: str, questions: tuple[Question, ...] | QuestionsFor,
    email_label: str = "", possible_ids: tuple[str, ...] = (),
) -> FormSpec:
    """With `email_label`, the form also asks for a work email (pre-filled from `context["email"]`
    and checked against `context["allowed_domains"]`). `questions` may depend on the context; then
    `possible_ids` names every question it can ask."""
    asked: QuestionsFor = questions if callable(questions) else (lambda context, fixed=questions: fixed)
    ids = possible_ids if callable(questions) else tuple(q.id for q in questions)
    fields = ids + (("email",) if email_label else ())

    def data(context: Context, values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
        if email_label and not values["email"]:
            values["email"] = context.get("email", "")
        return {
            "step": step,
            "title": title,
            "intro": intro,
            "notice": context.get("notice", ""),
            "submit": submit,
            "warning": NO_PERSONAL_DETAILS,
            "ask_email": bool(email_label),
            "email_label": email_label,
            "questions": [
                {"id": q.id, "label": question_label(q), "help": q.help,
                 "value": values[q.id], "error": errors[q.id]}
                for q in asked(context)
            ],
        }

    def parse(submitted: Submitted, context: Context) -> dict[str, Any]:
        answers: dict[str, Any] = {q.id: submitted.yes_no(q.id, f"Question {q.id}") for q in asked(context)}
        if email_label:
            typed = submitted.text("email", "Your work email", longest=254)
            if typed is not None:
                try:
                    answers["email"] = normalise_email(typed, "Your work email",
                                                       tuple(context.get("allowed_domains", ())))
                except AddressBookError as problem:
                    submitted.errors["email"] = str(problem)
        submitted.check()
        return answers

    return FormSpec(verb, "questions", title, fields, parse, data)
