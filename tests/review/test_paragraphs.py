"""Citations: readable text and only real paragraphs."""

import re
from pathlib import Path

import pytest

from bot.review import cite
from bot.review.paragraphs import NO_PARAGRAPH, PARAGRAPH_TITLES

GUIDANCE = Path(__file__).resolve().parents[3] / "shared" / "guidance"


@pytest.mark.parametrize(
    ("refs", "text"),
    [
        (("1.1", "5.2"), "para 1.1, 5.2"),
        (("7.3.5", "1.6"), "para 1.6, 7.3.5"),
        (("3.1.1", "WT 8.11"), "para 3.1.1; Working Together 2010 para 8.11"),
        (("WT",), "Working Together 2010, chapter 8"),
    ],
)
def test_citation_text(refs: tuple[str, ...], text: str) -> None:
    assert cite(*refs).text == text == str(cite(*refs))


def test_unknown_paragraphs_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown paragraph"):
        cite("3.3.77")


def test_the_bots_own_rules_cite_no_paragraph_rather_than_an_unrelated_one() -> None:
    assert not NO_PARAGRAPH
    assert NO_PARAGRAPH.bracketed == ""
    assert cite("1.5").bracketed == " (para 1.5)"


def test_working_together_is_cited_only_at_paragraphs_the_source_texts_show() -> None:
    sources = "".join(path.read_text() for path in GUIDANCE.glob("*.txt"))
    shown = set(re.findall(r"(?:para|paras) (8\.\d+)", sources))
    for ref in PARAGRAPH_TITLES:
        if ref.startswith("WT "):
            assert ref.removeprefix("WT ") in shown, ref


def test_adding_citations_keeps_each_paragraph_once() -> None:
    assert (cite("1.1", "1.8") + cite("1.8", "7.1")).refs == ("1.1", "1.8", "7.1")
    assert cite("1.8").titles() == ("1.8 – Mark every email 'Serious Case Review' in the subject line",)


def test_a_pack_rule_cites_its_source_document_and_part_after_the_guidance_paragraphs() -> None:
    from bot.review.frameworks import catalogue

    pack = catalogue().pack("england-cspr-2023")
    decision = next(event for event in pack.events if event.id == "lcspr_decided")
    citation = cite("1.1") + pack.citation(decision.sources)
    assert citation.text == "para 1.1; SI 2018/789 reg 11"
    assert citation.bracketed == " (para 1.1; SI 2018/789 reg 11)"
    assert citation.titles()[-1].startswith("SI 2018/789 reg 11 – The Child Safeguarding Practice Review")
    assert pack.citation(decision.sources) and (citation + citation) == citation
