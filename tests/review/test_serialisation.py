"""Reviews survive JSON round trips, and records written by schema version 1 still load."""

import json
from datetime import UTC
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.review import (
    EVENTS,
    SCHEMA_VERSION,
    BoardDecision,
    BusinessArea,
    EligibilityAnswers,
    HistoryEntry,
    ImrAuthorAnswers,
    KeyDates,
    Nation,
    NotificationLogEntry,
    ObligationRecord,
    ObligationState,
    Representative,
    RepresentativeAnswers,
    Review,
    ReviewKind,
    StaffMember,
    Stage,
    review_from_dict,
    review_to_dict,
    validate_reference,
)
from tests.review.helpers import PATH, USER, new_review, play, review_at

JSON_TYPES = (str, int, float, bool, type(None))


def _assert_json_safe(value: Any) -> None:
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for item in value.values():
            _assert_json_safe(item)
    elif isinstance(value, list):
        for item in value:
            _assert_json_safe(item)
    else:
        assert isinstance(value, JSON_TYPES), type(value)


@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: s.value)
def test_every_stage_of_a_real_review_round_trips_through_json(stage: Stage) -> None:
    review = review_at(stage)
    data = review_to_dict(review)
    _assert_json_safe(data)
    assert data["schema_version"] == SCHEMA_VERSION
    assert review_from_dict(json.loads(json.dumps(data))) == review


dates = st.dates()
optional_dates = st.none() | dates
aware = st.datetimes(timezones=st.just(UTC))
emails = st.from_regex(r"[a-z]{1,8}@example\.gov\.uk", fullmatch=True)
user_ids = st.from_regex(r"aad-[0-9a-f]{1,12}", fullmatch=True)
four = st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans())

def _accepted_reference(reference: str) -> bool:
    try:
        validate_reference(reference)
    except ValueError:
        return False
    return True


reviews = st.builds(
    Review,
    # Board-code shaped, leaving out the few that spell a title such as "MR" (refused, 8.1).
    reference=st.from_regex(r"[A-Z]{2,6}[-/ _][0-9]{1,6}", fullmatch=True).filter(_accepted_reference),
    nation=st.sampled_from(Nation),
    board_name=st.from_regex(r"[A-Z][a-z]{2,12}( LSCB| & District CPC)", fullmatch=True),
    business_areas=st.lists(st.sampled_from(BusinessArea), min_size=1, max_size=3, unique=True).map(tuple),
    members=st.lists(user_ids, min_size=1, max_size=3, unique=True),
    kind=st.sampled_from(ReviewKind),
    id=st.uuids().map(str),
    stage=st.sampled_from(Stage),
    key_dates=st.builds(KeyDates, *[optional_dates] * 7),
    eligibility=st.none() | st.builds(EligibilityAnswers, *[st.booleans()] * 8),
    board_decision=st.none() | st.sampled_from(BoardDecision),
    representative=st.none()
    | st.builds(
        Representative,
        st.builds(StaffMember, user_ids, emails),
        four.map(lambda b: RepresentativeAnswers(*b)),
    ),
    imr_author=st.none() | four.map(lambda b: ImrAuthorAnswers(*b)),
    referenced_addresses=st.lists(emails, max_size=3),
    obligations=st.lists(
        st.builds(
            ObligationRecord,
            instance_id=st.from_regex(r"O[0-9]{1,2}-[0-9]{1,3}", fullmatch=True),
            obligation_id=st.from_regex(r"O[0-9]{1,2}", fullmatch=True),
            trigger_seq=st.integers(1, 500),
            triggered_on=dates,
            due=optional_dates,
            state=st.sampled_from(ObligationState),
            done_on=optional_dates,
        ),
        max_size=4,
    ),
    notifications=st.lists(
        st.builds(
            NotificationLogEntry,
            key=st.text(min_size=1, max_size=20),
            obligation_id=st.just("O1"),
            instance_id=st.just("O1-1"),
            recipients=st.lists(emails, max_size=3).map(tuple),
            subject=st.text(max_size=40),
            created_at=aware,
            sent_at=st.none() | aware,
        ),
        max_size=3,
    ),
    history=st.lists(
        st.builds(
            HistoryEntry,
            st.integers(1, 500),
            aware,
            dates,
            user_ids,
            st.sampled_from(EVENTS.types()),
            st.text(max_size=40),
        ),
        max_size=4,
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(review=reviews)
def test_any_review_round_trips(review: Review) -> None:
    data = review_to_dict(review)
    _assert_json_safe(data)
    assert review_from_dict(json.loads(json.dumps(data))) == review


@settings(max_examples=15, deadline=None)
@given(steps=st.integers(1, len(PATH)))
def test_any_point_of_the_flow_round_trips(steps: int) -> None:
    review, _ = play(new_review(), *(event for _, event in PATH[:steps]))
    assert review_from_dict(review_to_dict(review)) == review


def _as_version_1(review: Review) -> dict[str, Any]:
    """The shape written by the first release: one business area, no kind."""
    data = review_to_dict(review)
    data["schema_version"] = 1
    data["business_area"] = data.pop("business_areas")[0]
    del data["kind"]
    return data


@pytest.mark.parametrize(
    ("decision", "kind"),
    [
        (None, ReviewKind.STATUTORY),
        (BoardDecision.PROCEED_WITH_STATUTORY_REVIEW, ReviewKind.STATUTORY),
        (BoardDecision.PROCEED_WITH_INDEPENDENT_MANAGEMENT_REVIEW, ReviewKind.INDEPENDENT_MANAGEMENT_REVIEW),
    ],
)
def test_para_6_1_version_1_records_migrate_with_a_kind(
    decision: BoardDecision | None, kind: ReviewKind
) -> None:
    review = review_at(Stage.IMRS)
    review = Review(**{**vars(review), "board_decision": decision, "kind": kind})
    migrated = review_from_dict(_as_version_1(review))
    assert migrated == review
    assert migrated.business_areas == (BusinessArea.UKVI,)


@pytest.mark.parametrize("version", [None, 0, SCHEMA_VERSION + 1, "2"])
def test_unknown_schema_versions_are_refused(version: object) -> None:
    data = review_to_dict(review_at(Stage.REFERRAL))
    data["schema_version"] = version
    with pytest.raises(ValueError, match="schema_version"):
        review_from_dict(data)


def test_version_2_member_ids_are_namespaced_so_a_review_stays_with_its_people() -> None:
    review = review_at(Stage.IMRS)
    data = review_to_dict(review)
    data["schema_version"] = 2
    guid = USER.removeprefix("aad:").upper()
    data["members"] = [guid, "29:chat-id"]
    data["representative"]["user_id"] = guid
    data["history"] = [{**h, "actor": guid if h["actor"] == USER else h["actor"]} for h in data["history"]]

    migrated = review_from_dict(data)

    assert migrated.members == [USER, "local:29:chat-id"]
    assert migrated.representative is not None and migrated.representative.member.user_id == USER
    assert {h.actor for h in migrated.history} == {h.actor for h in review.history}
