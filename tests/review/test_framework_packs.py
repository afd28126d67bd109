"""What each shipped pack says: triggers, outcomes, timescales with working days and bank holidays,
stage moves, recipients; which pack a review falls under by nation and date; and that scr-2016
says what the domain does today."""

from datetime import date

import pytest

from bot.review import EVENTS, EventType, Nation, Stage
from bot.review.frameworks import SCR_2016, load_catalogue
from bot.review.pack_schema import Duty, FrameworkPack
from bot.review.registry import EventRegistry

CATALOGUE = load_catalogue()
ENGLAND = CATALOGUE.pack("england-cspr-2023")


def _cited(pack: FrameworkPack, rule_sources: tuple) -> set[str]:
    return {pack.cite(ref) for ref in rule_sources}


def test_england_notification_is_the_local_authoritys_five_working_days_watched_as_a_dependency() -> None:
    notification = ENGLAND.timescale("notification")
    assert notification.describe() == "5 working days"
    assert notification.duty is Duty.DEPENDENCY and notification.owner == "local authority"
    # Aware on Friday 18 December 2026: Christmas Day and the substitute Boxing Day holiday do not count.
    assert notification.due_from(date(2026, 12, 18)) == date(2026, 12, 29)
    assert {"panel", "safeguarding_partners"} <= {r.id for r in ENGLAND.recipients}


def test_england_rapid_review_takes_15_working_days_and_the_agency_summary_is_the_home_offices_duty() -> None:
    rapid = ENGLAND.timescale("rapid_review")
    assert rapid.due_from(date(2026, 3, 2)) == date(2026, 3, 23)
    summary = ENGLAND.timescale("agency_summary")
    assert summary.duty is Duty.HOME_OFFICE
    # The partners set the date for each review: the pack fixes none, and says so.
    assert summary.describe() == "not set" and summary.due_from(date(2026, 3, 2)) is None


def test_england_lcspr_decision_and_national_review_cite_the_regulations() -> None:
    outcomes = {o.id: o for o in ENGLAND.outcomes}
    assert _cited(ENGLAND, outcomes["lcspr"].sources) == {"SI 2018/789 reg 11"}
    assert _cited(ENGLAND, outcomes["national_review"].sources) == {"SI 2018/789 regs 3–5"}
    trigger = ENGLAND.triggers[0]
    assert _cited(ENGLAND, trigger.sources) == {"Children Act 2004 s16C(1)"}
    # Published within 6 months of the decision to start, on a working day.
    publication = ENGLAND.timescale("lcspr_publication")
    assert publication.from_event == "lcspr_decided"
    assert publication.due_from(date(2026, 2, 28)) == date(2026, 8, 28)


def _path(pack: FrameworkPack, *event_ids: str) -> list[str]:
    """The stages a pack's events lead through from its first stage, refusing a move it does not allow."""
    events = {e.id: e for e in pack.events}
    stage = pack.stages[0].id
    visited = [stage]
    for event_id in event_ids:
        assert stage in events[event_id].from_stages, (event_id, stage)
        stage = events[event_id].to_stage
        visited.append(stage)
    return visited


def test_england_stages_run_from_notification_through_the_rapid_review_to_publication() -> None:
    assert _path(ENGLAND, "rapid_review_started", "agency_summary_sent", "rapid_review_completed", "lcspr_decided",
                 "lcspr_published") == ["notified", "rapid_review", "rapid_review", "lcspr_decision", "lcspr",
                                        "published"]
    assert _path(ENGLAND, "rapid_review_started", "rapid_review_completed", "national_review_referred")[-1] == (
        "national_review")
    with pytest.raises(AssertionError):
        _path(ENGLAND, "lcspr_decided")


@pytest.mark.parametrize("pack_id", ["wales-cpr-2016", "wales-susr", "scotland-learning-review-2021",
                                     "northern-ireland-cmr-2012"])
def test_the_other_nations_packs_say_what_they_do_not_know(pack_id: str) -> None:
    pack = CATALOGUE.pack(pack_id)
    assert pack.unverified
    assert any(timescale.describe() == "not set" for timescale in pack.timescales)


def test_scotland_tells_the_care_inspectorate_within_7_days_of_ratification() -> None:
    scotland = CATALOGUE.pack("scotland-learning-review-2021")
    outcome = scotland.timescale("outcome_notification")
    assert outcome.from_event == "review_ratified"
    assert outcome.due_from(date(2026, 12, 22)) == date(2026, 12, 29)  # calendar days: holidays count


def test_welsh_government_is_told_of_every_susr() -> None:
    assert [r.id for r in CATALOGUE.pack("wales-susr").recipients] == ["welsh_government"]


@pytest.mark.parametrize(("nation", "day", "pack_id"), [
    (Nation.ENGLAND, date(2026, 11, 25), "england-cspr-2023"),
    (Nation.ENGLAND, date(2019, 9, 30), "england-cspr-2023"),
    (Nation.ENGLAND, date(2019, 9, 29), SCR_2016),
    (Nation.WALES, date(2017, 1, 9), "wales-cpr-2016"),
    (Nation.WALES, date(2016, 4, 5), SCR_2016),
    # No verified start date: never chosen by date (the representative may choose them by hand).
    (Nation.SCOTLAND, date(2026, 11, 25), SCR_2016),
    (Nation.NORTHERN_IRELAND, date(2026, 11, 25), SCR_2016),
])
def test_a_review_falls_under_the_pack_in_force_in_its_nation_on_its_date(
    nation: Nation, day: date, pack_id: str
) -> None:
    assert CATALOGUE.for_review(nation, day).id == pack_id


def test_scr_2016_names_every_nation_and_says_what_the_domain_does_today() -> None:
    """The pack is the source guidance's process as data; until the domain runs from it, it must
    say exactly what the event registry does."""
    pack = CATALOGUE.pack(SCR_2016)
    assert set(pack.local_names) == set(Nation)
    assert {s.id: s.label for s in pack.stages} == {s.value: s.label for s in Stage}
    assert {s.id for s in pack.stages if s.terminal} == {s.value for s in Stage if s.is_terminal}
    registry: EventRegistry = EVENTS
    for event in pack.events:
        if event.id == "board_decision_not_proceeding":  # the board's decision, when it is "no"
            assert registry[EventType.BOARD_DECISION].allowed_at == {Stage(s) for s in event.from_stages}
            continue
        definition = registry[EventType(event.id)]
        assert definition.allowed_at == {Stage(s) for s in event.from_stages}, event.id
        assert definition.moves_to is Stage(event.to_stage), event.id
    milestones = {d.type.value for d in registry if d.is_milestone}
    assert milestones == {e.id for e in pack.events} - {"board_decision_not_proceeding"}
