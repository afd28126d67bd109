"""The card check that the fake connector applies to every card must catch real mistakes."""

from typing import Any

import pytest

from tests.card_rules import card_problems

TITLE = {"type": "TextBlock", "text": "A card", "style": "heading", "wrap": True}


def _card(*body: dict[str, Any], actions: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "version": "1.5", "speak": "A card.", "body": [TITLE, *body],
            "actions": list(actions)}


def test_a_broken_card_is_caught_on_every_count() -> None:
    card = _card(
        {"type": "Input.Text", "id": "reference", "label": "Reference"},
        {"type": "Input.Text", "id": "reference"},
        {"type": "TextBlock", "text": "${title}", "color": "purple"},
        {"type": "Input.ChoiceSet", "id": "nation", "label": "Nation", "choices": []},
        {"type": "Input.Date", "id": "on", "label": "Date", "max": "2026-06-02"},
        actions=(
            {"type": "Action.Execute", "title": "Next", "style": "positive", "verb": "a", "data": {"verb": "a"}},
            {"type": "Action.Execute", "title": "Also next", "style": "positive", "data": {}},
            {"type": "Action.Submit", "title": "Old", "data": {"verb": "old"}},
        ),
    )

    problems = "\n".join(card_problems(card))

    for expected in ("unrendered", "ids used twice", "no label", 'Invalid value "purple"', "at least one choice",
                     "more than one forward", "has no verb", "cannot update its card in place",
                     "no errorMessage"):
        assert expected in problems


@pytest.mark.parametrize(
    ("card", "problem"),
    [
        pytest.param(_card({"type": "TextBlock", "text": "Hi", "colour": "good"}),
                     "TextBlock has no property 'colour'", id="unknown_property"),
        pytest.param(_card({"type": "Container", "items": [], "onClick": "x"}),
                     "Container has no property 'onClick'", id="unknown_property_on_a_container"),
        pytest.param(_card(actions=({"type": "Action.Execute", "title": "Go", "verb": "go", "data": {"verb": "go"},
                                             "color": "red"},)),
                     "Action.Execute has no property 'color'", id="unknown_property_on_an_action"),
        pytest.param(_card({"type": "TextBlock", "text": "Hi", "spacing": "Huge"}),
                     "Adaptive Cards parser: InvalidPropertyValue: Invalid value \"Huge\" for property \"spacing\"",
                     id="spacing_huge"),
        pytest.param(_card({"type": "Container", "items": [], "style": "loud"}),
                     "Adaptive Cards parser: InvalidPropertyValue: Invalid value \"loud\"", id="container_style"),
        pytest.param(_card({"type": "TextBlock", "text": "Hi", "horizontalAlignment": "middle"}),
                     "Adaptive Cards parser: InvalidPropertyValue: Invalid value \"middle\"", id="alignment"),
        pytest.param(_card({"type": "TextBlock", "text": "Hi", "wrap": "true"}),
                     "TextBlock.wrap = 'true' is not a boolean", id="string_boolean"),
        pytest.param(_card({"type": "Input.Text", "id": "a", "label": "A", "isRequired": "false"}),
                     "Input.Text.isRequired = 'false' is not a boolean", id="string_boolean_on_an_input"),
        pytest.param(_card(actions=({"type": "Action.OpenUrl", "title": "Open"},)),
                     "Adaptive Cards parser: PropertyCantBeNull: Property \"url\" must be set",
                     id="open_url_without_url"),
        pytest.param(_card({"type": "ColumnSet", "columns": [{"type": "Column", "items": [], "width": "auto",
                                                              "widht": 1}]}),
                     "Column has no property 'widht'", id="unknown_property_in_a_column"),
        pytest.param(_card({"type": "Table", "columns": [{"width": 1}], "rows": [
            {"type": "TableRow", "cells": [{"type": "TableCell", "items": [{"type": "TextBlock", "text": ""}]}]}]}),
                     "a TextBlock with no text", id="table_cells_are_checked"),
        pytest.param(_card({"type": "Graph"}),
                     "Adaptive Cards parser: UnknownElementType",
                     id="element_teams_does_not_have"),
        pytest.param(_card(actions=tuple({"type": "Action.Execute", "title": f"B{n}", "verb": "b",
                                          "data": {"verb": "b"}} for n in range(7))),
                     "Adaptive Cards parser: TooManyActions: Maximum number of actions exceeded (6)",
                     id="more_buttons_than_teams_shows"),
        pytest.param(_card({"type": "Table", "columns": [{"width": 1, "colour": "x"}], "rows": []}),
                     "Table column has no property 'colour'", id="table_column"),
    ],
)
def test_a_card_teams_would_quietly_misread_is_caught(card: dict[str, Any], problem: str) -> None:
    assert any(found.startswith(problem) for found in card_problems(card)), card_problems(card)


def test_a_good_card_has_no_problems() -> None:
    card = _card(
        {"type": "TextBlock", "text": "Hello", "color": "accent", "spacing": "Medium", "wrap": True},
        {"type": "Container", "style": "emphasis", "separator": True, "items": [
            {"type": "FactSet", "facts": [{"title": "Stage", "value": "Referral"}]}]},
        {"type": "ColumnSet", "columns": [{"type": "Column", "width": "stretch", "items": [
            {"type": "TextBlock", "text": "Left"}]}, {"width": "auto", "items": []}]},
        actions=(
            {"type": "Action.Execute", "title": "Go", "style": "positive", "verb": "go", "data": {"verb": "go"}},
            {"type": "Action.OpenUrl", "title": "Guidance", "url": "https://example.gov.uk/guidance"},
        ),
    )
    assert card_problems(card) == []


def test_a_valid_table_is_accepted() -> None:
    """Adaptive Cards 1.5: columns are widths, not elements; rows hold cells, cells hold elements."""
    table = {
        "type": "Table",
        "firstRowAsHeader": True,
        "showGridLines": False,
        "gridStyle": "accent",
        "columns": [{"width": 1}, {"width": 2, "horizontalCellContentAlignment": "Right"}],
        "rows": [
            {"type": "TableRow", "style": "emphasis", "cells": [
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Obligation", "weight": "Bolder"}]},
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "Due"}]},
            ]},
            {"type": "TableRow", "cells": [
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "O1"}]},
                {"type": "TableCell", "verticalContentAlignment": "Center",
                 "items": [{"type": "TextBlock", "text": "Mon 2 Mar 2026"}]},
            ]},
        ],
    }
    assert card_problems(_card({"type": "TextBlock", "text": "What you owe"}, table)) == []


def test_a_teams_people_picker_is_not_an_empty_choice_set() -> None:
    """Teams fills a Data.Query choice set as the person types; only the parser's copy of the card
    gets a stand-in choice, so a real empty choice set is still caught."""
    picker = {"type": "Input.ChoiceSet", "id": "colleague", "label": "Colleague", "choices": [],
              "choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}}
    assert card_problems(_card(picker)) == []
    assert card_problems(_card({**picker, "choices.data": {}}))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param({"type": "TextBlock", "text": "Overdue", "color": "attention"},
                     "'Overdue' in attention text on a default background is 3.2:1 in Teams' dark theme",
                     id="red_on_dark"),
        pytest.param({"type": "TextBlock", "text": "Due soon", "color": "warning"},
                     "'Due soon' in warning text on a default background is 1.5:1 in Teams' light theme",
                     id="amber_on_white"),
        pytest.param({"type": "TextBlock", "text": "On track", "color": "good"},
                     "'On track' in good text on a default background is 2.1:1 in Teams' light theme",
                     id="light_green_on_white"),
        pytest.param({"type": "Container", "style": "attention", "items": [
            {"type": "TextBlock", "text": "Why", "isSubtle": True, "color": "accent"}]},
                     "'Why' in accent subtle text on a attention background", id="inside_a_styled_container"),
    ],
)
def test_text_too_faint_on_either_teams_theme_is_caught(text: dict[str, Any], problem: str) -> None:
    assert any(found.startswith(problem) for found in card_problems(_card(text))), card_problems(_card(text))


def test_a_card_without_speak_text_or_a_heading_is_caught() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "Hi", "size": "Large"}]}
    assert {"no speak text for a screen reader or voice assistant",
            'no title marked style "heading"'} <= set(card_problems(card))
