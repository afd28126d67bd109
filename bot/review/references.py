"""What may identify a review: the board's reference and the board's name, never a person (8.1).

Published reports are anonymised (8.1), and a reference travels in every email subject (1.8), so
it must not carry a name. No rule can tell every name from every reference, so these rules accept
what board references and board names look like and refuse the ways people type names:

- a reference is up to 40 letters, digits, spaces, "-", "_" or "/" with at least one digit; it has
  no word describing a person or family ("family", "baby", "Mrs" …); and its words of three or
  more letters are the board's codes in capitals (LSCB, SCR, WSCB), because names are typed
  "Smith" or "smith", never "SMITH" — so "Jane Smith 01" is refused and "WSCB 26-003" accepted;
- a board name contains a word that shows it is a board (Board, Committee, Partnership …) or the
  board's initials (LSCB, ACPC, SBNI …), which no personal name does.

Reviews stored before these rules may hold a value they refuse: those are replaced on loading by a
neutral one (``as_loaded``), so a name cannot reach an email.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

_REFERENCE_SHAPE = re.compile(r"^(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9 _/-]{0,39}$")
BOARD_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9 &'(),.-]{1,79}$")
_WORD = re.compile(r"[A-Za-z]+")
# Words that describe a person or a family rather than a case: "Smith-family-2026", "Baby-2026".
PERSON_WORDS = frozenset({"family", "fam", "child", "baby", "boy", "girl", "mr", "mrs", "miss", "ms"})
# Words that show a name is a board's, and the endings of boards' initials: LSCB, WSCB, LSCP, ACPC.
BOARD_WORDS = frozenset({
    "board", "boards", "committee", "council", "partnership", "partnerships", "panel", "safeguarding", "children",
})
# SBNI: the Safeguarding Board for Northern Ireland, which replaced the ACPCs there (2.1).
_BOARD_INITIALS = re.compile(r"^(?:[a-z]*(?:scb|scp|cpc)|sbni)$")

_EXAMPLE = "Use the board's case reference, e.g. LSCB-2026-014 or SCR/2026/07. Never use a name (para 8.1)."
_SHAPE_PROBLEM = (
    "The reference must be the board's case reference: up to 40 letters, digits, spaces, '-', '_' or '/', "
    "including at least one digit (e.g. LSCB-2026-014). Never use a name (para 8.1)."
)
_CAPITALS_PROBLEM = (
    "The letters in a reference must be the board's codes in capitals, such as LSCB or SCR: a word written "
    f"like a name (Smith, smith) is not accepted. {_EXAMPLE}"
)
BOARD_NAME_PROBLEM = (
    "Enter the board's own name, e.g. Exampleshire LSCB: it must include a word that shows it is a board "
    "(Board, Committee, Council, Partnership, Panel, Safeguarding or Children) or the board's initials "
    "(such as LSCB, LSCP, ACPC, CPC or SBNI), so a person's name is not taken for it (para 8.1). "
    "Use letters, digits and & ' ( ) , . - only."
)


def person_word(text: str) -> str | None:
    """The first word of `text` that describes a person or family ("family", "baby"), lower-case."""
    return next((word.lower() for word in _WORD.findall(text) if word.lower() in PERSON_WORDS), None)


def validate_reference(reference: str) -> str:
    """The reference as stored (outer spaces removed), or ValueError saying why it is refused."""
    cleaned = reference.strip() if isinstance(reference, str) else reference
    if not isinstance(cleaned, str) or not _REFERENCE_SHAPE.match(cleaned):
        raise ValueError(_SHAPE_PROBLEM)
    words = _WORD.findall(cleaned)
    # Only words from PERSON_WORDS are quoted back: whatever else was typed may be a name.
    person = person_word(cleaned)
    if person:
        raise ValueError(f"The reference must not describe a person or family (\u201c{person}\u201d). {_EXAMPLE}")
    if any(len(word) >= 3 and not word.isupper() for word in words):
        raise ValueError(_CAPITALS_PROBLEM)
    return cleaned


def validate_board_name(board_name: str) -> str:
    """The board's name as stored (outer spaces removed), or ValueError saying what is accepted."""
    cleaned = board_name.strip() if isinstance(board_name, str) else board_name
    if not isinstance(cleaned, str) or not BOARD_NAME_PATTERN.match(cleaned):
        raise ValueError(BOARD_NAME_PROBLEM)
    words = [word.lower() for word in _WORD.findall(cleaned)]
    if not any(word in BOARD_WORDS or _BOARD_INITIALS.match(word) for word in words):
        raise ValueError(BOARD_NAME_PROBLEM)
    return cleaned


WITHHELD_BOARD_NAME = "Board name withheld"


def withheld_reference(review_id: str) -> str:
    """A neutral reference, stable for the review, that passes ``validate_reference``."""
    return f"WITHHELD-{uuid.UUID(review_id).int % 1_000_000:06d}"


def as_loaded(reference: str, board_name: str, review_id: str) -> tuple[str, str]:
    """A stored review's reference and board name, each replaced by a neutral value if these rules
    refuse it now: it may be a name (8.1), and the reference goes into every email subject (1.8)."""
    return (
        _or_neutral(validate_reference, reference, withheld_reference(review_id)),
        _or_neutral(validate_board_name, board_name, WITHHELD_BOARD_NAME),
    )


def _or_neutral(validate: Callable[[str], str], value: str, neutral: str) -> str:
    try:
        return validate(value)
    except ValueError:
        return neutral
