"""The copies the guidance asks the representative to send (1.6, 1.7, 7.3.5, 7.3.6): a stored file
or a link to where the document is kept. The review holds only this description – never the
document's contents, which live in the documents area outside the review store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from .references import person_word

_SHA256 = re.compile(r"[0-9a-f]{64}")
# A file name as it reaches an email: no path, no line break, a sensible length.
_FILE_NAME = re.compile(r"[^\\/\r\n\x00]{1,200}")


@dataclass(frozen=True)
class DocumentCopy:
    """Either a file (``sha256``, ``size``, ``content_type``) or a link (``url``), with the name a
    recipient sees: the file's name, or the link's title."""

    name: str
    sha256: str | None = None
    size: int | None = None
    content_type: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _FILE_NAME.fullmatch(self.name):
            raise ValueError("A document needs a name of 1 to 200 characters, with no path or line break.")
        if self.is_link:
            if self.sha256 or self.size is not None or self.content_type:
                raise ValueError("A document is either a file or a link, not both.")
            parts = urlsplit(self.url or "")
            if parts.scheme != "https" or not parts.hostname or any(c in (self.url or "") for c in "\r\n "):
                raise ValueError("A link to a document must be a single https:// address.")
            return
        if not (isinstance(self.sha256, str) and _SHA256.fullmatch(self.sha256)):
            raise ValueError("A stored document is identified by its SHA-256 content hash.")
        if not isinstance(self.size, int) or isinstance(self.size, bool) or self.size <= 0:
            raise ValueError("A stored document has a size in bytes, and is not empty.")
        if not isinstance(self.content_type, str) or "/" not in self.content_type:
            raise ValueError("A stored document has a content type.")

    @property
    def is_link(self) -> bool:
        return self.url is not None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "") if self.url else ""

    def describe(self) -> str:
        """How the copy reads on a card or in an email: "IMR.pdf (1.2 MB)" or "IMR (link)"."""
        return f"{self.name} (link)" if self.is_link else f"{self.name} ({readable_size(self.size or 0)})"


def readable_size(size: int) -> str:
    """"340 KB", "1.2 MB": one way of showing sizes, on cards and in emails."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# A link goes into the email as it is typed (7.3.5, 7.3.6), so its folders and file name reach the
# recipients. A sharing link ("Share" → "Copy link": /:b:/s/scr/EaBc…) names neither, and the form
# says so; a path naming a person or family, in the words a reference may not use either, is refused
# (8.1). No rule can tell every name from every file name, so plain paths are accepted.
_PERSON_IN_PATH = ("The link's folders or file name describe a person or family (\u201c{word}\u201d), and the "
                   "link goes into an email (para 8.1). In SharePoint or OneDrive use Share, then Copy link, and "
                   "paste that link, or send the file in this chat.")


def link_copy(url: str, name: str, allowed_hosts: tuple[str, ...]) -> DocumentCopy:
    """A link to a copy, accepted only on an allowed host (a setting) or one of its sub-domains, and
    never through folders or a file name that describe a person or family (8.1)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("Paste the document's full https:// address, copied from SharePoint or OneDrive.")
    host = parts.hostname.lower()
    if not any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts):
        raise ValueError(f"Links to {host} are not accepted. Use the document's address in "
                         f"{' or '.join(allowed_hosts)}, or send the file in this chat.")
    person = person_word(unquote(parts.path))
    if person:
        raise ValueError(_PERSON_IN_PATH.format(word=person))
    return DocumentCopy(name, url=url)


# The extensions a copy may have (bot.documents.kinds judges the content as well).
_EXTENSIONS = (".pdf", ".docx", ".doc", ".odt")


def named_for(document: DocumentCopy, reference: str, what: str) -> DocumentCopy:
    """The copy under a name that identifies the review only by its reference: "LSCB-2026-014 IMR.pdf".
    A file's own name can carry a child's name (8.1), and it reaches emails, attachments and cards."""
    suffix = next((ext for ext in _EXTENSIONS if document.name.lower().endswith(ext)), "")
    return replace(document, name=f"{reference.replace('/', '-')} {what}{suffix}")

