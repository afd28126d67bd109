"""Reviews to and from JSON-safe dicts (str/int/bool/None/list/dict only), with schema versions.

Derived outcomes (eligibility, independence) are not stored: they are recomputed from the stored
answers, so a record can never disagree with the rules that explain it. History details keep what
was derived at the time.

Versions:
  1 – first release: a single ``business_area`` and no ``kind`` (every review was a statutory one).
  2 – ``business_areas`` list (a review may involve several areas) and ``kind`` (6.1–6.2).
  3 – member ids namespaced (people.py).
  4 – ``framework``: the pack the review follows and its version (every earlier review: scr-2016 v1).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from .eligibility import EligibilityAnswers
from .frameworks import SCR_2016
from .independence import ImrAuthorAnswers, RepresentativeAnswers
from .kinds import BusinessArea, Nation, ReviewKind
from .model import (
    HistoryEntry,
    KeyDates,
    NotificationLogEntry,
    ObligationRecord,
    ObligationState,
    Representative,
    Review,
    StaffMember,
)
from .people import SYSTEM, migrate_person
from .references import as_loaded
from .stages import BoardDecision, EventType, stage_of

SCHEMA_VERSION = 5


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def review_to_dict(review: Review) -> dict[str, Any]:
    rep = review.representative
    return {
        "schema_version": SCHEMA_VERSION,
        "id": review.id,
        "reference": review.reference,
        "nation": review.nation.value,
        "kind": review.kind.value,
        "framework": {"id": review.framework, "version": review.framework_version},
        "board_name": review.board_name,
        "business_areas": [area.value for area in review.business_areas],
        "stage": review.stage.value,
        "key_dates": {f.name: _d(getattr(review.key_dates, f.name)) for f in fields(KeyDates)},
        "eligibility": asdict(review.eligibility) if review.eligibility else None,
        "criteria_answers": dict(review.criteria_answers) if review.criteria_answers is not None else None,
        "board_decision": review.board_decision.value if review.board_decision else None,
        "representative": (
            {"user_id": rep.member.user_id, "email": rep.member.email, "answers": asdict(rep.answers)}
            if rep
            else None
        ),
        "imr_author": asdict(review.imr_author) if review.imr_author else None,
        "referenced_addresses": list(review.referenced_addresses),
        "members": list(review.members),
        "obligations": [
            {
                "instance_id": r.instance_id,
                "obligation_id": r.obligation_id,
                "trigger_seq": r.trigger_seq,
                "triggered_on": _d(r.triggered_on),
                "due": _d(r.due),
                "state": r.state.value,
                "done_on": _d(r.done_on),
                "lapsed_by": r.lapsed_by,
            }
            for r in review.obligations
        ],
        "notifications": [
            {
                "key": n.key,
                "obligation_id": n.obligation_id,
                "instance_id": n.instance_id,
                "recipients": list(n.recipients),
                "subject": n.subject,
                "created_at": n.created_at.isoformat(),
                "sent_at": n.sent_at.isoformat() if n.sent_at else None,
            }
            for n in review.notifications
        ],
        "history": [
            {
                "seq": h.seq,
                "at": h.at.isoformat(),
                "on": h.on.isoformat(),
                "actor": h.actor,
                "action": h.action.value,
                "detail": h.detail,
            }
            for h in review.history
        ],
    }


def _migrate_v1(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["business_areas"] = [data.pop("business_area")]
    independent = data.get("board_decision") == BoardDecision.PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW.value
    data["kind"] = (ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW if independent else ReviewKind.STATUTORY).value
    data["schema_version"] = 2
    return data


def _migrate_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Member ids become namespaced (see people.py), so a review stays visible to its members
    and a chat id stored before can no longer pass for an Entra object id."""
    data = dict(data)
    data["members"] = [migrate_person(user_id) for user_id in data["members"]]
    if data["representative"]:
        data["representative"] = {**data["representative"],
                                  "user_id": migrate_person(data["representative"]["user_id"])}
    data["history"] = [
        {**h, "actor": h["actor"] if h["actor"] == SYSTEM else migrate_person(h["actor"])}
        for h in data["history"]
    ]
    data["schema_version"] = 3
    return data


def _migrate_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Every review before packs followed the source guidance, as the first scr-2016 pack says it."""
    data = {**data, "framework": {"id": SCR_2016, "version": 1}}
    data["schema_version"] = 4
    return data


def _migrate_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Reviews before a pack could have criteria of its own were opened with the source guidance's."""
    data = {**data, "criteria_answers": None}
    data["schema_version"] = 5
    return data


_MIGRATIONS = {1: _migrate_v1, 2: _migrate_v2, 3: _migrate_v3, 4: _migrate_v4}


def review_from_dict(data: dict[str, Any]) -> Review:
    """Load any known schema version, migrating step by step to the current one."""
    version = data.get("schema_version")
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        raise ValueError(
            f"unsupported review schema_version {version!r} (this code reads 1–{SCHEMA_VERSION})"
        )
    while version < SCHEMA_VERSION:
        data = _MIGRATIONS[version](data)
        version = data["schema_version"]

    rep = data["representative"]
    reference, board_name = as_loaded(data["reference"], data["board_name"], data["id"])
    return Review(
        id=data["id"],
        reference=reference,
        nation=Nation(data["nation"]),
        kind=ReviewKind(data["kind"]),
        framework=data["framework"]["id"],
        framework_version=data["framework"]["version"],
        board_name=board_name,
        business_areas=tuple(BusinessArea(a) for a in data["business_areas"]),
        # A stage id of the review's own pack (scr-2016's ids are those stored before packs).
        stage=stage_of(data["framework"]["id"], data["stage"]),
        key_dates=KeyDates(**{name: _date(value) for name, value in data["key_dates"].items()}),
        eligibility=EligibilityAnswers(**data["eligibility"]) if data["eligibility"] else None,
        criteria_answers=data["criteria_answers"],
        board_decision=BoardDecision(data["board_decision"]) if data["board_decision"] else None,
        representative=(
            Representative(StaffMember(rep["user_id"], rep["email"]), RepresentativeAnswers(**rep["answers"]))
            if rep
            else None
        ),
        imr_author=ImrAuthorAnswers(**data["imr_author"]) if data["imr_author"] else None,
        referenced_addresses=list(data["referenced_addresses"]),
        members=list(data["members"]),
        obligations=[
            ObligationRecord(
                instance_id=r["instance_id"],
                obligation_id=r["obligation_id"],
                trigger_seq=r["trigger_seq"],
                triggered_on=date.fromisoformat(r["triggered_on"]),
                due=_date(r["due"]),
                state=ObligationState(r["state"]),
                done_on=_date(r["done_on"]),
                lapsed_by=r.get("lapsed_by"),
            )
            for r in data["obligations"]
        ],
        notifications=[
            NotificationLogEntry(
                key=n["key"],
                obligation_id=n["obligation_id"],
                instance_id=n["instance_id"],
                recipients=tuple(n["recipients"]),
                subject=n["subject"],
                created_at=datetime.fromisoformat(n["created_at"]),
                sent_at=_dt(n["sent_at"]),
            )
            for n in data["notifications"]
        ],
        history=[
            HistoryEntry(
                seq=h["seq"],
                at=datetime.fromisoformat(h["at"]),
                on=date.fromisoformat(h["on"]),
                actor=h["actor"],
                action=EventType(h["action"]),
                detail=h["detail"],
            )
            for h in data["history"]
        ],
    )
