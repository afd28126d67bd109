"""The UK nations a review can happen in (2.1). Values are stable strings because they are stored."""

from __future__ import annotations

from enum import Enum

from .paragraphs import Citation, cite


class Nation(Enum):
    """The UK nation whose board runs the review (2.1)."""

    ENGLAND = "england"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"
    SCOTLAND = "scotland"

    @property
    def label(self) -> str:
        return _NATION_LABELS[self]

    @property
    def paragraphs(self) -> Citation:
        return cite("2.1")


_NATION_LABELS = {
    Nation.ENGLAND: "England",
    Nation.WALES: "Wales",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
    Nation.SCOTLAND: "Scotland",
}
