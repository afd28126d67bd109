"""What makes an Adaptive Card one Teams renders (schema 1.5) and a person can use.

The fake connector runs every card the bot sends through `card_problems`, so each HTTP test
also checks the cards it causes; `CardCheck` does the same for the in-process dialog tests.

Each card first goes through Microsoft's own parser (the `adaptivecards` npm package, with Teams'
host config): unknown element and action types, enum values outside the schema, missing or
duplicate input ids, empty choice sets, links without a url. The rules here are what that parser
lets through and Teams would still get wrong, quietly: a misspelt property or a string where the
schema wants a boolean is dropped without a word, so every element and action type listed here is
checked against its properties in the 1.5 schema.
"""

import json
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity

from tests.adaptive_cards.contrast import contrast_problems
from tests.adaptive_cards.parser import parser_problems

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"

_COMMON = {"type", "id", "spacing", "separator", "height", "isVisible", "requires", "fallback"}
_CONTAINER = {"items", "selectAction", "style", "verticalContentAlignment", "bleed", "backgroundImage",
              "minHeight", "rtl"}
_INPUT = {"isRequired", "errorMessage", "label", "value"}
PROPERTIES: dict[str, set[str]] = {
    "TextBlock": _COMMON | {"text", "color", "fontType", "horizontalAlignment", "isSubtle", "maxLines", "size",
                            "weight", "wrap", "style"},
    "RichTextBlock": _COMMON | {"inlines", "horizontalAlignment"},
    "TextRun": {"type", "text", "color", "fontType", "highlight", "isSubtle", "italic", "selectAction", "size",
                "strikethrough", "underline", "weight"},
    "Image": _COMMON | {"url", "altText", "backgroundColor", "horizontalAlignment", "selectAction", "size", "style",
                        "width"},
    "ImageSet": _COMMON | {"images", "imageSize"},
    "Media": _COMMON | {"sources", "poster", "altText"},
    "Container": _COMMON | _CONTAINER,
    "ColumnSet": _COMMON | {"columns", "selectAction", "style", "bleed", "minHeight", "horizontalAlignment"},
    "Column": _COMMON | _CONTAINER | {"width"},
    "FactSet": _COMMON | {"facts"},
    "ActionSet": _COMMON | {"actions"},
    "Table": _COMMON | {"columns", "rows", "firstRowAsHeader", "showGridLines", "gridStyle",
                        "horizontalCellContentAlignment", "verticalCellContentAlignment"},
    "TableRow": {"type", "cells", "style", "horizontalCellContentAlignment", "verticalCellContentAlignment"},
    "TableCell": {"type"} | _CONTAINER,
    "Input.Text": _COMMON | _INPUT | {"isMultiline", "maxLength", "placeholder", "regex", "style", "inlineAction"},
    "Input.Number": _COMMON | _INPUT | {"min", "max", "placeholder"},
    "Input.Date": _COMMON | _INPUT | {"min", "max", "placeholder"},
    "Input.Time": _COMMON | _INPUT | {"min", "max", "placeholder"},
    "Input.Toggle": _COMMON | _INPUT | {"title", "valueOn", "valueOff", "wrap"},
    # "choices.data" is Teams' own: a people picker filled as the person types.
    "Input.ChoiceSet": _COMMON | _INPUT | {"choices", "choices.data", "isMultiSelect", "style", "placeholder",
                                           "wrap"},
}
_ACTION = {"type", "title", "iconUrl", "id", "style", "fallback", "tooltip", "isEnabled", "mode", "requires"}
ACTION_PROPERTIES: dict[str, set[str]] = {
    "Action.Submit": _ACTION | {"data", "associatedInputs"},
    "Action.Execute": _ACTION | {"verb", "data", "associatedInputs"},
    "Action.OpenUrl": _ACTION | {"url"},
    "Action.ShowCard": _ACTION | {"card"},
    "Action.ToggleVisibility": _ACTION | {"targetElements"},
}
CARD_PROPERTIES = {"type", "version", "body", "actions", "$schema", "msteams", "fallbackText", "backgroundImage",
                   "minHeight", "rtl", "speak", "lang", "verticalContentAlignment", "selectAction", "refresh",
                   "authentication", "metadata"}
TABLE_COLUMN_PROPERTIES = {"width", "horizontalCellContentAlignment", "verticalCellContentAlignment"}

BOOLEANS = {"separator", "isVisible", "wrap", "isSubtle", "isRequired", "isMultiSelect", "isMultiline", "bleed",
            "rtl", "firstRowAsHeader", "showGridLines", "isEnabled", "italic", "strikethrough", "underline",
            "highlight"}
# Teams refuses a message over about 28 KB.
LARGEST_CARD_BYTES = 28_000


def card_problems(card: dict[str, Any]) -> list[str]:
    problems = [f"Adaptive Cards parser: {problem}" for problem in parser_problems(card)]
    if card.get("type") != "AdaptiveCard" or card.get("version") != "1.5":
        problems.append("not an Adaptive Card of version 1.5")
    text = json.dumps(card, ensure_ascii=False)
    if "${" in text or '"$data"' in text or '"$when"' in text:
        problems.append("template expressions left unrendered")
    if len(text.encode()) > LARGEST_CARD_BYTES:
        problems.append(f"card is {len(text.encode())} bytes, over Teams' limit")
    problems.extend(contrast_problems(card))
    if not (isinstance(card.get("speak"), str) and card["speak"].strip()):
        problems.append("no speak text for a screen reader or voice assistant")
    body = card.get("body", [])
    if not any(element.get("type") == "TextBlock" and element.get("style") == "heading" for element in body):
        problems.append('no title marked style "heading"')
    ids: list[str] = []
    _check_card(card, problems, ids)
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        problems.append(f"input ids used twice: {sorted(duplicates)}")
    forward = [a for a in _actions(card) if a.get("style") == "positive"]
    if len(forward) > 1:
        problems.append("more than one forward (positive) button")
    return problems


def _actions(node: Any) -> list[dict[str, Any]]:
    """Every action on a card, in its body, its action sets and its 'show card' sections."""
    if isinstance(node, list):
        return [action for item in node for action in _actions(item)]
    if not isinstance(node, dict):
        return []
    own = [node] if str(node.get("type", "")).startswith("Action.") else []
    return own + [action for key, value in node.items() if key != "refresh" for action in _actions(value)]


def _check_card(card: dict[str, Any], problems: list[str], ids: list[str]) -> None:
    _check_properties("AdaptiveCard", card, CARD_PROPERTIES, problems)
    for element in card.get("body", []):
        _check_element(element, problems, ids)
    for action in card.get("actions", []):
        _check_action(action, problems, ids)


def _check_properties(kind: str, node: dict[str, Any], known: set[str], problems: list[str]) -> None:
    """Unknown properties, and booleans written as anything else."""
    for key in sorted(set(node) - known):
        problems.append(f"{kind} has no property {key!r}")
    for key, value in node.items():
        if key in BOOLEANS and not isinstance(value, bool):
            problems.append(f"{kind}.{key} = {value!r} is not a boolean")


def _check_element(element: dict[str, Any], problems: list[str], ids: list[str], default: str = "") -> None:
    # A Column in a ColumnSet, and a row or cell in a Table, may leave out its type.
    kind = element.get("type", default)
    if kind not in PROPERTIES:
        return  # the parser names an unknown element
    _check_properties(kind, element, PROPERTIES[kind], problems)
    if kind == "TextBlock" and not (isinstance(element.get("text"), str) and element["text"].strip()):
        problems.append("a TextBlock with no text")
    if kind == "FactSet" and not all(
        isinstance(f.get("title"), str) and isinstance(f.get("value"), str) for f in element.get("facts", [])
    ):
        problems.append("a fact without a text title and value")
    if kind.startswith("Input."):
        _check_input(element, problems, ids)
    if kind == "Table":
        for column in element.get("columns", []):
            _check_properties("Table column", column, TABLE_COLUMN_PROPERTIES, problems)
    children = {"ColumnSet": ("columns", "Column"), "Table": ("rows", "TableRow"), "TableRow": ("cells", "TableCell"),
                "RichTextBlock": ("inlines", "TextRun")}.get(kind, ("items", ""))
    for child in element.get(children[0], []):
        _check_element(child, problems, ids, children[1])
    for action in element.get("actions", []) + ([element["selectAction"]] if "selectAction" in element else []):
        _check_action(action, problems, ids)


def _check_input(element: dict[str, Any], problems: list[str], ids: list[str]) -> None:
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
        if not isinstance(choices, list):
            return  # the parser says a choice set has none
        values = [c.get("value") for c in choices]
        if not all(isinstance(c.get("title"), str) and isinstance(c.get("value"), str) for c in choices):
            problems.append(f"choice set {element.get('id')!r} has a choice without text title and value")
        if len(set(values)) != len(values):
            problems.append(f"choice set {element.get('id')!r} repeats a value")


def _check_action(action: dict[str, Any], problems: list[str], ids: list[str]) -> None:
    kind = action.get("type")
    if kind not in ACTION_PROPERTIES:
        return  # the parser names an unknown action
    _check_properties(kind, action, ACTION_PROPERTIES[kind], problems)
    if not action.get("title"):
        problems.append(f"{kind} without a title")
    if kind == "Action.Submit":
        problems.append(f"button {action.get('title')!r} is an Action.Submit: Teams cannot update its card in place")
    if kind == "Action.Execute" and not (
        isinstance(action.get("verb"), str) and action["verb"] == (action.get("data") or {}).get("verb")
    ):
        # The verb also rides in the data, so a client that falls back to Action.Submit sends it too.
        problems.append(f"button {action.get('title')!r} has no verb, or a verb its data does not repeat")
    if kind == "Action.ShowCard":
        _check_card(action.get("card", {}), problems, ids)


def named_problems(card: dict[str, Any]) -> list[str]:
    """`card_problems`, each named by the card's first line so a failing test says which card."""
    title = card.get("body", [{}])[0].get("text", "?")
    return [f"{title}: {problem}" for problem in card_problems(card)]


def activity_cards(activities: list[Activity]) -> list[dict[str, Any]]:
    return [attachment.content for activity in activities for attachment in activity.attachments or []
            if attachment.content_type == ADAPTIVE_CARD]


class CardCheck(Middleware):
    """Checks every card a bot sends through the adapter it is added to, as the fake connector does
    for the HTTP tests; `problems` collects what it finds."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.cards_seen = 0

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable[None]]) -> None:
        async def check(_: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[Any]]) -> Any:
            for card in activity_cards(activities):
                self.cards_seen += 1
                self.problems.extend(named_problems(card))
            return await send()

        context.on_send_activities(check)
        await logic()
