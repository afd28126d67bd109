"""Independence checks for the Home Office panel representative (1.2, 7.2) and the IMR author (5.1, WT).

Answers follow the questions in ``questions.py``, where "yes" is always the good answer. The
guidance words its rules differently, and the checks follow the words: a "no" to a *must* rule is
a failure that blocks (the person is not recorded, the IMR is not accepted); a "no" to a *should*
rule is a warning that is recorded and shown, and never blocks. Each says which rule and what to do.
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
    """A rule answered "no": blocking when the guidance says *must*, a warning when it says *should*."""

    rule_id: str
    paragraphs: Citation
    message: str
    next_step: str
    blocking: bool = True


@dataclass(frozen=True)
class IndependenceOutcome:
    failures: tuple[IndependenceFailure, ...]
    warnings: tuple[IndependenceFailure, ...] = ()

    @property
    def passed(self) -> bool:
        """Every *must* rule is met (warnings about *should* rules may remain)."""
        return not self.failures


# The board asks each agency to nominate its panel member (3.3.5); within the Home Office the SCS
# lead for the business area is the one to ask, though no paragraph says who nominates.
_NOMINATE_ELSE = "Ask the SCS lead for the business area to nominate another representative"
_ASK_PSU = "Ask PSU, who write all Home Office IMRs, to assign an author"

_REPRESENTATIVE_FAILURES: dict[str, tuple[str, str]] = {
    "I1": (
        "The representative must be at least Assistant Director (Grade 7) level.",
        f"{_NOMINATE_ELSE} at Grade 7 or above. More senior representation may be needed given the "
        "nature of the incident – the SCS lead can advise.",
    ),
    "I2": (
        "The representative should have a strategic understanding of Home Office safeguarding issues.",
        "You can still be recorded: the guidance says 'should', not 'must'. Consider whether someone "
        "with a strategic understanding of Home Office safeguarding should sit on the panel instead, and "
        "brief yourself with the SCS lead and the OCC (7.4.1).",
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
        "The manager supervising the IMR author should also have had no direct responsibility for the case "
        "(Working Together, as the NSU text quotes it).",
        "The IMR is still recorded. Ask PSU whether the author can be supervised by a manager with no "
        "responsibility for the case.",
    ),
    "A4": (
        "The author's independence should be stated explicitly in the IMR and recorded in the review "
        "(Working Together, as the NSU text quotes it; the Home Office guidance, 5.1, does not require it).",
        "The IMR is still recorded. Ask PSU to add a statement of the author's independence to the IMR, "
        "and ask the panel to record it in the review's report.",
    ),
}


# Rules the guidance words with "should": recorded and warned about, never blocking.
# I2: 1.2 and 7.2 say the representative "should have a strategic understanding"; A3 and A4 are
# Working Together's advice on IMR authors, beyond the two "must not"s of 5.1.
SHOULD_RULES = frozenset({"I2", "A3", "A4"})


def _check(
    answers: RepresentativeAnswers | ImrAuthorAnswers, messages: dict[str, tuple[str, str]]
) -> IndependenceOutcome:
    noes = tuple(
        IndependenceFailure(rule_id, ALL_QUESTIONS[rule_id].paragraphs, *messages[rule_id],
                            blocking=rule_id not in SHOULD_RULES)
        for rule_id in (f.name.upper() for f in fields(answers))
        if not getattr(answers, rule_id.lower())
    )
    return IndependenceOutcome(
        failures=tuple(no for no in noes if no.blocking),
        warnings=tuple(no for no in noes if not no.blocking),
    )


def check_representative(answers: RepresentativeAnswers) -> IndependenceOutcome:
    """I1, I3 and I4 must hold before someone is recorded as the representative; I2 is a "should"
    (1.2, 7.2)."""
    return _check(answers, _REPRESENTATIVE_FAILURES)


def check_imr_author(answers: ImrAuthorAnswers) -> IndependenceOutcome:
    """A1 and A2 must hold for the IMR to be recorded (5.1); A3 and A4 are Working Together's
    "should"s."""
    return _check(answers, _IMR_AUTHOR_FAILURES)
