"""What makes an Adaptive Card one Teams renders (schema 1.5) and a person can use.

The fake connector runs every card the bot sends through `card_problems`, so each HTTP test
also checks the cards it causes.
"""

import json
from typing import Any

ELEMENTS = {
    "TextBlock", "RichTextBlock", "Image", "ImageSet", "Media", "Container", "ColumnSet", "Column",
    "FactSet", "ActionSet", "Table", "Input.Text", "Input.Number", "Input.Date", "Input.Time",
    "Input.Toggle", "Input.ChoiceSet",
}
ACTIONS = {"Action.Submit", "Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility", "Action.Execute"}
# Adaptive Cards reads these values without regard to case.
ENUMS = {
    ("TextBlock", "color"): {"Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"},
    ("TextBlock", "size"): {"Default", "Small", "Medium", "Large", "ExtraLarge"},
    ("TextBlock", "weight"): {"Default", "Lighter", "Bolder"},
    ("Container", "style"): {"default", "emphasis", "good", "attention", "warning", "accent"},
    ("Input.ChoiceSet", "style"): {"compact", "expanded", "filtered"},
    ("Input.Text", "style"): {"text", "tel", "url", "email", "password"},
}
ACTION_STYLES = {"default", "positive", "destructive"}
# Teams refuses a message over about 28 KB.
LARGEST_CARD_BYTES = 28_000


def card_problems(card: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if card.get("type") != "AdaptiveCard" or card.get("version") != "1.5":
        problems.append("not an Adaptive Card of version 1.5")
    text = json.dumps(card, ensure_ascii=False)
    if "${" in text or '"$data"' in text or '"$when"' in text:
        problems.append("template expressions left unrendered")
    if len(text.encode()) > LARGEST_CARD_BYTES:
        problems.append(f"card is {len(text.encode())} bytes, over Teams' limit")
    ids: list[str] = []
    _check_card(card, problems, ids)
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        problems.append(f"input ids used twice: {sorted(duplicates)}")
    forward = [a for a in card.get("actions", []) if a.get("style") == "positive"]
    if len(forward) > 1:
        problems.append("more than one forward (positive) button")
    return problems


def _check_card(card: dict[str, Any], problems: list[str], ids: list[str]) -> None:
    for element in card.get("body", []):
        _check_element(element, problems, ids)
    for action in card.get("actions", []):
        _check_action(action, problems, ids)


def _check_element(element: dict[str, Any], problems: list[str], ids: list[str]) -> None:
    kind = element.get("type")
    if kind not in ELEMENTS:
        problems.append(f"unknown element {kind!r}")
        return
    for (owner, key), allowed in ENUMS.items():
        if owner == kind and key in element and str(element[key]).lower() not in {a.lower() for a in allowed}:
            problems.append(f"{kind}.{key} = {element[key]!r} is not one of {sorted(allowed)}")
    if kind == "TextBlock" and not (isinstance(element.get("text"), str) and element["text"].strip()):
        problems.append("a TextBlock with no text")
    if kind == "FactSet" and not all(
        isinstance(f.get("title"), str) and isinstance(f.get("value"), str) for f in element.get("facts", [])
    ):
        problems.append("a fact without a text title and value")
    if kind.startswith("Input."):
        _check_input(element, problems, ids)
    for child in element.get("items", []) + element.get("columns", []):
        _check_element(child, problems, ids)
    for action in element.get("actions", []):
        _check_action(action, problems, ids)


def _check_input(element: dict[str, Any], problems: list[str], ids: list[str]) -> None:
    if not element.get("id"):
        problems.append(f"{element['type']} without an id")
    ids.append(element.get("id", ""))
    if not element.get("label"):
        problems.append(f"input {element.get('id')!r} has no label for a person to read")
    if ("min" in element or "max" in element) and not element.get("errorMessage"):
        # Teams checks the range itself and shows only the card's errorMessage when it is broken.
        problems.append(f"input {element.get('id')!r} has a min or max but no errorMessage saying so")
    if element["type"] == "Input.ChoiceSet":
        choices = element.get("choices")
        if element.get("choices.data", {}).get("type") == "Data.Query":
            return  # Teams fills the choices as the person types (the people picker)
        if not isinstance(choices, list) or not choices:
            problems.append(f"choice set {element.get('id')!r} has no choices")
            return
        values = [c.get("value") for c in choices]
        if not all(isinstance(c.get("title"), str) and isinstance(c.get("value"), str) for c in choices):
            problems.append(f"choice set {element.get('id')!r} has a choice without text title and value")
        if len(set(values)) != len(values):
            problems.append(f"choice set {element.get('id')!r} repeats a value")


def _check_action(action: dict[str, Any], problems: list[str], ids: list[str]) -> None:
    kind = action.get("type")
    if kind not in ACTIONS:
        problems.append(f"unknown action {kind!r}")
        return
    if not action.get("title"):
        problems.append(f"{kind} without a title")
    if str(action.get("style", "default")).lower() not in ACTION_STYLES:
        problems.append(f"action style {action['style']!r}")
    if kind == "Action.Submit" and not isinstance((action.get("data") or {}).get("verb"), str):
        problems.append(f"button {action.get('title')!r} sends no verb")
    if kind == "Action.ShowCard":
        _check_card(action.get("card", {}), problems, ids)
