"""How an obligation's status reads and looks on every card (review card, reminders, digests)."""

from bot.review import DueKind, DueStatus, ObligationState, ObligationStatus, Rag, ReviewSettings
from bot.review.next_steps import TIMESCALE_NOT_SET

# Adaptive Card container styles (a tinted background; text on them keeps its contrast in Teams'
# light and dark themes, which red, amber or green text would not): red is "attention", amber
# "warning", green "good". The colour never speaks alone: its word goes with it.
RAG_COLOURS = {Rag.RED: "Attention", Rag.AMBER: "Warning", Rag.GREEN: "Good"}
RAG_LABELS = {Rag.RED: "Overdue", Rag.AMBER: "Due soon", Rag.GREEN: "On track"}
# A duty's state as the cards word it ("lapsed" is the code's word).
STATE_WORDS = {ObligationState.OPEN: "still to do", ObligationState.DONE: "done",
               ObligationState.LAPSED: "no longer required"}
STATUS_LABELS = {
    DueStatus.OVERDUE: "Overdue",
    DueStatus.DUE_TODAY: "Due today",
    DueStatus.DUE_SOON: "Due soon",
    DueStatus.UPCOMING: "Upcoming",
    DueStatus.OPEN: "Ongoing",
}


# "Due today" says more than "Due soon" and is as plain.
_SAYS_STATUS = {Rag.RED: ("Overdue",), Rag.AMBER: ("Due soon", "Due today"), Rag.GREEN: ("On track", "No date")}


def with_status_word(rag: Rag, text: str) -> str:
    """`text` led by words saying the status ("Overdue", "Due soon", "On track"), once."""
    return text if text.startswith(_SAYS_STATUS[rag]) else f"{RAG_LABELS[rag]} \u00b7 {text}"


def undated(item: ObligationStatus) -> str:
    """An obligation with no date yet, worded as "what to do next" words it: "Ongoing", or what it
    must come before ("Due before the first panel meeting"), so it reads the same on every card.
    Only rules with a period read the settings, and those always have a date."""
    rule = item.obligation.due
    if rule.is_unset(ReviewSettings()):
        return TIMESCALE_NOT_SET
    return "Ongoing" if rule.kind is DueKind.ONGOING else f"Due {rule.describe(ReviewSettings())}"
