"""Configurable defaults for points the guidance leaves open.

RULES.md asks for these to be configurable rather than guessed; the defaults are documented here
and in the README. Due dates are computed when an obligation is triggered, so changing a setting
affects obligations triggered afterwards, never the deadlines already shown to users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from .frameworks import checked_timescales

_MARKING = re.compile(r"^[A-Z][A-Z -]{2,39}$")
_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True)
class ReviewSettings:
    # Government Security Classification put in front of every subject line.
    marking: str = "OFFICIAL-SENSITIVE"
    # "Promptly" (O2 secure case records, 1.3/5.2; O5 record consultation on CID, 1.5).
    promptly_working_days: int = 2
    # "As quickly as possible" (O11 act on a lesson, 3.3.8).
    lesson_working_days: int = 10
    # O13: the board decides within a month of the case reaching its Chair (Working Together).
    decision_months: int = 1
    # O12: reviews are normally completed within six months of the decision to proceed (3.3.7).
    completion_months: int = 6
    # Window in which an obligation counts as "due soon" (amber) in outstanding().
    due_soon_working_days: int = 3
    # Where a link to a copy may point (1.6, 1.7): these hosts and their sub-domains, so a copy is
    # never a link to a personal file share or a typo'd address.
    document_link_hosts: tuple[str, ...] = ("sharepoint.com",)
    # Documents sent from Teams are deleted once every email carrying them has gone; false keeps
    # them in the documents area (for an organisation whose records policy asks for that).
    delete_documents_when_sent: bool = True
    # Years a review is kept after it ended (closed, or not held), then removed with its emails and
    # documents. The Home Office's records retention schedule decides; 6 is the default.
    retention_years: int = 6
    # Timescales a framework pack leaves unset because its sources do not fix them ("not set"), as
    # this organisation sets them: {"wales-susr": {"completion": 12}}. None has a default.
    framework_timescales: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _MARKING.match(self.marking):
            raise ValueError(f"marking {self.marking!r} should look like 'OFFICIAL-SENSITIVE'")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "int" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{f.name} must be a whole number of 0 or more, not {value!r}")
            if f.type == "bool" and not isinstance(value, bool):
                raise ValueError(f"{f.name} must be true or false, not {value!r}")
        if self.decision_months < 1 or self.completion_months < 1:
            raise ValueError("decision_months and completion_months must be at least 1")
        hosts = self.document_link_hosts
        if isinstance(hosts, str) or not all(isinstance(h, str) and _HOST.match(h) for h in hosts):
            raise ValueError("document_link_hosts must be a list of host names, e.g. [\"sharepoint.com\"]")
        object.__setattr__(self, "document_link_hosts", tuple(h.lower() for h in hosts))
        object.__setattr__(self, "framework_timescales", checked_timescales(self.framework_timescales))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewSettings:
        """From the optional ``review_settings`` object of the config file; missing keys keep defaults."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown review setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**data)
