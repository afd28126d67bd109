"""Imports go one way (issue 11): conversation code (dialogs/) uses the bot's services, never the
reverse; the review domain uses nothing else of the bot; card templates use neither.

Read from the source, so an import inside a function counts as much as one at the top.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def imported_modules(source: str, package: str) -> set[str]:
    """Every module ``source`` imports, relative imports resolved from ``package`` (where it sits)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = node.module or ""
            found.add(module if node.level == 0 else ".".join(filter(None, (base, module))))
    return found


def imports_from(path: Path, *layers: str) -> list[str]:
    package = ".".join(path.relative_to(ROOT).parts[:-1])
    return sorted(name for name in imported_modules(path.read_text(), package)
                  if any(name == layer or name.startswith(f"{layer}.") for layer in layers))


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# Today's exceptions, each a real violation to move (issue 11, "One-way layers"): the reminder
# cards, digests and commands are built from dialogs/ views, and the activity handler takes the help
# card and the caller's user id from dialogs/. Strict, so a file that is fixed must lose its mark.
BOT_IMPORTS_DIALOGS = {
    "bot/reminders/reminder_replies.py": "the reminder commands live in bot/ and reply with dialogs' views",
    "bot/reminders/emails.py": "the agenda email is built from dialogs/views/reminders.py",
    "bot/reminders/scheduler.py": "the reminder and digest cards are built from dialogs/views/reminders.py",
    "bot/reminders/email_failures.py": "the 'Email not sent' card is built from dialogs/views/review.py",
    "bot/teams/bot.py": "the greeting uses dialogs' help card, and user_id_of lives in dialogs/review_lookup.py",
}


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, marks=pytest.mark.xfail(strict=True, reason=f"issue 11: {BOT_IMPORTS_DIALOGS[_id(path)]}"))
     if _id(path) in BOT_IMPORTS_DIALOGS else path for path in sources("bot")],
    ids=_id,
)
def test_nothing_under_bot_imports_dialogs(path: Path) -> None:
    assert imports_from(path, "dialogs", "app") == []


@pytest.mark.parametrize("path", sources("bot/review"), ids=_id)
def test_the_domain_imports_no_other_part_of_the_app(path: Path) -> None:
    """Not Graph, not storage, not Teams: those are bot/'s other packages (see also test_domain_is_pure)."""
    outside = imports_from(path, "bot", "dialogs", "cards", "app")
    assert [name for name in outside if not name.startswith("bot.review")] == []


@pytest.mark.parametrize("path", sources("cards"), ids=_id)
def test_cards_import_neither_bot_nor_dialogs(path: Path) -> None:
    assert imports_from(path, "bot", "dialogs", "app") == []


def test_the_checks_see_relative_and_nested_imports() -> None:
    source = "import cards\nfrom .model import Review\nfrom ..mail import MailQueue\n" \
             "def f():\n    from dialogs.views import x\n"
    assert imported_modules(source, "bot.review") == {"cards", "bot.review.model", "bot.mail", "dialogs.views"}
