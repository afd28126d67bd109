"""Email: notifications are queued durably and delivered exactly once (see README, "Email").

The Graph adapter is not imported here: `build_mail_sender` loads it only when Graph is
configured, so the bot without Graph never pays for importing msgraph-sdk.
"""

from bot.mail.eml_outbox import EmlOutboxSender
from bot.mail.factory import build_mail_sender
from bot.mail.message import ATTACHED_MARKER, SENDER_NAME, Link, OutgoingEmail
from bot.mail.queue import MailQueue, OutboxItem
from bot.mail.sender import MailError, MailSender, PermanentMailError, TransientMailError
from bot.mail.settings import MailSettings
from bot.mail.worker import MailWorker, RetryPolicy

__all__ = [
    "ATTACHED_MARKER",
    "SENDER_NAME",
    "EmlOutboxSender",
    "Link",
    "MailError",
    "MailQueue",
    "MailSender",
    "MailSettings",
    "MailWorker",
    "OutboxItem",
    "OutgoingEmail",
    "PermanentMailError",
    "RetryPolicy",
    "TransientMailError",
    "build_mail_sender",
]
