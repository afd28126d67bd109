"""The mail port: what the queue needs from anything that can deliver an email.

Adapters must be idempotent by `OutgoingEmail.key`: sending a key that was already delivered
returns without delivering it again. That is what lets the queue retry after a crash or a
timeout whose outcome it cannot know.
"""

from typing import Protocol

from bot.mail.message import OutgoingEmail


class MailSender(Protocol):
    async def send(self, email: OutgoingEmail) -> None:
        """Deliver `email` once; raise `TransientMailError` or `PermanentMailError` if not."""

    async def close(self) -> None:
        """Release connections and credentials; call once at shutdown."""


class MailError(Exception):
    """`reason` is for people (the review card, logs): it never holds bodies or addresses."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientMailError(MailError):
    """Worth trying again later; `retry_after` (seconds) is the earliest sensible retry."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentMailError(MailError):
    """Retrying will not help until someone fixes an address, a permission or the config."""
