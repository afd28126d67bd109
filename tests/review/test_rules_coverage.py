"""Every rule id in RULES.md (E1–E3, H1–H4, C1, I1–I4, O1–O15) is in the domain and named by a test.

"Named" means used in test code – a test's name, a parameter, a string – never a comment or a
docstring, which can mention a rule no test exercises.
"""

import ast
import os
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
        # CI clones shared/ beside the repo, so there a missing file is a broken set-up, not a skip.
        if os.environ.get("CI") == "true":
            pytest.fail(f"{RULES} not found: CI must clone shared/ beside the repo")
        pytest.skip(f"{RULES} not found: clone shared/ beside the repo to check rule coverage")
    return sorted(set(RULE_ID.findall(RULES.read_text())), key=lambda i: (i[0], int(i[1:])))


def code_words(source: str) -> str:
    """The names and string values a module's code uses, without its comments and docstrings."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    words: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            words.append(node.name)
        elif isinstance(node, ast.Name):
            words.append(node.id)
        elif isinstance(node, ast.Attribute):
            words.append(node.attr)
        elif isinstance(node, ast.keyword) and node.arg:
            words.append(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words.append(node.value)
    return "\n".join(words)


def named(rule: str, words: str) -> bool:
    # Test names are lower case (test_o14_...), so any case counts; a longer id (O14 for O1) does not.
    return re.search(rf"(?<![A-Za-z0-9]){rule}(?![0-9])", words, re.IGNORECASE) is not None


def test_a_rule_in_a_comment_or_docstring_is_not_named() -> None:
    words = code_words('"""Covers O7."""\n# O8\ndef test_o9():\n    """O10"""\n    assert check("O11", h1=True)\n')
    assert [rule for rule in ("O7", "O8", "O9", "O10", "O11", "H1") if named(rule, words)] == ["O9", "O11", "H1"]


def test_rules_md_defines_all_the_expected_ids(rule_ids: list[str]) -> None:
    assert len(rule_ids) == 3 + 4 + 1 + 4 + 15


def test_each_rule_is_defined_in_the_domain(rule_ids: list[str]) -> None:
    defined = set(ALL_QUESTIONS) | set(OBLIGATIONS)
    assert [rule for rule in rule_ids if rule not in defined] == []


def test_each_rule_is_named_by_a_test(rule_ids: list[str]) -> None:
    words = "\n".join(code_words(p.read_text()) for p in TESTS)
    assert [rule for rule in rule_ids if not named(rule, words)] == []
