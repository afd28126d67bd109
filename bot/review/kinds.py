"""Where a review happens, what kind it is and which Home Office business areas it involves.

The process and notifications are the same whatever the local name (2.1, 2.3, 6.2); only the
words shown to users change. Enum values are stable strings because they are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .frameworks import SCR_2016, catalogue
from .nations import Nation
from .pack_schema import LocalName
from .paragraphs import Citation, cite
from .stages import BoardDecision


def local_name(nation: Nation) -> LocalName:
    """What a statutory review and its board are called in ``nation`` under the source guidance
    (2.1), as its pack (scr-2016) says: e.g. "Case Management Review" in Northern Ireland."""
    return catalogue().pack(SCR_2016).local_names[nation]


@dataclass(frozen=True)
class ProcessWords:
    """The words for what the source guidance's process and a newer framework's name differently."""

    report: str  # the Home Office's own report to the review
    meeting: str  # the meetings the representative sits in
    seat: str  # where the representative sits


# The IMR (5.1) and the SCR panel (1.2, 7.2); under a newer framework the Home Office's report (an
# agency summary) stands in for the IMR, and the representative sits in its review meetings.
SOURCE_GUIDANCE_WORDS = ProcessWords("the IMR", "panel meeting", "on the panel")
NEWER_FRAMEWORK_WORDS = ProcessWords("the Home Office's report", "review meeting", "at the review's meetings")


def with_article(name: str) -> str:
    """"a Serious Case Review", "an Independent (inter-agency) Management Review"."""
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


class ReviewKind(Enum):
    """Statutory review (the nation's SCR / CMR / Significant CR) or one of the two options of 6.1.

    6.1 names two different things: a single Independent (inter-agency) Management Review held
    *rather than a full* review (6.2: same process and notifications; 6.3: PSU writes the IMR), and
    a smaller-scale audit of a case that does *not meet* the criteria. 6.2–6.3 speak only of the
    former; an audit the Home Office is asked to contribute to is recorded as its own kind and
    follows the same steps (RULES.md, review kinds).
    """

    STATUTORY = "statutory"
    INDEPENDENT_MANAGEMENT_REVIEW = "independent_management_review"
    SMALLER_SCALE_AUDIT = "smaller_scale_audit"

    def review_name(self, nation: Nation) -> str:
        """What users call this review: depends on the nation only for statutory reviews."""
        if self is ReviewKind.STATUTORY:
            return local_name(nation).review
        return _KIND_NAMES[self]

    @property
    def paragraphs(self) -> Citation:
        return _KIND_PARAGRAPHS[self]


_KIND_NAMES = {
    ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW: "Independent (inter-agency) Management Review",
    ReviewKind.SMALLER_SCALE_AUDIT: "Smaller-scale audit",
}
_KIND_PARAGRAPHS = {
    ReviewKind.STATUTORY: cite("2.1"),
    ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW: cite("6.1", "6.2", "6.3"),
    ReviewKind.SMALLER_SCALE_AUDIT: cite("6.1"),
}


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


# Which kind of review each decision to proceed holds (6.1); the board may choose a lighter kind
# than the one the review was opened as, or the full review after all.
KIND_DECIDED: dict[BoardDecision, ReviewKind] = {
    BoardDecision.PROCEED_WITH_STATUTORY_REVIEW: ReviewKind.STATUTORY,
    BoardDecision.PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW: ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW,
    BoardDecision.PROCEED_WITH_AUDIT: ReviewKind.SMALLER_SCALE_AUDIT,
}
DECISION_FOR_KIND = {kind: decision for decision, kind in KIND_DECIDED.items()}
