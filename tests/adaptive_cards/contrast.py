"""WCAG AA contrast of every piece of text on a card, in Teams' light and dark themes.

Colours come from Teams' host configs (`teams_themes.json`): each container style has its
background and a text colour for each of `default`, `accent`, `good`, `warning`, `attention`,
`light` and `dark`, plain or subtle. Text is judged against the background of the nearest styled
container around it; a 'show card' section is drawn in the emphasis style, as Teams does.
"""

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

# WCAG 2.1 AA for normal-size text; Teams' largest text size is not large enough to need less.
AA_RATIO = 4.5
_STYLED = {"Container", "Column", "ColumnSet", "TableCell", "TableRow"}


@cache
def teams_themes() -> dict[str, dict[str, Any]]:
    return json.loads(Path(__file__).with_name("teams_themes.json").read_text(encoding="utf-8"))["themes"]


def _rgba(colour: str) -> tuple[float, float, float, float]:
    """Host configs write `#RRGGBB` or `#AARRGGBB`."""
    digits = colour.lstrip("#")
    alpha = int(digits[:2], 16) / 255 if len(digits) == 8 else 1.0
    red, green, blue = (int(digits[-6:][i:i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue, alpha


def _over(front: str, back: tuple[float, float, float]) -> tuple[float, float, float]:
    *rgb, alpha = _rgba(front)
    return tuple(alpha * f + (1 - alpha) * b for f, b in zip(rgb, back, strict=True))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(theme: str, style: str, colour: str, subtle: bool) -> float:
    """The contrast ratio of text in `colour` on a container of `style`, in `theme`."""
    container = teams_themes()[theme][style]
    page = (1.0, 1.0, 1.0) if theme == "light" else (0.0, 0.0, 0.0)
    background = _over(container["backgroundColor"], page)
    text = _over(container["foregroundColors"][colour]["subtle" if subtle else "default"], background)
    lighter, darker = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _texts(node: Any, style: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Each TextBlock and TextRun with the container style it is drawn on."""
    if isinstance(node, list):
        for item in node:
            yield from _texts(item, style)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind in ("TextBlock", "TextRun"):
        yield node, style
    if kind in _STYLED and isinstance(node.get("style"), str) and node["style"].lower() != "default":
        style = node["style"].lower()
    if kind == "Action.ShowCard":
        style = "emphasis"
    for key, value in node.items():
        if key not in ("text", "type", "style"):
            yield from _texts(value, style)


def contrast_problems(card: dict[str, Any]) -> list[str]:
    problems = []
    for text, style in _texts(card, "default"):
        colour = str(text.get("color", "default")).lower()
        subtle = text.get("isSubtle") is True
        if colour not in teams_themes()["light"][style]["foregroundColors"]:
            continue  # a colour outside the schema: the parser names it
        for theme in teams_themes():
            ratio = contrast(theme, style, colour, subtle)
            if ratio < AA_RATIO:
                problems.append(
                    f"{str(text.get('text'))[:40]!r} in {colour}{' subtle' * subtle} text on a {style} background "
                    f"is {ratio:.1f}:1 in Teams' {theme} theme, under WCAG AA's {AA_RATIO}:1")
    return problems
