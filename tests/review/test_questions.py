"""The question texts the cards are generated from: complete, cited, yes/no, and never asking for names."""

import re

import pytest

from bot.review import ELIGIBILITY_QUESTIONS, IMR_AUTHOR_QUESTIONS, REPRESENTATIVE_QUESTIONS, Question

ALL = ELIGIBILITY_QUESTIONS + REPRESENTATIVE_QUESTIONS + IMR_AUTHOR_QUESTIONS


def test_question_ids_are_the_rule_ids_in_order() -> None:
    assert [q.id for q in ELIGIBILITY_QUESTIONS] == ["E1", "E2", "E3", "H1", "H2", "H3", "H4", "C1"]
    assert [q.id for q in REPRESENTATIVE_QUESTIONS] == ["I1", "I2", "I3", "I4"]
    assert [q.id for q in IMR_AUTHOR_QUESTIONS] == ["A1", "A2", "A3", "A4"]


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.id)
def test_each_question_is_a_cited_yes_no_question_that_invites_no_names(question: Question) -> None:
    assert question.text.endswith("?")
    assert re.match(r"^(Has|Did|Does|Is)\b", question.text), "answerable with yes or no"
    assert not re.search(r"\b(names?|date of birth|address)\b", question.text, re.IGNORECASE)
    assert question.paragraphs.refs


def test_para_1_2_I1_help_mentions_more_senior_representation() -> None:
    assert "More senior representation" in REPRESENTATIVE_QUESTIONS[0].help
