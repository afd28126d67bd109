"""The local adapter: each email becomes a standard `.eml` file under `DATA_DIR/outbox/`.

This is what runs when Graph is not configured, so a developer (or a pilot without a mailbox)
can open the files in any mail client. The file's name is derived from the idempotency key, and
its existence is the "already sent" marker: a retry after a crash finds it and stops.
"""

import asyncio
import errno
import hashlib
import os
import re
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from bot.mail.message import OutgoingEmail
from bot.mail.sender import PermanentMailError, TransientMailError

NOTIFICATION_KEY_HEADER = "X-SCR-Notification-Key"

# The emails are OFFICIAL-SENSITIVE: only the service account may read them.
_DIRECTORY_MODE = 0o700
_FILE_MODE = 0o600


class EmlOutboxSender:
    def __init__(self, outbox_dir: Path, sender: str) -> None:
        self.outbox_dir = outbox_dir
        self._sender = sender

    def path_for(self, key: str) -> Path:
        # Keys may hold characters some file systems refuse (":"), so the name is a readable,
        # sanitised key plus a hash of the exact key, which keeps two similar keys apart.
        readable = re.sub(r"[^A-Za-z0-9._-]", "_", key)[:80]
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        return self.outbox_dir / f"{readable}-{digest}.eml"

    async def send(self, email: OutgoingEmail) -> None:
        path = self.path_for(email.key)
        if path.exists():
            return
        try:
            self.outbox_dir.mkdir(mode=_DIRECTORY_MODE, parents=True, exist_ok=True)
            # fsync can take a while on a busy disk; keep the bot's event loop answering.
            await asyncio.to_thread(_write_once, path, self._render(email))
        except FileExistsError:
            return  # Another worker delivered it a moment ago: still exactly one file.
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):  # Space may come back.
                raise TransientMailError(f"The outbox folder is full ({error.strerror})") from None
            raise PermanentMailError(f"Cannot write to the outbox folder ({error.strerror})") from None

    async def close(self) -> None:
        """Nothing is held open."""

    def _render(self, email: OutgoingEmail) -> bytes:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = ", ".join(email.to)
        message["Subject"] = email.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        # Derived from the key so a re-render of the same notification carries the same id.
        digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
        message["Message-ID"] = f"<scr.{digest}@{self._sender.rpartition('@')[2]}>"
        message[NOTIFICATION_KEY_HEADER] = email.key
        message.set_content(email.text)
        message.add_alternative(email.html, subtype="html")
        return bytes(message)


def _write_once(path: Path, content: bytes) -> None:
    """Write `content` to `path` atomically, refusing (FileExistsError) if `path` already exists.

    The content goes to a temporary file that is fsynced and then hard-linked into place: unlike
    a rename, a link never replaces an existing file, so two racing writers leave one file.
    """
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), _FILE_MODE)
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, path)
    finally:
        os.unlink(temporary)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
