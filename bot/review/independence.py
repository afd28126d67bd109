"""Independence checks for the Home Office panel representative (1.2, 7.2) and the IMR author (5.1, WT).

Answers follow the questions in ``questions.py``, where "yes" is always the good answer: every
"no" is a failure that says which rule failed and what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .paragraphs import Citation
from .questions import ALL_QUESTIONS


@dataclass(frozen=True)
class RepresentativeAnswers:
    """i1 Grade 7 or above; i2 strategic understanding; i3 not directly involved; i4 does not
    line-manage anyone directly involved. True means "yes" to the question as worded."""

    i1: bool
    i2: bool
    i3: bool
    i4: bool


@dataclass(frozen=True)
class ImrAuthorAnswers:
    """a1 author not directly involved with child/family; a2 not line manager of those involved;
    a3 supervising manager also uninvolved; a4 independence stated in the IMR and the report."""

    a1: bool
    a2: bool
    a3: bool
    a4: bool


@dataclass(frozen=True)
class IndependenceFailure:
    rule_id: str
    paragraphs: Citation
    message: str
    next_step: str


@dataclass(frozen=True)
class IndependenceOutcome:
    passed: bool
    failures: tuple[IndependenceFailure, ...]


_NOMINATE_ELSE = (
    "Nominate someone else, or ask the SCS lead for the business area to nominate a representative"
)
_ASK_PSU = "Ask PSU, who write all Home Office IMRs, to assign an author"

_REPRESENTATIVE_FAILURES: dict[str, tuple[str, str]] = {
    "I1": (
        "The representative must be at least Assistant Director (Grade 7) level.",
        f"{_NOMINATE_ELSE} at Grade 7 or above. More senior representation may be needed given the "
        "nature of the incident – the SCS lead can advise.",
    ),
    "I2": (
        "The representative should have a strategic understanding of Home Office safeguarding issues.",
        f"{_NOMINATE_ELSE} with a strategic understanding of Home Office safeguarding.",
    ),
    "I3": (
        "The representative must not have been directly involved in the case.",
        f"{_NOMINATE_ELSE} who had no involvement in the case.",
    ),
    "I4": (
        "The representative must not line-manage any member of staff directly involved in the case.",
        f"{_NOMINATE_ELSE} outside the line management of the staff involved.",
    ),
}

_IMR_AUTHOR_FAILURES: dict[str, tuple[str, str]] = {
    "A1": (
        "The IMR author must not have been directly involved with the child or the family.",
        f"{_ASK_PSU} with no involvement in the case.",
    ),
    "A2": (
        "The IMR author must not have line-management responsibility for the staff involved.",
        f"{_ASK_PSU} outside the line management of the staff involved.",
    ),
    "A3": (
        "The manager supervising the IMR author must also have had no direct responsibility for the case.",
        "Ask PSU to arrange supervision of the author by a manager with no responsibility for the case.",
    ),
    "A4": (
        "The author's independence must be stated explicitly in the IMR and recorded in the review.",
        "Ask PSU to add a statement of the author's independence to the IMR, and ask the panel to "
        "record it in the review's report.",
    ),
}


def _check(
    answers: RepresentativeAnswers | ImrAuthorAnswers, messages: dict[str, tuple[str, str]]
) -> IndependenceOutcome:
    failures = tuple(
        IndependenceFailure(rule_id, ALL_QUESTIONS[rule_id].paragraphs, *messages[rule_id])
        for rule_id in (f.name.upper() for f in fields(answers))
        if not getattr(answers, rule_id.lower())
    )
    return IndependenceOutcome(passed=not failures, failures=failures)


def check_representative(answers: RepresentativeAnswers) -> IndependenceOutcome:
    """Rules I1–I4: all must hold before someone is recorded as the representative (1.2, 7.2)."""
    return _check(answers, _REPRESENTATIVE_FAILURES)


def check_imr_author(answers: ImrAuthorAnswers) -> IndependenceOutcome:
    """Rules A1–A4 for the IMR author written by PSU (5.1, 6.3; Working Together)."""
    return _check(answers, _IMR_AUTHOR_FAILURES)
