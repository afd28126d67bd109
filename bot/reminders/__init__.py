"""Reminders in Teams: what is due soon, due today or overdue, posted to whoever owes it.

`policy` decides (pure), `ledger` makes each reminder go once across restarts and instances,
`scheduler` runs the loop, and `emails` builds and queues the escalation and agenda emails. The
reminder commands and card buttons are conversation code: dialogs/reminder_replies.py answers them.
See README, "Reminders".
"""

from .emails import ReminderMail, agenda_emails, escalation_email
from .ledger import ReminderLedger
from .policy import Reminder, digest_week, in_working_hours, reminders_due
from .scheduler import ReminderScheduler, TickReport
from .settings import ReminderSettings
from .snoozes import SnoozeBook

__all__ = [
    "Reminder",
    "ReminderLedger",
    "ReminderMail",
    "ReminderScheduler",
    "ReminderSettings",
    "SnoozeBook",
    "TickReport",
    "agenda_emails",
    "digest_week",
    "escalation_email",
    "in_working_hours",
    "reminders_due",
]
