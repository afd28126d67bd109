"""Imports go one way (issue 11): down the layers of README "How it is built" (`LAYERS`), and
within them more strictly where it matters: nothing under bot/ imports the conversations
(dialogs/), the conversations reach the data only through the ReviewService, card views (views/)
read only the domain and outbox items, the domain uses nothing else of the app, and the card
templates (cards/) use nothing.

Read from the source, so an import inside a function counts as much as one at the top.
"""

import ast
import re
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


def within(name: str, *layers: str) -> bool:
    """Whether module `name` is one of `layers` or inside one (bot.review_service is not in bot.review)."""
    return any(name == layer or name.startswith(f"{layer}.") for layer in layers)


def imports_from(path: Path, *layers: str) -> list[str]:
    package = ".".join(path.relative_to(ROOT).parts[:-1])
    return sorted(name for name in imported_modules(path.read_text(), package) if within(name, *layers))


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


# The layers of README "How it is built", top first: a module imports only from its own layer or
# the layers below it. The failure notice lives with mail but posts a card in Teams, so it sits
# with the other background work that does.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("app", "manifest"),
    ("dialogs",),
    ("bot.reminders", "bot.mail.failure_notice"),
    ("bot.teams", "bot.web"),
    ("views",),
    ("bot.review_service",),
    ("bot.storage", "bot.mail", "bot.documents", "bot.config", "bot.temporary_files", "bot.listening",
     "bot.operations", "bot.directory", "bot.graph_people", "bot.graph_client"),
    ("bot.review",),
    ("cards",),
)


def layer_of(module: str) -> int | None:
    """The rank of the layer `module` is in (0 is the top); the most specific name wins."""
    named = [(len(name), rank) for rank, names in enumerate(LAYERS) for name in names if within(module, name)]
    return max(named)[1] if named else None


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


APP_SOURCES = [ROOT / "app.py", *(path for folder in ("bot", "dialogs", "views", "cards", "manifest")
                                  for path in sources(folder))]


# bot/__init__.py only holds the packages of several layers.
@pytest.mark.parametrize("path", [path for path in APP_SOURCES if _module(path) != "bot"], ids=_id)
def test_imports_point_down_the_layers(path: Path) -> None:
    rank = layer_of(_module(path))
    assert rank is not None, "every module of the app belongs to a layer"
    upward = [name for name in imports_from(path, "app", "manifest", "bot", "dialogs", "views", "cards")
              if (layer_of(name) or 0) < rank]
    assert upward == []


@pytest.mark.parametrize("path", sources("bot"), ids=_id)
def test_nothing_under_bot_imports_dialogs(path: Path) -> None:
    """Conversation code sits above bot/: the activity handler is handed the root dialog by app.py."""
    assert imports_from(path, "dialogs", "app") == []


@pytest.mark.parametrize("path", sources("views"), ids=_id)
def test_views_read_only_the_domain_and_what_the_service_hands_out(path: Path) -> None:
    """Card views are computed from domain objects and outbox items, so dialogs, reminders and the
    Teams shell can all use them: they import no dialog, no service, nothing that acts."""
    outside = imports_from(path, "bot", "dialogs", "app", "views")
    assert [name for name in outside if not within(name, "bot.review", "bot.mail.queue", "views")] == []


@pytest.mark.parametrize("path", sources("dialogs"), ids=_id)
def test_conversations_reach_the_reviews_only_through_the_service(path: Path) -> None:
    """No store, no outbox, no document files: the ReviewService checks who may act. The outbox
    item states a reply words are data, as in views/."""
    reached = imports_from(path, "bot.storage", "bot.mail", "bot.documents", "app")
    assert [name for name in reached if name != "bot.mail.queue"] == []


@pytest.mark.parametrize("path", sources("bot/review"), ids=_id)
def test_the_domain_imports_no_other_part_of_the_app(path: Path) -> None:
    """Not Graph, not storage, not Teams: those are bot/'s other packages (see also test_domain_is_pure)."""
    outside = imports_from(path, "bot", "dialogs", "views", "cards", "app")
    assert [name for name in outside if not within(name, "bot.review")] == []


@pytest.mark.parametrize("path", sources("cards"), ids=_id)
def test_card_templates_import_nothing_of_the_app(path: Path) -> None:
    assert imports_from(path, "bot", "dialogs", "views", "app") == []


def test_the_readme_lists_every_file_that_imports_the_bot_framework_sdk() -> None:
    """The list a port to the Microsoft 365 Agents SDK starts from (README, "Dependencies")."""
    readme = (ROOT / "README.md").read_text()
    start = readme.index("botbuilder-python is archived upstream")
    listed = set(re.findall(r"`([\w/]+\.py)`", readme[start:readme.index("###", start)]))
    importing = {_id(path) for path in APP_SOURCES if imports_from(path, "botbuilder", "botframework")}
    assert listed == importing


def test_the_checks_see_relative_and_nested_imports() -> None:
    source = "import cards\nfrom .model import Review\nfrom ..mail import MailQueue\n" \
             "def f():\n    from dialogs.views import x\n"
    assert imported_modules(source, "bot.review") == {"cards", "bot.review.model", "bot.mail", "dialogs.views"}
    assert within("bot.review.model", "bot.review") and not within("bot.review_service", "bot.review")
