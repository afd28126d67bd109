"""Fill an Adaptive Card template (a `.json` file beside this module) with data.

Templates use a small subset of the Adaptive Cards Templating language, so the files still open
in the Adaptive Cards designer:
- `${path.to.value}` anywhere in a string (a string that is only `${…}` keeps the value's type);
- `"$data": "${list}"` on an element repeats it once per item, with `${…}` resolved in the item
  first and then in the outer data;
- `"$when": "${flag}"` (or `"${!flag}"`) keeps the element only when the value is truthy.
"""

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

_TEMPLATES = Path(__file__).parent
_EXPRESSION = re.compile(r"\$\{(!?)([A-Za-z_][\w.]*)\}")
_MISSING = object()


class TemplateError(KeyError):
    """A template refers to data that was not supplied: a programming error, caught by tests."""


@cache
def _template(name: str) -> Any:
    return json.loads((_TEMPLATES / f"{name}.json").read_text(encoding="utf-8"))


def render_card(name: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return _render(_template(name), [data or {}])


def _lookup(path: str, scopes: list[dict[str, Any]]) -> Any:
    for scope in reversed(scopes):
        value: Any = scope
        for part in path.split("."):
            value = value.get(part, _MISSING) if isinstance(value, dict) else _MISSING
            if value is _MISSING:
                break
        if value is not _MISSING:
            return value
    raise TemplateError(path)


def _evaluate(text: str, scopes: list[dict[str, Any]]) -> Any:
    whole = _EXPRESSION.fullmatch(text)
    if whole:
        value = _lookup(whole.group(2), scopes)
        return (not value) if whole.group(1) else value

    def substitute(match: re.Match[str]) -> str:
        value = _lookup(match.group(2), scopes)
        return str(not value) if match.group(1) else str(value)

    return _EXPRESSION.sub(substitute, text)


def _render(node: Any, scopes: list[dict[str, Any]]) -> Any:
    if isinstance(node, str):
        return _evaluate(node, scopes)
    if isinstance(node, list):
        rendered: list[Any] = []
        for element in node:
            rendered.extend(_expand(element, scopes))
        return rendered
    if isinstance(node, dict):
        return {key: _render(value, scopes) for key, value in node.items()}
    return node


def _expand(element: Any, scopes: list[dict[str, Any]]) -> list[Any]:
    """One list element becomes zero (`$when` false), one, or many (`$data`) elements."""
    if not isinstance(element, dict):
        return [_render(element, scopes)]
    if "$data" in element:
        items = _evaluate(element["$data"], scopes)
        body = {key: value for key, value in element.items() if key != "$data"}
        return [
            rendered
            for item in items
            for rendered in _expand(body, [*scopes, item if isinstance(item, dict) else {"$": item}])
        ]
    if "$when" in element:
        if not _evaluate(element["$when"], scopes):
            return []
        element = {key: value for key, value in element.items() if key != "$when"}
    return [_render(element, scopes)]
