"""One email the bot wants delivered, identified by an idempotency key.

The key (for example ``"<review-id>:O1:<seq>"``) is what makes delivery exactly-once: the queue
keeps one row per key and every adapter marks what it delivered with it, so a retry can tell
"already sent" from "never sent".
"""

import re
from dataclasses import dataclass

# Keys travel in a mail header and a Graph $filter, so they are kept to a safe, printable set;
# a CR/LF here would let a caller inject headers.
_KEY_PATTERN = re.compile(r"[A-Za-z0-9._:@/+=-]{1,200}")

# Paragraph 1.8: every email about a review says so in its subject line.
REQUIRED_SUBJECT_MARKER = "Serious Case Review"


@dataclass(frozen=True)
class OutgoingEmail:
    key: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str

    def __post_init__(self) -> None:
        if not _KEY_PATTERN.fullmatch(self.key):
            raise ValueError("An email key must be 1-200 characters of letters, digits and ._:@/+=-")
        if not self.to or any("@" not in address or _has_line_break(address) for address in self.to):
            raise ValueError(f"Email {self.key} needs at least one recipient address")
        if REQUIRED_SUBJECT_MARKER not in self.subject:
            raise ValueError(f"Email {self.key}: the subject must contain {REQUIRED_SUBJECT_MARKER!r} (1.8)")
        if _has_line_break(self.subject):
            raise ValueError(f"Email {self.key}: the subject must be one line")


def _has_line_break(value: str) -> bool:
    return "\r" in value or "\n" in value
