"""Citations: readable text and only real paragraphs."""

import pytest

from bot.review import Citation, cite


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


def test_unknown_or_empty_paragraphs_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown paragraph"):
        cite("3.3.77")
    with pytest.raises(ValueError):
        Citation(())


def test_adding_citations_keeps_each_paragraph_once() -> None:
    assert (cite("1.1", "1.8") + cite("1.8", "7.1")).refs == ("1.1", "1.8", "7.1")
    assert cite("1.8").titles() == ("1.8 – Mark every email 'Serious Case Review' in the subject line",)
