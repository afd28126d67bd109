"""Reading and answering Adaptive Cards the way a person does: by their labels and buttons."""

from typing import Any


def walk(node: Any):  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def texts(card: dict[str, Any]) -> str:
    """Every piece of text a person would read on a card, in order."""
    found = []
    for node in walk(card):
        for key in ("text", "title", "value", "label", "placeholder"):
            if isinstance(node.get(key), str):
                found.append(node[key])
    return "\n".join(found)


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in walk(card) if str(node.get("type", "")).startswith("Input.")}


def input_id(card: dict[str, Any], label_part: str) -> str:
    matches = [i for i, node in inputs(card).items() if label_part.lower() in node.get("label", "").lower()]
    assert len(matches) == 1, f"expected one input labelled like {label_part!r}, found {matches}"
    return matches[0]


def button(card: dict[str, Any], title_part: str) -> dict[str, Any]:
    actions = [a for a in card.get("actions", []) if title_part.lower() in a.get("title", "").lower()]
    titles = [a.get("title") for a in card.get("actions", [])]
    assert len(actions) == 1, f"expected one button like {title_part!r}, found {titles}"
    return actions[0]


def forward_button(card: dict[str, Any]) -> dict[str, Any]:
    """The one obvious way on: the card's single positive action, wherever it is on the card."""
    positive = [a for a in walk(card) if str(a.get("type", "")).startswith("Action.") and a.get("style") == "positive"]
    assert len(positive) == 1, f"expected exactly one forward button, found {len(positive)}"
    return positive[0]


def press(
    card: dict[str, Any], action: dict[str, Any], answers: dict[str, str] | None = None
) -> dict[str, Any]:
    """What Teams sends for a press: the card's input values merged with the button's data; a
    button with `associatedInputs: none` sends its data alone."""
    if action.get("associatedInputs") == "none":
        return dict(action.get("data", {}))
    values = {i: node.get("value", "") for i, node in inputs(card).items()}
    values.update(answers or {})
    return {**values, **action.get("data", {})}


def fill_by_label(card: dict[str, Any], answers: dict[str, str]) -> dict[str, str]:
    return {input_id(card, label): value for label, value in answers.items()}


def any_button(card: dict[str, Any], title_part: str) -> dict[str, Any]:
    """A button anywhere on the card, including inside a 'show card' section."""
    found = [node for node in walk(card) if node.get("type") == "Action.Execute"
             and title_part.lower() in node.get("title", "").lower()]
    assert len(found) == 1, f"expected one button like {title_part!r}, found {[n.get('title') for n in found]}"
    return found[0]
