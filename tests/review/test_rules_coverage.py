"""Every rule id in RULES.md (E1–E3, H1–H4, C1, I1–I4, O1–O15) is in the domain and named by a test."""

import re
from pathlib import Path

import pytest

from bot.review import OBLIGATIONS
from bot.review.questions import ALL_QUESTIONS

RULES = Path(__file__).parents[2].parent / "shared/guidance/RULES.md"
RULE_ID = re.compile(r"\b(E[1-3]|H[1-4]|C1|I[1-4]|O1[0-5]|O[1-9])\b")
TESTS = [p for p in Path(__file__).parent.glob("test_*.py") if p.name != Path(__file__).name]


@pytest.fixture(scope="module")
def rule_ids() -> list[str]:
    if not RULES.exists():
        pytest.skip(f"{RULES} not found (CI clones shared/ beside the repo)")
    return sorted(set(RULE_ID.findall(RULES.read_text())), key=lambda i: (i[0], int(i[1:])))


def test_rules_md_defines_all_the_expected_ids(rule_ids: list[str]) -> None:
    assert len(rule_ids) == 3 + 4 + 1 + 4 + 15


def test_each_rule_is_defined_in_the_domain(rule_ids: list[str]) -> None:
    defined = set(ALL_QUESTIONS) | set(OBLIGATIONS)
    assert [rule for rule in rule_ids if rule not in defined] == []


def test_each_rule_is_named_by_a_test(rule_ids: list[str]) -> None:
    sources = "\n".join(p.read_text() for p in TESTS)
    unnamed = [
        rule
        for rule in rule_ids
        if not re.search(rf"(?<![A-Za-z0-9]){rule}(?![0-9])", sources, re.IGNORECASE)
    ]
    assert unnamed == []
