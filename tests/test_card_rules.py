"""The card check that the fake connector applies to every card must catch real mistakes."""

from tests.card_rules import card_problems


def test_a_broken_card_is_caught_on_every_count() -> None:
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "Input.Text", "id": "reference", "label": "Reference"},
            {"type": "Input.Text", "id": "reference"},
            {"type": "TextBlock", "text": "${title}", "color": "purple"},
            {"type": "Input.ChoiceSet", "id": "nation", "label": "Nation", "choices": []},
            {"type": "Input.Date", "id": "on", "label": "Date", "max": "2026-06-02"},
        ],
        "actions": [
            {"type": "Action.Submit", "title": "Next", "style": "positive", "data": {"verb": "a"}},
            {"type": "Action.Submit", "title": "Also next", "style": "positive", "data": {}},
        ],
    }

    problems = "\n".join(card_problems(card))

    for expected in ("unrendered", "ids used twice", "no label", "TextBlock.color", "no choices",
                     "more than one forward", "sends no verb", "no errorMessage"):
        assert expected in problems


def test_a_good_card_has_no_problems() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5",
            "body": [{"type": "TextBlock", "text": "Hello", "color": "attention"}],
            "actions": [{"type": "Action.Submit", "title": "Go", "style": "positive", "data": {"verb": "go"}}]}
    assert card_problems(card) == []
