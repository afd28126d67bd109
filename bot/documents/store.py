"""Documents that emails carry (the completed IMR, the published report), kept out of the data file.

Each document is one file under `<DATA_DIR>/documents/`, named by the SHA-256 of its content:
the same file stored twice is one file, and a name can never be steered by what a user called
the document. Only the bot's user may read them (directory 0700, files 0600), because they are
OFFICIAL-SENSITIVE reports about children. What the outbox keeps is a `DocumentRef` (the hash,
the name recipients see, the content type and the size), never the bytes.

Nothing here logs a document's content or its name: a file name can itself identify a child.
"""

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.documents.atomic_file import fsync_directory, write_once
from bot.review.documents import readable_size
from bot.temporary_files import remove_leftovers

_DIRECTORY_MODE = 0o700
MEGABYTE = 1024 * 1024

_HASH = re.compile(r"[0-9a-f]{64}")
# type/subtype as RFC 2045 tokens, nothing after: a parameter could smuggle header text.
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}")
_MAX_NAME = 255


class DocumentError(Exception):
    """Messages are for people and name no document (its name may identify a child)."""


class DocumentTooLarge(DocumentError):
    def __init__(self, limit_bytes: int) -> None:
        super().__init__(f"A document may be at most {limit_bytes // MEGABYTE} MB")
        self.limit_bytes = limit_bytes


class DocumentUnavailable(DocumentError):
    """The stored file is gone, or no longer holds the bytes its hash names."""


@dataclass(frozen=True)
class DocumentRef:
    sha256: str
    name: str  # the file name recipients see
    content_type: str
    size: int

    def __post_init__(self) -> None:
        if not _HASH.fullmatch(self.sha256):
            raise ValueError("A document is named by the 64 hex digits of its SHA-256")
        if not self.name or len(self.name) > _MAX_NAME or self.name in (".", ".."):
            raise ValueError(f"A document's name must be 1-{_MAX_NAME} characters")
        if any(character in "/\\" or not character.isprintable() for character in self.name):
            raise ValueError("A document's name cannot hold a path separator or a control character")
        if not _CONTENT_TYPE.fullmatch(self.content_type):
            raise ValueError("A document's content type must be type/subtype, such as application/pdf")
        if self.size <= 0:
            raise ValueError("A document cannot be empty")

    @property
    def size_label(self) -> str:
        """The size as people read it: "340 KB", "1.2 MB" (as the cards show it)."""
        return readable_size(self.size)


class DocumentStore:
    """Safe to use from several processes on one directory: files are only ever created whole
    (under their final name, by `write_once`) or deleted."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        remove_leftovers(root)

    def put(self, content: bytes, name: str, content_type: str) -> DocumentRef:
        """Store `content`; DocumentTooLarge over the limit, ValueError for an empty document or a
        bad name or type. Storing the same content again keeps the one file."""
        if len(content) > self.max_bytes:
            raise DocumentTooLarge(self.max_bytes)
        ref = DocumentRef(hashlib.sha256(content).hexdigest(), name, content_type, len(content))
        self.root.mkdir(parents=True, exist_ok=True)
        # mkdir's mode is cut by the umask and ignored for a directory that already exists.
        os.chmod(self.root, _DIRECTORY_MODE)
        # An existing file already holds these very bytes: its name is their hash.
        with contextlib.suppress(FileExistsError):
            write_once(self._path(ref), content)
        return ref

    def read(self, ref: DocumentRef) -> bytes:
        """The document's bytes, checked against its hash so a damaged file is never sent."""
        try:
            content = self._path(ref).read_bytes()
        except FileNotFoundError:
            raise DocumentUnavailable("The document is no longer stored (it may have been deleted)") from None
        if len(content) != ref.size or hashlib.sha256(content).hexdigest() != ref.sha256:
            raise DocumentUnavailable("The stored document is damaged: its content no longer matches")
        return content

    def delete(self, ref: DocumentRef) -> None:
        """Remove the document; deleting one already gone is not an error. Every `DocumentRef`
        with the same content shares the file, so delete only when none of them still needs it."""
        try:
            self._path(ref).unlink()
        except FileNotFoundError:
            return
        fsync_directory(self.root)

    def stored_before(self, moment: datetime) -> list[str]:
        """Content hashes of the documents stored before `moment`, for sweeping the ones no email
        will ever carry (a form cancelled after its file was sent)."""
        if not self.root.is_dir():
            return []
        cutoff = moment.timestamp()
        return [path.name for path in self.root.iterdir()
                if _HASH.fullmatch(path.name) and path.stat().st_mtime < cutoff]

    def delete_content(self, sha256: str) -> None:
        """Remove the document with this content hash, whatever it was called."""
        if _HASH.fullmatch(sha256):
            with contextlib.suppress(FileNotFoundError):
                (self.root / sha256).unlink()
                fsync_directory(self.root)

    def _path(self, ref: DocumentRef) -> Path:
        return self.root / ref.sha256
