"""The words a user can type, and the card buttons that stand for them.

One registry feeds both the router and the help card, so help never lists a command that does
not exist.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Command:
    verb: str
    name: str
    description: str
    aliases: tuple[str, ...] = ()
    button: str | None = None
    # Card buttons only (they carry a review id or a key): not listed in help or the manifest.
    hidden: bool = False


HELP = Command("help", "help", "Show this card.", aliases=("?", "hi", "hello", "menu", "start"))
CANCEL = Command("cancel", "cancel", "Stop what we are doing. Nothing unconfirmed is saved.",
                 aliases=("stop", "quit", "exit"))

OPEN_REVIEW = Command(
    "open_review", "open review",
    "Start recording a review the Home Office is involved in: eligibility, your independence, "
    "and the emails the guidance requires (para 1.1).",
    aliases=("new review", "open a review", "start review"), button="Open a review",
)

MY_REVIEWS = Command("my_reviews", "my reviews", "List the reviews you are on, with what is overdue or due soon.",
                     aliases=("reviews", "list reviews", "list"))
SHOW_REVIEW = Command(
    "show_review", "show",
    "Show a review and record what has happened on it, e.g. show LSCB-2026-014.",
    aliases=("show review", "record", "update"),
)
NEXT_STEPS = Command(
    "next_steps", "next",
    "What to do next on a review, with the paragraphs behind it, e.g. next LSCB-2026-014.",
    aliases=("what next", "what do i do next", "what should i do next", "what now", "next steps"),
)
OUTSTANDING = Command("outstanding", "outstanding", "Everything you owe across your reviews, most urgent first.",
                      aliases=("what do i owe",))
AGENDA = Command(
    "agenda", "agenda",
    "Active reviews by stage with overdue items, the standing item for SCS Children's Leads and Safeguarding "
    "Co-ordinators meetings (para 7.3.1, 7.3.2). 'agenda email' also emails it to the Children's Leads.",
)
RECORD_EVENT = Command("record_event", "", "", hidden=True)
SNOOZE = Command("snooze", "", "", hidden=True)
OBLIGATION_DONE = Command("obligation_done", "", "", hidden=True)
RETRY_EMAIL = Command("retry_email", "", "", hidden=True)
EXPORT_REVIEW = Command("export_review", "", "", hidden=True)

COMMANDS: tuple[Command, ...] = (
    OPEN_REVIEW, MY_REVIEWS, SHOW_REVIEW, NEXT_STEPS, OUTSTANDING, AGENDA, HELP, CANCEL,
    RECORD_EVENT, OBLIGATION_DONE, RETRY_EMAIL, EXPORT_REVIEW, SNOOZE,
)
TYPED = tuple(command for command in COMMANDS if not command.hidden)


def find_command(text: str | None, value: Any = None) -> tuple[Command | None, str]:
    """The command a message asks for, and whatever the user typed after it.

    A card submit names its command in `verb`; typed text is matched on whole leading words,
    longest command first, so "my reviews" is never read as a shorter command.
    """
    if isinstance(value, dict) and isinstance(value.get("verb"), str):
        verb = value["verb"]
        return next((c for c in COMMANDS if c.verb == verb), None), ""
    typed = " ".join((text or "").split()).rstrip("?!. ")
    words = typed.lower()
    candidates = sorted(
        ((phrase, command) for command in TYPED for phrase in (command.name, *command.aliases)),
        key=lambda pair: -len(pair[0]),
    )
    for phrase, command in candidates:
        if words == phrase or words.startswith(phrase + " "):
            return command, typed[len(phrase):].strip()
    return None, typed


def help_card_data() -> dict[str, Any]:
    return {
        "commands": [{"name": c.name, "description": c.description} for c in TYPED],
        "buttons": [{"title": c.button, "verb": c.verb} for c in TYPED if c.button],
    }
