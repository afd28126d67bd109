"""Who the bot writes to: per-business-area SCS leads and the team mailboxes (1.1, 1.6, 1.7, 7.4.2).

Loaded from a plain dict parsed from one JSON file (see ``config/address_book.example.json``).
Emails are stored lower-cased so the same person is recognised however the address was typed
(1.1: the SCS Children's Lead is notified only "if different" from the SCS lead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .kinds import BusinessArea

_EMAIL = re.compile(r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
MAILBOXES = ("psu", "occ", "lessons_learned")
AREA_ROLES = ("scs_lead", "scs_childrens_lead")


class AddressBookError(ValueError):
    """The config file is incomplete or has an address that is not an email."""


def normalise_email(value: object, where: str, allowed_domains: tuple[str, ...] = ()) -> str:
    """Lower-case and check an email; ``where`` names the field in the error message.

    ``allowed_domains`` (when not empty) guards against typos sending OFFICIAL-SENSITIVE mail
    outside government: the domain must equal one of them or be a sub-domain of one.
    """
    if not isinstance(value, str) or not _EMAIL.match(value.strip().lower()):
        raise AddressBookError(f"{where}: {value!r} is not an email address")
    email = value.strip().lower()
    domain = email.rsplit("@", 1)[1]
    if allowed_domains and not any(domain == d or domain.endswith("." + d) for d in allowed_domains):
        raise AddressBookError(f"{where}: {email} is not in an allowed domain ({', '.join(allowed_domains)})")
    return email


@dataclass(frozen=True)
class AreaContacts:
    scs_lead: str
    scs_childrens_lead: str


@dataclass(frozen=True)
class AddressBook:
    areas: dict[BusinessArea, AreaContacts]
    psu: str
    occ: str
    lessons_learned: str
    # Flow chart 9.1 pairs the SCS lead and Children's Lead with the "final IMR complete" step,
    # though 1.6 / 7.3.5 name only Lessons Learned. Default on: they answer for the review (7.3.3)
    # and must be kept aware of key developments (1.4).
    copy_imr_to_scs_leads: bool = True
    allowed_domains: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AddressBook:
        if not isinstance(data, dict):
            raise AddressBookError("the address book must be a JSON object")
        domains = data.get("allowed_domains", [])
        if not isinstance(domains, list) or not all(isinstance(d, str) and d for d in domains):
            raise AddressBookError("allowed_domains must be a list of domain names")
        allowed = tuple(d.lower().lstrip("@") for d in domains)

        areas_data = _required(data, "business_areas", dict, "")
        areas = {}
        for area in BusinessArea:
            entry = _required(areas_data, area.value, dict, "business_areas.")
            where = f"business_areas.{area.value}"
            areas[area] = AreaContacts(
                *(
                    normalise_email(_required(entry, role, str, where + "."), f"{where}.{role}", allowed)
                    for role in AREA_ROLES
                )
            )
        unknown_areas = sorted(set(areas_data) - {a.value for a in BusinessArea})
        if unknown_areas:
            raise AddressBookError(f"business_areas: unknown area(s) {', '.join(unknown_areas)}")

        mailboxes_data = _required(data, "mailboxes", dict, "")
        mailboxes = [
            normalise_email(_required(mailboxes_data, key, str, "mailboxes."), f"mailboxes.{key}", allowed)
            for key in MAILBOXES
        ]
        copy_imr = data.get("copy_imr_to_scs_leads", True)
        if not isinstance(copy_imr, bool):
            raise AddressBookError("copy_imr_to_scs_leads must be true or false")
        return cls(areas, *mailboxes, copy_imr_to_scs_leads=copy_imr, allowed_domains=allowed)

    def normalise(self, value: object, where: str) -> str:
        """Check an email entered for one review (e.g. a referenced business area's address)."""
        return normalise_email(value, where, self.allowed_domains)


def _required(data: dict[str, Any], key: str, kind: type, prefix: str) -> Any:
    if key not in data:
        raise AddressBookError(f"missing required key {prefix}{key}")
    if not isinstance(data[key], kind):
        raise AddressBookError(f"{prefix}{key} must be a JSON {'object' if kind is dict else 'string'}")
    return data[key]
