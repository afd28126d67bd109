"""Choices a form offers from the domain's reasons, each worded as a sentence."""

from collections.abc import Iterable
from typing import Protocol


class Worded(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def value(self) -> str: ...


def reason_choices(reasons: Iterable[Worded]) -> list[dict[str, str]]:
    """``[{"title": "The panel said …", "value": …}]``: each reason's words, starting with a capital."""
    return [{"title": reason.label[0].upper() + reason.label[1:], "value": reason.value} for reason in reasons]
