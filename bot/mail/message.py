"""One email the bot wants delivered, identified by an idempotency key.

The key (for example ``"<review-id>:O1:<seq>"``) is what makes delivery exactly-once: the queue
keeps one row per key and every adapter marks what it delivered with it, so a retry can tell
"already sent" from "never sent".

An email may carry documents (`attachments`, references into the `DocumentStore`, never the
bytes) and `links`. What it carries is listed to recipients by this module, under
`ATTACHED_MARKER` and `LINKS_HEADING`, from the attachments and links themselves: callers'
bodies may not say `ATTACHED_MARKER`, so no email can say it carries a document it does not.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.documents import DocumentRef
from bot.review.frameworks import catalogue

# Keys travel in a mail header and a Graph $filter, so they are kept to a safe, printable set;
# a CR/LF here would let a caller inject headers.
_KEY_PATTERN = re.compile(r"[A-Za-z0-9._:@/+=-]{1,200}")



def names_a_review(subject: str) -> bool:
    """Paragraph 1.8 (the organisation policy's subject rule): every email about a review says so in
    its subject line, by the name of the review's framework ("Serious Case Review", "Child
    Safeguarding Practice Review", …)."""
    return any(pack.name in subject for pack in catalogue().packs.values())

# The display name recipients see beside the sender mailbox's address.
SENDER_NAME = "SCR Assistant"

# Written only by `text_body`/`html_body`, above the list of what the email really carries.
ATTACHED_MARKER = "Attached to this email"
LINKS_HEADING = "Documents to open"

_MAX_URL = 2000


@dataclass(frozen=True)
class Link:
    """A document the email points to rather than carries (SharePoint, OneDrive)."""

    title: str
    url: str

    def __post_init__(self) -> None:
        if not self.title.strip() or len(self.title) > 200 or not self.title.isprintable():
            raise ValueError("A link's title must be one line of 1-200 characters")
        parts = urlsplit(self.url)
        if (
            parts.scheme != "https"
            or not parts.hostname
            or len(self.url) > _MAX_URL
            or any(character.isspace() or not character.isprintable() for character in self.url)
        ):
            raise ValueError("A link must be an https URL with no spaces")


@dataclass(frozen=True)
class OutgoingEmail:
    key: str
    to: tuple[str, ...]
    subject: str
    # The caller's words; recipients get `text_body` and `html_body`, which add what is carried.
    text: str
    html: str  # an HTML fragment: the list of what is carried is appended to it
    # Where replies go (the representative's work email); the From address is the sender mailbox.
    reply_to: tuple[str, ...] = ()
    attachments: tuple[DocumentRef, ...] = ()
    links: tuple[Link, ...] = ()

    def __post_init__(self) -> None:
        if not _KEY_PATTERN.fullmatch(self.key):
            raise ValueError("An email key must be 1-200 characters of letters, digits and ._:@/+=-")
        if not self.to or not all(map(_is_address, self.to)):
            raise ValueError(f"Email {self.key} needs at least one recipient address")
        if not all(map(_is_address, self.reply_to)):
            raise ValueError(f"Email {self.key}: every Reply-To must be an address")
        if not names_a_review(self.subject):
            raise ValueError(f"Email {self.key}: the subject must name the review's framework, e.g. "
                             "'Serious Case Review' (1.8)")
        if _has_line_break(self.subject):
            raise ValueError(f"Email {self.key}: the subject must be one line")
        if any(ATTACHED_MARKER.lower() in body.lower() for body in (self.text, self.html)):
            raise ValueError(
                f"Email {self.key}: the body may not say {ATTACHED_MARKER!r}; the list of what is "
                "attached is written from the attachments the email carries"
            )
        names = [document.name for document in self.attachments]
        # Adapters recognise an attachment already added by its name (see graph_sender).
        if len(set(names)) != len(names):
            raise ValueError(f"Email {self.key}: two attachments have the same name")

    @property
    def text_body(self) -> str:
        sections = [self.text]
        if self.attachments:
            lines = [f"- {document.name} ({document.size_label})" for document in self.attachments]
            sections.append("\n".join([f"{ATTACHED_MARKER}:", *lines]))
        if self.links:
            lines = [f"- {link.title}: <{link.url}>" for link in self.links]
            sections.append("\n".join([f"{LINKS_HEADING}:", *lines]))
        return "\n\n".join(sections)

    @property
    def html_body(self) -> str:
        e = html.escape
        body = self.html
        if self.attachments:
            items = "".join(f"<li>{e(document.name)} ({document.size_label})</li>" for document in self.attachments)
            body += f"<p><strong>{ATTACHED_MARKER}:</strong></p><ul>{items}</ul>"
        if self.links:
            items = "".join(f'<li><a href="{e(link.url)}">{e(link.title)}</a></li>' for link in self.links)
            body += f"<p><strong>{LINKS_HEADING}:</strong></p><ul>{items}</ul>"
        return body


def _is_address(value: str) -> bool:
    return "@" in value and not _has_line_break(value)


def _has_line_break(value: str) -> bool:
    return "\r" in value or "\n" in value
