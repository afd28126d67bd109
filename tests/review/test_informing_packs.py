"""The packs whose sources give no stages (Wales's Child Practice Reviews, Northern Ireland's Case
Management Reviews) load and only inform; every pack says honestly what frameworks.md marks as not
verified, as an unset timescale (no default, no date) or a note, and a pack with no verified start
date is never chosen by date."""

from datetime import date

import pytest

from bot.review import Nation
from bot.review.frameworks import SCR_2016, catalogue
from bot.review.pack_schema import FrameworkPack

INFORMING = ("wales-cpr-2016", "northern-ireland-cmr-2012")
# Days across the packs' whole span, each side of every date a pack names.
DAYS = (date(2010, 1, 4), date(2016, 4, 5), date(2016, 4, 6), date(2019, 9, 30), date(2021, 9, 1),
        date(2024, 12, 16), date(2026, 11, 26), date(2040, 1, 2))


def _pack(pack_id: str) -> FrameworkPack:
    return catalogue().pack(pack_id)


def _unset(pack: FrameworkPack) -> set[str]:
    return {t.id for t in pack.timescales if not t.is_set}


def _notes(pack: FrameworkPack) -> dict[str, str]:
    return {note.id: note.text for note in pack.unverified}


@pytest.mark.parametrize("pack_id", INFORMING)
def test_an_informing_pack_loads_with_its_criteria_but_cannot_be_opened(pack_id: str) -> None:
    pack = _pack(pack_id)
    assert pack.triggers and pack.outcomes
    assert not pack.stages and not pack.events and not pack.is_guided
    for nation in pack.nations:
        assert pack not in catalogue().openable(nation)
        assert _pack(SCR_2016) in catalogue().openable(nation)  # the source guidance's can always be


UNDATED = [p for p in catalogue().packs.values() if p.in_force_from is None and p.id != SCR_2016]


@pytest.mark.parametrize("pack", UNDATED, ids=lambda p: p.id)
def test_a_pack_without_a_verified_start_date_is_never_chosen_by_date_and_says_so(pack: FrameworkPack) -> None:
    for nation in pack.nations:
        for day in DAYS:
            assert not pack.applies_on(nation, day)
            assert catalogue().for_review(nation, day).id != pack.id
    assert any("by hand" in text for text in _notes(pack).values())


def test_the_packs_without_a_start_date_are_the_ones_frameworks_md_leaves_undated() -> None:
    undated = {p.id for p in catalogue().packs.values() if p.in_force_from is None}
    # SUSR's go-live is unverified; Scotland's and Northern Ireland's sources give no start date.
    assert undated == {SCR_2016, "wales-susr", "scotland-learning-review-2021", "northern-ireland-cmr-2012"}


def test_wales_child_practice_reviews_are_chosen_by_their_date_yet_only_inform() -> None:
    """In force on 6 April 2016 (the 2015 regulations): the framework of a Welsh case from then on,
    which the bot can describe but not guide."""
    cpr = _pack("wales-cpr-2016")
    assert cpr.in_force_from == date(2016, 4, 6) and cpr.in_force_until is None
    assert catalogue().for_review(Nation.WALES, date(2016, 4, 6)) == cpr
    assert catalogue().for_review(Nation.WALES, date(2016, 4, 5)).id == SCR_2016
    assert {o.id for o in cpr.outcomes} == {"concise", "extended"}
    assert {cpr.cite(ref) for o in cpr.outcomes for ref in o.sources} == {
        "Safeguarding Boards (Functions and Procedures) (Wales) Regulations 2015 concise and extended reviews"}


def test_wales_child_practice_reviews_say_who_decides_and_when_it_ends_are_not_known() -> None:
    cpr = _pack("wales-cpr-2016")
    assert cpr.decided_by is None  # frameworks.md names nobody
    assert _unset(cpr) == {"completion"} and cpr.timescale("completion").describe() == "not set"
    assert _notes(cpr) == {"process": "Who decides, the stages and the timescales are not verified: record "
                                      "milestones by hand."}


def test_northern_ireland_says_its_timescales_and_reviewer_independence_are_not_verified() -> None:
    cmr = _pack("northern-ireland-cmr-2012")
    assert _unset(cmr) == {"completion"} and not any(t.is_set for t in cmr.timescales)
    assert set(_notes(cmr)) == {"independence", "in_force_from"}
    assert "independence is not verified" in _notes(cmr)["independence"]
    # What is verified is there: the CMR Panel decides (reg 17 and the SBNI's own page).
    assert cmr.decided_by is not None and {cmr.cite(r) for r in cmr.decided_by.sources} == {
        "SBNI Case Management Review Panel panel"}
    assert {cmr.cite(r) for t in cmr.triggers for r in t.sources} == {"NISR 2012/324 reg 17"}


def test_scotland_leaves_completion_unset_but_fixes_the_care_inspectorates_seven_days() -> None:
    scotland = _pack("scotland-learning-review-2021")
    assert _unset(scotland) == {"completion"}
    assert scotland.timescale("outcome_notification").describe() == "7 calendar days"
    assert "not verified" in _notes(scotland)["in_force_from"]


def test_the_susr_says_its_go_live_and_timescales_are_not_verified() -> None:
    susr = _pack("wales-susr")
    assert "go-live date is not verified" in _notes(susr)["go_live"]
    assert _unset(susr) == {"completion"} and not any(t.is_set for t in susr.timescales)
    assert [r.who for r in susr.recipients] == ["Welsh Government, notified of every SUSR"]


def test_england_says_the_notice_before_publication_and_reviewer_independence_are_not_verified() -> None:
    england = _pack("england-cspr-2023")
    assert {"publication_notice", "reviewer_independence"} <= set(_notes(england))
    # The advance notice is a timescale with no default; the agency summary's date is the partners'.
    assert _unset(england) == {"publication_notice", "agency_summary"}
    assert {t.id: t.describe() for t in england.timescales if t.is_set} == {
        "notification": "5 working days", "rapid_review": "15 working days", "lcspr_publication": "6 calendar months"}


@pytest.mark.parametrize("pack", list(catalogue().packs.values()), ids=lambda p: p.id)
def test_an_unset_timescale_gives_no_date_whatever_the_start(pack: FrameworkPack) -> None:
    for timescale in pack.timescales:
        if not timescale.is_set:
            assert timescale.describe() == "not set"
            assert {timescale.due_from(day) for day in DAYS} == {None}
