"""Reading a card submit defensively.

Teams sends whatever the card's inputs held, as strings, merged with the button's data — but a
tampered or replayed submit can hold anything: wrong types, missing keys, megabytes of text.
`Submitted` reads each field once, collects every problem under the field's id, and raises them
together so the card can be shown again with each problem marked and nothing changed.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from bot.review.chronology import EARLIEST, TOO_EARLY
from bot.review.working_days import TOO_FAR_AHEAD
from views.dates import long_day

# Teams caps a message at about 28 KB; anything near that in one field is not a real answer.
LONGEST_TEXT = 500
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


class FormErrors(Exception):
    """`errors` by field id; `labels` name each field as the user knows it, for the card's banner."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors
        self.labels = labels


class Submitted:
    def __init__(self, value: Any) -> None:
        self._value = value if isinstance(value, dict) else {}
        self.errors: dict[str, str] = {}
        self.labels: dict[str, str] = {}

    def raw(self, name: str) -> str:
        """The field as typed, cut to a safe length, for showing the card again."""
        value = self._value.get(name)
        return value[:LONGEST_TEXT] if isinstance(value, str) else ""

    def _string(self, name: str, label: str, required: bool, longest: int) -> str | None:
        self.labels[name] = label
        value = self._value.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.errors[name] = f"{label} is required."
            return None
        if not isinstance(value, str):
            self.errors[name] = f"{label} was not sent as text; please fill it in again."
            return None
        if len(value) > longest:
            self.errors[name] = f"{label} must be at most {longest} characters."
            return None
        return value.strip()

    def text(self, name: str, label: str, *, required: bool = True, longest: int = 100) -> str | None:
        return self._string(name, label, required, longest)

    def checked(self, name: str, label: str, check: Callable[[str], str], *, longest: int) -> str | None:
        """Required text that `check` (a domain rule) returns cleaned, or refuses with a ValueError
        whose words are shown on the field."""
        value = self._string(name, label, True, longest)
        if value is None:
            return None
        try:
            return check(value)
        except ValueError as problem:
            self.errors[name] = str(problem)
            return None

    def choice(self, name: str, label: str, options: dict[str, Any], *, required: bool = True) -> Any:
        """One of `options` (keyed by the card's choice values)."""
        value = self._string(name, label, required, LONGEST_TEXT)
        if value is None:
            return None
        if value not in options:
            self.errors[name] = f"Choose one of the options for {label.lower()}."
            return None
        return options[value]

    def choices(self, name: str, label: str, options: dict[str, Any], *, required: bool = True) -> list[Any]:
        """Some of `options` (at least one if required); a multi-select ChoiceSet sends them
        comma-separated."""
        value = self._string(name, label, required, LONGEST_TEXT)
        if value is None:
            return []
        picked = [part for part in value.split(",") if part]
        if not picked or any(part not in options for part in picked):
            wanted = "at least one option" if required else "only the options shown"
            self.errors[name] = f"Choose {wanted} for {label.lower()}."
            return []
        return [options[part] for part in dict.fromkeys(picked)]

    def yes_no(self, name: str, label: str) -> bool | None:
        return self.choice(name, label, {"yes": True, "no": False})

    def date(self, name: str, label: str, *, latest: date, required: bool = True,
             not_before: date | None = None, not_before_label: str = "", ahead: bool = False) -> date | None:
        """`latest` is usually today: most events cannot have happened in the future. With `ahead`,
        the date is of something to come, and `latest` is the furthest ahead it may be."""
        value = self._string(name, label, required, 10)
        if value is None:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.errors[name] = f"{label} must be a date (YYYY-MM-DD)."
            return None
        if parsed > latest:
            self.errors[name] = f"{label} {TOO_FAR_AHEAD}." if ahead else f"{label} cannot be in the future."
            return None
        if parsed < EARLIEST:
            self.errors[name] = f"{label} {TOO_EARLY}."
            return None
        if not_before and parsed < not_before:
            self.errors[name] = f"{label} cannot be before {not_before_label} ({long_day(not_before)})."
            return None
        return parsed

    def emails(self, name: str, label: str, *, required: bool = True) -> list[str]:
        value = self._string(name, label, required, LONGEST_TEXT)
        if value is None:
            return []
        addresses = [part.lower() for part in _LIST_SEPARATORS.split(value) if part]
        wrong = [address for address in addresses if not _EMAIL.match(address)]
        if wrong:
            self.errors[name] = f"{label}: \u201c{wrong[0][:60]}\u201d is not an email address."
            return []
        return list(dict.fromkeys(addresses))

    def check(self) -> None:
        if self.errors:
            raise FormErrors(self.errors, self.labels)
