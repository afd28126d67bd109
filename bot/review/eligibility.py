"""Does the case meet the criteria for a review? (3.1.1; Working Together 8.9–8.11)

The bot only *derives* an outcome to guide the user: the decision is always the board's (3.3.3),
and what it decided is recorded separately on the review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from .eligibility_result import Eligibility
from .kinds import Nation, local_name
from .pack_schema import FrameworkPack
from .paragraphs import Citation, cite
from .questions import ALL_QUESTIONS, Question


@dataclass(frozen=True)
class EligibilityAnswers:
    """Yes (True) / no (False) to questions E1–E3, H1–H4 and C1 (see ``questions.py``)."""

    e1: bool = False
    e2: bool = False
    e3: bool = False
    h1: bool = False
    h2: bool = False
    h3: bool = False
    h4: bool = False
    c1: bool = False

    def yes(self, *question_ids: str) -> tuple[str, ...]:
        """Those of ``question_ids`` answered yes, in the order given."""
        return tuple(qid for qid in question_ids if getattr(self, qid.lower()))


ELIGIBILITY_IDS = tuple(f.name.upper() for f in fields(EligibilityAnswers))
_DEATHS = ("E1", "E2", "E3")
_HARMS = ("H1", "H2", "H3", "H4")


@dataclass(frozen=True)
class AnswerGiven:
    """One answer that led to the outcome, e.g. ``AnswerGiven("C1", False)``."""

    question_id: str
    answered_yes: bool

    @property
    def text(self) -> str:
        return f"{self.question_id}: {'yes' if self.answered_yes else 'no'}"


@dataclass(frozen=True)
class EligibilityOutcome:
    result: Eligibility
    reasons: tuple[AnswerGiven, ...]
    paragraphs: Citation
    explanation: str
    # A framework pack's own words for the outcome ("a serious child safeguarding case — …"); the
    # source guidance's outcomes are worded where they are shown.
    heading: str = ""


def _citation_of(question_ids: tuple[str, ...], *extra: str) -> Citation:
    refs: tuple[str, ...] = ()
    for qid in question_ids:
        refs += ALL_QUESTIONS[qid].paragraphs.refs
    return Citation(tuple(dict.fromkeys(refs + extra)))


def _in_nation(nation: Nation, english_rule: str) -> str:
    """The criteria are England's (3.1.1, Working Together): elsewhere 2.1 says only that the
    nation's own process is "similar", so the rule is given as England's and the board's own
    rules are named as what decides."""
    if nation is Nation.ENGLAND:
        return english_rule
    return (
        f"Under the criteria for England, {english_rule[0].lower()}{english_rule[1:]} {nation.label} has a "
        f"similar process of its own (para 2.1): the {local_name(nation).board} applies its own rules and decides."
    )


# 6.1 names two lighter options, of different kinds: an Independent (inter-agency) Management
# Review *rather than a full* review, and a smaller-scale audit of a case that does not meet the criteria.
_RATHER_THAN_FULL = (
    " The {board} may decide to hold a single Independent (inter-agency) Management Review rather than a full "
    "{review} (para 6.1)."
)
_AUDIT = " The {board} may still hold a smaller-scale audit of the case (para 6.1)."


def asks_about_working_together(answers: EligibilityAnswers) -> bool:
    """Whether C1 can change the outcome: only after a yes to a serious harm (H1–H4) and no death
    (E1–E3), since a death means a review must be held whatever C1 says (3.1.1)."""
    return bool(answers.yes(*_HARMS)) and not answers.yes(*_DEATHS)


def assess_eligibility(answers: EligibilityAnswers, nation: Nation = Nation.ENGLAND) -> EligibilityOutcome:
    """Derive the outcome; ``nation`` changes the names used and, outside England, says that the
    criteria are England's and the nation's own process is similar (2.1)."""
    review, board = local_name(nation).review, local_name(nation).board
    local = cite("2.1") if nation is not Nation.ENGLAND else cite()
    deaths = answers.yes(*_DEATHS)
    if deaths:
        return EligibilityOutcome(
            Eligibility.MUST_HOLD,
            tuple(AnswerGiven(qid, True) for qid in deaths),
            _citation_of(deaths, "6.1") + local,
            _in_nation(nation, f"A {review} must always be held in these circumstances.")
            + f" The {board} still makes and records the decision."
            + _RATHER_THAN_FULL.format(board=board, review=review),
        )
    harms = answers.yes(*_HARMS)
    if harms and answers.c1:
        return EligibilityOutcome(
            Eligibility.SHOULD_CONSIDER,
            tuple(AnswerGiven(qid, True) for qid in (*harms, "C1")),
            _citation_of((*harms, "C1"), "3.3.3", "6.1") + local,
            _in_nation(nation, f"The criteria for considering a {review} are met.")
            + f" The {board} decides whether to hold one, usually after a rapid review of the circumstances."
            + _RATHER_THAN_FULL.format(board=board, review=review),
        )
    if harms:
        reasons = (*(AnswerGiven(qid, True) for qid in harms), AnswerGiven("C1", False))
        because = (
            "A child was seriously harmed, but there is no concern about how local professionals and "
            "services worked together, so the criteria are not met."
        )
        citation = _citation_of((*harms, "C1"), "6.1")
    else:
        reasons = tuple(AnswerGiven(qid, False) for qid in (*_DEATHS, *_HARMS))
        because = "None of the circumstances in the criteria applies, so the criteria are not met."
        citation = _citation_of((*_DEATHS, *_HARMS), "6.1")
    return EligibilityOutcome(
        Eligibility.NOT_MET,
        reasons,
        citation + local,
        _in_nation(nation, because) + _AUDIT.format(board=board),
    )


def assess_pack_criteria(pack: FrameworkPack, answers: Mapping[str, bool]) -> EligibilityOutcome:
    """What the answers to ``pack``'s own criteria point to, in its words and citing its sources.
    A question the answers lack (asked by a later version of the pack) counts as "no"."""
    criteria = pack.criteria
    if criteria is None:
        raise ValueError(f"{pack.id} has no criteria of its own to assess")
    outcome = criteria.outcome_for(answers)
    because = criteria.because(outcome, answers)
    refs = tuple(ref for question, _ in because for ref in criteria.question(question).sources) + outcome.sources
    return EligibilityOutcome(
        outcome.result,
        tuple(AnswerGiven(question, yes) for question, yes in because),
        pack.citation(tuple(dict.fromkeys(refs))),
        outcome.text,
        heading=outcome.heading,
    )


def criteria_questions(pack: FrameworkPack) -> tuple[Question, ...]:
    """A pack's own criteria as the yes/no questions the opening card asks, each citing its source."""
    return tuple(Question(q.id, q.text, pack.citation(q.sources)) for q in pack.criteria.questions) \
        if pack.criteria else ()


def outcome_of(pack: FrameworkPack, nation: Nation, eligibility: EligibilityAnswers | None,
               criteria_answers: Mapping[str, bool] | None) -> EligibilityOutcome | None:
    """What a review's opening answers point to: its pack's own criteria where it has them and
    they were answered, else the source guidance's (3.1.1); None before any were answered."""
    if criteria_answers is not None and pack.criteria is not None:
        return assess_pack_criteria(pack, criteria_answers)
    return None if eligibility is None else assess_eligibility(eligibility, nation)
