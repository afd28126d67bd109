"""How an obligation's status reads and looks on every card (review card, reminders, digests)."""

from bot.review import DueStatus, Rag

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
