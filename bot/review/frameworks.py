"""The framework packs and the organisation policy the app runs with: read from the JSON files
beside this module (``packs/*.json``, ``policy/*.json``) and checked once, at start-up.

``catalogue()`` loads them the first time it is asked and keeps them; the app asks at start-up, so
a broken file stops it there with the file and the field named (``PackError``), never later in a
conversation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path

from .nations import Nation
from .pack_schema import FrameworkPack, OrganisationPolicy, PackError, read_pack, read_policy

HERE = Path(__file__).parent
PACKS_DIR = HERE / "packs"
POLICY_FILE = HERE / "policy" / "home-office.json"
# The pack of the source guidance: every review stored before packs existed follows it.
SCR_2016 = "scr-2016"


class FrameworkReason(Enum):
    """Why a review follows another framework than the one in force for its nation and date: a
    choice, not free text, so nothing about the case is typed in (8.1)."""

    BOARD_SAYS = "board_says"
    BEGAN_BEFORE = "began_before"
    # Only for a change after opening: the framework chosen then was a slip.
    OPENED_UNDER_WRONG_ONE = "opened_under_wrong_one"

    @property
    def label(self) -> str:
        return {
            FrameworkReason.BOARD_SAYS: "the board or safeguarding partners running it say this framework applies",
            FrameworkReason.BEGAN_BEFORE: "the review began under this framework, before the newer one applied "
                                          "in its area",
            FrameworkReason.OPENED_UNDER_WRONG_ONE: "the review was opened here under the wrong framework",
        }[self]

    @property
    def at_opening(self) -> bool:
        """Whether it can be the reason a review is opened under a framework (a slip is corrected later)."""
        return self is not FrameworkReason.OPENED_UNDER_WRONG_ONE


@dataclass(frozen=True)
class Catalogue:
    packs: dict[str, FrameworkPack]
    policy: OrganisationPolicy

    def pack(self, pack_id: str) -> FrameworkPack:
        return self.packs[pack_id]

    def openable(self, nation: Nation) -> tuple[FrameworkPack, ...]:
        """The packs a review in ``nation`` can be opened under: those whose steps the bot guides."""
        return tuple(p for p in self.packs.values() if p.is_guided and nation in p.nations)

    def for_review(self, nation: Nation, day: date) -> FrameworkPack:
        """The current framework for a review in ``nation`` whose case arose on ``day``; the
        source guidance's own pack where no newer one applies."""
        current = [p for p in self.packs.values() if p.id != SCR_2016 and p.applies_on(nation, day)]
        return current[0] if current else self.packs[SCR_2016]  # one at most: _check_no_overlap

    def followed(self, nation: Nation, day: date, chosen: str | None) -> FrameworkPack | None:
        """The pack a review would follow: ``chosen`` by hand, or (None) the one in force; None for
        a chosen id this app has no pack for."""
        return self.for_review(nation, day) if chosen is None else self.packs.get(chosen)


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackError(f"{path.name}: cannot be read as JSON: {error}") from error


def load_catalogue(packs_dir: Path = PACKS_DIR, policy_file: Path = POLICY_FILE) -> Catalogue:
    """Every pack in ``packs_dir`` and the policy, checked; raises PackError naming file and field."""
    packs: dict[str, FrameworkPack] = {}
    for path in sorted(packs_dir.glob("*.json")):
        pack = read_pack(path.name, _read_json(path))
        if pack.id != path.stem:
            raise PackError(f"{path.name}: id: {pack.id!r} must be the file's name without .json")
        packs[pack.id] = pack
    _check_no_overlap(packs)
    if SCR_2016 not in packs:
        raise PackError(f"{packs_dir.name}: the {SCR_2016} pack is missing; reviews stored before packs follow it")
    policy = read_policy(policy_file.name, _read_json(policy_file))
    _check_due_rules(policy_file.name, policy)
    return Catalogue(packs, policy)


def _check_due_rules(file: str, policy: OrganisationPolicy) -> None:
    """The names a due rule gives are the app's own: a review setting, a key date, an event of the
    source guidance's process (read here, not at import, as those modules read this catalogue)."""
    from .events import EVENTS
    from .model import KeyDates
    from .settings import ReviewSettings

    known = {"setting": set(ReviewSettings.__dataclass_fields__), "before_date": set(KeyDates.__dataclass_fields__),
             "before_event": set(EVENTS.types())}
    for index, duty in enumerate(policy.duties):
        for key, names in known.items():
            value = getattr(duty.due, key)
            if value is not None and value not in names:
                raise PackError(f"{file}: duties[{index}].due.{key}: {value!r} is not one the app knows "
                                f"({', '.join(sorted(names))})")
        if duty.done_by_recording is not None and duty.done_by_recording not in known["before_event"]:
            raise PackError(f"{file}: duties[{index}].done_by_recording: {duty.done_by_recording!r} is not an event "
                            "the app knows")


def _check_no_overlap(packs: dict[str, FrameworkPack]) -> None:
    """At most one pack is in force for a nation on any day, so choosing one never has to guess."""
    dated = [p for p in packs.values() if p.in_force_from is not None and p.id != SCR_2016]
    for index, first in enumerate(dated):
        for second in dated[index + 1:]:
            shared = [n.label for n in first.nations if n in second.nations]
            if shared and _starts(first) < _ends(second) and _starts(second) < _ends(first):
                raise PackError(f"{second.id}.json: in_force_from: {first.id} and {second.id} are both in force "
                                f"in {', '.join(shared)} on some days: set in_force_until on the older one")


def _starts(pack: FrameworkPack) -> date:
    return pack.in_force_from or date.min


def _ends(pack: FrameworkPack) -> date:
    return pack.in_force_until or date.max


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


def checked_timescales(value: object) -> dict[str, dict[str, int]]:
    """The ``framework_timescales`` review setting, checked: only a timescale its pack leaves unset
    may be set, so no setting can contradict a source."""
    if not isinstance(value, dict):
        raise ValueError('framework_timescales must be an object, e.g. {"wales-susr": {"completion": 12}}')
    checked: dict[str, dict[str, int]] = {}
    for pack_id, amounts in value.items():
        pack = catalogue().packs.get(pack_id)
        if pack is None or not isinstance(amounts, dict):
            raise ValueError(f"framework_timescales: {pack_id!r} is not a framework pack with timescales")
        for timescale_id, amount in amounts.items():
            known = {t.id: t for t in pack.timescales}.get(timescale_id)
            if known is None:
                raise ValueError(f"framework_timescales: {pack_id} has no timescale {timescale_id!r}")
            if known.is_set:
                raise ValueError(f"framework_timescales: {pack_id} {timescale_id} is {known.describe()} by its "
                                 "sources and cannot be changed")
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
                raise ValueError(f"framework_timescales: {pack_id} {timescale_id} must be a whole number of 1 or "
                                 f"more, not {amount!r}")
        checked[pack_id] = dict(amounts)
    return checked
