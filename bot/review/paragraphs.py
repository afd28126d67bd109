"""Citing the guidance, so every rule the bot applies can tell the user *why*.

Paragraph numbers are those of the Home Office guidance on Serious Case Reviews and Individual
Management Reviews (``1.1``, ``7.3.5`` …). References that start with ``WT`` point at Working
Together to Safeguard Children (2010), chapter 8, as quoted by the NSU explainer; a bare ``WT``
means the chapter as a whole (the explainer quotes it without a paragraph number).

Only paragraphs that exist in the sources can be cited: a typo such as ``"3.3.77"`` fails at import
time instead of showing users a citation that leads nowhere.

A rule of a framework pack cites a part of one of the pack's own sources (``SourcePart``: "SI 2018/789
reg 11"); the pack's reader has already checked the pack lists it, so it is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

WT = "WT"
"""Prefix of Working Together (2010) references."""

# Short titles let the bot expand a citation ("1.8 – mark every email 'Serious Case Review'").
PARAGRAPH_TITLES: dict[str, str] = {
    "1.1": "Notify SCS lead, SCS Children's Lead, PSU and OCC at the beginning",
    "1.2": "Home Office representative: Grade 7 or above, strategic, independent of the case",
    "1.3": "PSU writes all IMRs; secure all case records promptly",
    "1.4": "Representative keeps business areas aware and disseminates learning",
    "1.5": "Consult business areas referred to in the IMR early; record it on CID",
    "1.6": "Send the completed IMR to Investigations North – Lessons Learned Team",
    "1.7": "Send the published overview report and executive summary to PSU, OCC and Lessons Learned",
    "1.8": "Mark every email 'Serious Case Review' in the subject line",
    "2.1": "Names across the UK: Serious / Case Management / Significant Case Review",
    "3.1.1": "When a Serious Case Review is undertaken",
    "3.3.2": "Any professional may refer a case",
    "3.3.3": "Rapid review; the board decides whether to hold a review",
    "3.3.4": "Then considered: timescales, panel, which agencies provide an IMR, terms of reference",
    "3.3.5": "Agencies nominate a panel member and an IMR author; the panel commissions the overview report",
    "3.3.6": "Panel chair: terms of reference, timescales, sign-off",
    "3.3.7": "Reviews normally completed within six months of the decision to proceed",
    "3.3.8": "Act on lessons as soon as they are identified",
    "4.1": "Process flow chart",
    "5.1": "PSU writes IMRs because authors must be independent of the case",
    "5.2": "Notify PSU immediately; deal with PSU requests as a priority",
    "6.1": "Independent (inter-agency) Management Review or smaller-scale audit",
    "6.2": "Same process and notifications as a Serious Case Review",
    "6.3": "PSU writes the IMRs for these reviews too",
    "7.1": "Notify the SCS lead and SCS Children's Lead at the beginning",
    "7.2": "Home Office representative on the panel: grade and independence",
    "7.3.1": "Standing item for SCS Children's Leads meetings",
    "7.3.2": "Standing item for Safeguarding Co-ordinators meetings",
    "7.3.3": "Recommendations to the Home Office: owned by the panel member and their SCS",
    "7.3.4": "Disseminate learning across the Home Office",
    "7.3.5": "Send the completed IMR to Investigations North – Lessons Learned Team",
    "7.3.6": "Send the published report to PSU, OCC and Lessons Learned",
    "7.3.7": "Inform business areas in the action plan; confirm on CID",
    "7.4.1": "New to reviews? Talk to the OCC",
    "7.4.2": "Notify the OCC at the beginning and send the completed report",
    "8.1": "Published reports are anonymised",
    "9.1": "Points of contact flow chart",
    WT: "Working Together to Safeguard Children (2010), chapter 8",
    "WT 8.11": "Working Together: when a review should be considered",
}


def _describe(ref: str) -> str:
    if ref == WT:
        return "Working Together 2010, chapter 8"
    if ref.startswith(WT + " "):
        return f"Working Together 2010 para {ref.removeprefix(WT + ' ')}"
    return ref


def _number(ref: str) -> tuple[int, ...]:
    return tuple(int(part) for part in ref.split("."))


@dataclass(frozen=True)
class SourcePart:
    """A part of a framework pack's source: ``document`` is its short name ("SI 2018/789"), ``part``
    the paragraph or regulation ("reg 11"), ``title`` the document's full title."""

    document: str
    part: str
    title: str

    @property
    def text(self) -> str:
        return f"{self.document} {self.part}"


@dataclass(frozen=True)
class Citation:
    """One or more paragraphs behind a rule, e.g. ``Citation(("1.1", "5.2"))``; a framework pack's
    rules cite parts of its sources instead (``sources``)."""

    refs: tuple[str, ...]
    sources: tuple[SourcePart, ...] = ()

    def __post_init__(self) -> None:
        unknown = [ref for ref in self.refs if ref not in PARAGRAPH_TITLES]
        if unknown:
            raise ValueError(f"unknown paragraph(s) {unknown}: cite only paragraphs of the guidance")

    def __iter__(self) -> Iterator[str]:
        return iter(self.refs)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.refs or self.sources)

    @property
    def bracketed(self) -> str:
        """``" (para 1.5)"`` to follow a sentence, or nothing for a rule of the bot's own (``NO_PARAGRAPH``)."""
        return f" ({self.text})" if self else ""

    @property
    def text(self) -> str:
        """Human text in paragraph order: ``"para 1.1, 5.2"``; Working Together after a semicolon, then
        a pack's sources as they are cited (``"SI 2018/789 reg 11"``)."""
        guidance = sorted((ref for ref in self.refs if not ref.startswith(WT)), key=_number)
        working_together = [_describe(ref) for ref in self.refs if ref.startswith(WT)]
        parts = (["para " + ", ".join(guidance)] if guidance else []) + working_together
        return "; ".join(parts + [source.text for source in self.sources])

    def titles(self) -> tuple[str, ...]:
        """``("1.1 – Notify SCS lead …", …)`` for a "why?" card."""
        return (tuple(f"{_describe(ref)} – {PARAGRAPH_TITLES[ref]}" for ref in self.refs)
                + tuple(f"{source.text} – {source.title}" for source in self.sources))

    def __add__(self, other: Citation) -> Citation:
        """Union keeping first-seen order, so combined citations stay readable."""
        return Citation(tuple(dict.fromkeys(self.refs + other.refs)),
                        tuple(dict.fromkeys(self.sources + other.sources)))


# For the bot's own rules (who may see a review, which obligation a button names): no paragraph of
# the guidance says them, and citing an unrelated one would mislead.
NO_PARAGRAPH = Citation(())


def cite(*refs: str) -> Citation:
    """``cite("1.1", "5.2")`` – shorthand used throughout the rule tables."""
    return Citation(tuple(refs))
