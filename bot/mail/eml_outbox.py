"""The local adapter: each email becomes a standard `.eml` file under `DATA_DIR/outbox/`.

This is what runs when Graph is not configured, so a developer (or a pilot without a mailbox)
can open the files in any mail client. The file's name is derived from the idempotency key, and
its existence is the "already sent" marker: a retry after a crash finds it and stops.

Each file is what a mail server would have sent: From "SCR Assistant" <sender>, Reply-To, the
plain and HTML bodies as alternatives, and each attached document as a base64 MIME part with
its file name and content type.
"""

import asyncio
import errno
import hashlib
import re
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from bot.documents import DocumentStore
from bot.documents.atomic_file import write_once
from bot.mail.attachments import read_attachment
from bot.mail.message import SENDER_NAME, OutgoingEmail
from bot.mail.sender import PermanentMailError, TransientMailError
from bot.temporary_files import remove_leftovers

NOTIFICATION_KEY_HEADER = "X-SCR-Notification-Key"

# The emails are OFFICIAL-SENSITIVE: only the service account may read them (the folder 0700,
# and write_once makes each file 0600).
_DIRECTORY_MODE = 0o700


class EmlOutboxSender:
    def __init__(self, outbox_dir: Path, sender: str, documents: DocumentStore | None = None) -> None:
        """`documents` is where attachments are read from; an email carrying one fails without it."""
        self.outbox_dir = outbox_dir
        self._sender = sender
        self._documents = documents
        remove_leftovers(outbox_dir)

    def path_for(self, key: str) -> Path:
        # Keys may hold characters some file systems refuse (":"), so the name is a readable,
        # sanitised key plus a hash of the exact key, which keeps two similar keys apart.
        readable = re.sub(r"[^A-Za-z0-9._-]", "_", key)[:80]
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        return self.outbox_dir / f"{readable}-{digest}.eml"

    async def send(self, email: OutgoingEmail) -> None:
        path = self.path_for(email.key)
        # "Sent" means this .eml file exists: not merely something under its name or the folder's.
        if path.is_file():
            return
        rendered = await self._render(email)
        try:
            self.outbox_dir.mkdir(mode=_DIRECTORY_MODE, parents=True, exist_ok=True)
            # fsync can take a while on a busy disk; keep the bot's event loop answering.
            await asyncio.to_thread(write_once, path, rendered)
        except OSError as error:
            if isinstance(error, FileExistsError) and path.is_file():
                return  # Another worker delivered it a moment ago: still exactly one file.
            if error.errno in (errno.ENOSPC, errno.EDQUOT):  # Space may come back.
                raise TransientMailError(f"The outbox folder is full ({error.strerror})") from None
            raise PermanentMailError(f"Cannot write to the outbox folder ({error.strerror})") from None

    async def close(self) -> None:
        """Nothing is held open."""

    async def _render(self, email: OutgoingEmail) -> bytes:
        message = EmailMessage()
        local, _, domain = self._sender.rpartition("@")
        message["From"] = Address(SENDER_NAME, local, domain)
        message["To"] = ", ".join(email.to)
        if email.reply_to:
            message["Reply-To"] = ", ".join(email.reply_to)
        message["Subject"] = email.subject
        message["Date"] = format_datetime(datetime.now(UTC))
        # Derived from the key so a re-render of the same notification carries the same id.
        digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
        message["Message-ID"] = f"<scr.{digest}@{self._sender.rpartition('@')[2]}>"
        message[NOTIFICATION_KEY_HEADER] = email.key
        message.set_content(email.text_body)
        message.add_alternative(email.html_body, subtype="html")
        for number, document in enumerate(email.attachments, 1):
            content = await read_attachment(self._documents, document, f"attachment {number}")
            maintype, _, subtype = document.content_type.partition("/")
            # Turns the message into multipart/mixed: the bodies first, then each document.
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=document.name)
        return bytes(message)
