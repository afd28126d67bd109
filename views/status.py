"""How an obligation's status reads and looks on every card (review card, reminders, digests)."""

from bot.review import DueKind, DueStatus, ObligationStatus, Rag, ReviewSettings

# Adaptive Card text colours: red is "attention", amber "warning", green "good".
RAG_COLOURS = {Rag.RED: "Attention", Rag.AMBER: "Warning", Rag.GREEN: "Good"}
RAG_LABELS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}
STATUS_LABELS = {
    DueStatus.OVERDUE: "Overdue",
    DueStatus.DUE_TODAY: "Due today",
    DueStatus.DUE_SOON: "Due soon",
    DueStatus.UPCOMING: "Upcoming",
    DueStatus.OPEN: "Ongoing",
}


def undated(item: ObligationStatus) -> str:
    """An obligation with no date yet, worded as "what to do next" words it: "Ongoing", or what it
    must come before ("Due before the first panel meeting"), so it reads the same on every card.
    Only rules with a period read the settings, and those always have a date."""
    rule = item.obligation.due
    return "Ongoing" if rule.kind is DueKind.ONGOING else f"Due {rule.describe(ReviewSettings())}"
