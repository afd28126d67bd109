"""A form as it was submitted: the same card with each answer as text and nothing left to press.

A submitted form becomes this summary in place (Universal Actions), so the chat keeps a record of
what was answered, and an old form can never be submitted again.
"""

from datetime import date
from typing import Any

# An element whose id starts with this helps only while the form is filled in (the warning against
# typing names, how to attach a file): the summary, where nothing can be typed, leaves it out.
EDITING_ONLY = "editing_only_"
# A people picker's value is an id (an Entra object id in Teams), which means nothing to a reader.
PERSON_PICKED = "The person you picked"


def read_only(card: dict[str, Any], stamp: str) -> dict[str, Any]:
    """`card` with its inputs shown as answers and its buttons gone; `stamp` ("Recorded by you,
    25 Nov 2026 14:02") goes under its heading."""
    body = _answers(card.get("body", []))
    heading = next((i for i, element in enumerate(body) if element.get("style") == "heading"), -1)
    body.insert(heading + 1, {"type": "TextBlock", "text": stamp, "isSubtle": True, "wrap": True})
    summary = {key: value for key, value in card.items() if key != "actions"}
    summary["body"] = body
    summary["speak"] = f"{card.get('speak', '')} {stamp}.".strip()
    return summary


def _answers(elements: list[Any]) -> list[Any]:
    shown = []
    for element in elements:
        if (not isinstance(element, dict) or element.get("type") == "ActionSet"
                or str(element.get("id", "")).startswith(EDITING_ONLY)):
            continue
        kind = str(element.get("type", ""))
        if kind.startswith("Input."):
            shown.append({"type": "FactSet", "facts": [{"title": element.get("label", ""),
                                                        "value": _answer(element) or "(left empty)"}]})
            continue
        copy = {key: value for key, value in element.items() if key != "selectAction"}
        for key in ("items", "columns"):
            if isinstance(copy.get(key), list):
                copy[key] = _answers(copy[key])
        shown.append(copy)
    return shown


def _answer(element: dict[str, Any]) -> str:
    value = str(element.get("value", ""))
    if element.get("type") == "Input.ChoiceSet" and "choices.data" in element:
        return PERSON_PICKED if value else ""
    if element.get("type") == "Input.ChoiceSet":
        titles = {choice.get("value"): choice.get("title") for choice in element.get("choices", [])}
        return ", ".join(str(titles.get(part, part)) for part in value.split(",") if part)
    if element.get("type") == "Input.Date" and value:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day:%A} {day.day} {day:%B %Y}"
    if element.get("type") == "Input.Toggle":
        return "Yes" if value == element.get("valueOn", "true") else "No"
    return value
