"""Every yes/no question the bot asks, as data: the Teams cards are generated from these.

Wording rules: plain English a civil servant can answer with yes or no, and never an invitation to
type names or details of the child, family or staff (8.1). For the independence questions "yes" is
always the good answer, so a card can show them uniformly and a single "no" explains a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from .paragraphs import Citation, cite

Answers = TypeVar("Answers")

NO_PERSONAL_DETAILS = (
    "Answer yes or no only. Do not type names, dates of birth, addresses or other details of the "
    "child, the family or staff anywhere in this bot (8.1)."
)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    paragraphs: Citation
    help: str = ""


ELIGIBILITY_QUESTIONS: tuple[Question, ...] = (
    Question(
        "E1",
        "Has a child died (including by suspected suicide), where abuse or neglect is known or "
        "suspected to have been a factor in the death?",
        cite("3.1.1", "WT"),
    ),
    Question(
        "E2",
        "Did a child die in custody, in a Young Offender Institution, in a Secure Training Centre or "
        "in a secure children's home?",
        cite("WT"),
    ),
    Question(
        "E3",
        "Did a child die while detained under mental health legislation?",
        cite("WT"),
    ),
    Question(
        "H1",
        "Has a child suffered a potentially life-threatening injury, or serious and permanent "
        "impairment of health or development, through abuse or neglect?",
        cite("3.1.1", "WT 8.11"),
    ),
    Question(
        "H2",
        "Has a child been seriously harmed as a result of sexual abuse?",
        cite("3.1.1", "WT 8.11"),
    ),
    Question(
        "H3",
        "Has a parent been murdered, with a domestic homicide review being started under the "
        "Domestic Violence Act 2004?",
        cite("3.1.1", "WT 8.11"),
    ),
    Question(
        "H4",
        "Has a child been seriously harmed in a violent assault by another child or an adult?",
        cite("3.1.1", "WT 8.11"),
    ),
    Question(
        "C1",
        "Does the case raise concerns about the way local professionals and services worked together "
        "to safeguard the child, including between agencies or professions?",
        cite("3.1.1", "WT 8.11"),
    ),
)

REPRESENTATIVE_QUESTIONS: tuple[Question, ...] = (
    Question(
        "I1",
        "Is the nominated Home Office representative (this may be you) at Assistant Director "
        "(Grade 7) level or above?",
        cite("1.2", "7.2"),
        help="Grade 7 is the minimum. More senior representation may be needed given the nature of "
        "the incident: if unsure, ask the SCS lead for the business area.",
    ),
    Question(
        "I2",
        "Does the nominated representative have a strategic understanding of Home Office "
        "safeguarding issues?",
        cite("1.2", "7.2"),
    ),
    Question(
        "I3",
        "Is the nominated representative free of any direct involvement in the case?",
        cite("1.2", "7.2"),
    ),
    Question(
        "I4",
        "Is the nominated representative free of line-management responsibility for every member of "
        "staff who was directly involved in the case?",
        cite("1.2", "7.2"),
    ),
)

IMR_AUTHOR_QUESTIONS: tuple[Question, ...] = (
    Question(
        "A1",
        "Is the IMR author free of any direct involvement with the child or the family?",
        cite("5.1", "WT"),
    ),
    Question(
        "A2",
        "Is the IMR author free of any line-management responsibility for the staff who were involved?",
        cite("5.1", "WT"),
    ),
    Question(
        "A3",
        "Is the manager supervising the IMR author also free of any direct responsibility for the case?",
        cite("WT"),
    ),
    Question(
        "A4",
        "Is the author's independence from the case stated explicitly in the IMR, and will it be "
        "recorded in the review's report?",
        cite("WT"),
    ),
)

ALL_QUESTIONS: dict[str, Question] = {
    question.id: question
    for question in ELIGIBILITY_QUESTIONS + REPRESENTATIVE_QUESTIONS + IMR_AUTHOR_QUESTIONS
}


def answers_by_id(kind: type[Answers], by_id: Mapping[str, Any]) -> Answers:
    """A form's yes/no answers, keyed by question id ("I1", "A3", "E1"), as ``kind`` (whose fields
    are those ids in lower case). An id the form did not ask is left to ``kind``'s default."""
    return kind(**{f.name: by_id[f.name.upper()] for f in fields(kind) if f.name.upper() in by_id})
