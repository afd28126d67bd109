"""Where a review happens, what kind it is and which Home Office business areas it involves.

The process and notifications are the same whatever the local name (2.1, 2.3, 6.2); only the
words shown to users change. Enum values are stable strings because they are stored.
"""

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
    def review_name(self) -> str:
        """Local name of the statutory review, e.g. "Case Management Review" in Northern Ireland."""
        return _NATION_NAMES[self][0]

    @property
    def board_name(self) -> str:
        """Kind of board that runs it, e.g. "Area Child Protection Committee"."""
        return _NATION_NAMES[self][1]

    @property
    def board_abbreviation(self) -> str:
        return _NATION_NAMES[self][2]

    @property
    def paragraphs(self) -> Citation:
        return cite("2.1")


_NATION_LABELS = {
    Nation.ENGLAND: "England",
    Nation.WALES: "Wales",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
    Nation.SCOTLAND: "Scotland",
}

_LSCB = ("Serious Case Review", "Local Safeguarding Children Board", "LSCB")
_NATION_NAMES = {
    Nation.ENGLAND: _LSCB,
    Nation.WALES: _LSCB,
    Nation.NORTHERN_IRELAND: ("Case Management Review", "Area Child Protection Committee", "ACPC"),
    Nation.SCOTLAND: ("Significant Case Review", "Child Protection Committee", "CPC"),
}


class ReviewKind(Enum):
    """Statutory review (the nation's SCR / CMR / Significant CR) or the lighter option of 6.1.

    A smaller-scale audit (also 6.1) is recorded as INDEPENDENT_MANAGEMENT_REVIEW: the guidance
    gives it no separate process, and RULES.md applies the same process and notifications.
    """

    STATUTORY = "statutory"
    INDEPENDENT_MANAGEMENT_REVIEW = "independent_management_review"

    def review_name(self, nation: Nation) -> str:
        """What users call this review: depends on the nation only for statutory reviews."""
        if self is ReviewKind.STATUTORY:
            return nation.review_name
        return "Independent (inter-agency) Management Review"

    @property
    def paragraphs(self) -> Citation:
        return cite("2.1") if self is ReviewKind.STATUTORY else cite("6.1", "6.2", "6.3")


class BusinessArea(Enum):
    """Home Office business areas covered by the guidance; a review may involve several."""

    BORDER_FORCE = "border_force"
    UKVI = "ukvi"
    IMMIGRATION_ENFORCEMENT = "immigration_enforcement"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]


_AREA_LABELS = {
    BusinessArea.BORDER_FORCE: "Border Force",
    BusinessArea.UKVI: "UK Visas and Immigration",
    BusinessArea.IMMIGRATION_ENFORCEMENT: "Immigration Enforcement",
}
