"""Reminders in Teams: what is due soon, due today or overdue, posted to whoever owes it.

`policy` decides (pure), `ledger` makes each reminder go once across restarts and instances,
`scheduler` runs the loop, `emails` builds the escalation and agenda emails, and `reminder_replies`
answers the reminder commands and card buttons for the root dialog. See README, "Reminders".
"""

from .emails import agenda_emails, escalation_email
from .ledger import ReminderLedger
from .policy import Reminder, digest_week, in_working_hours, recipients_of, reminders_due
from .reminder_replies import ReminderCommands
from .scheduler import ReminderScheduler, TickReport
from .settings import ReminderSettings
from .snoozes import SnoozeBook

__all__ = [
    "Reminder",
    "ReminderCommands",
    "ReminderLedger",
    "ReminderScheduler",
    "ReminderSettings",
    "SnoozeBook",
    "TickReport",
    "agenda_emails",
    "digest_week",
    "escalation_email",
    "in_working_hours",
    "recipients_of",
    "reminders_due",
]
