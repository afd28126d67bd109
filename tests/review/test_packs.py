"""Framework packs and the organisation policy as files: what ships loads, every rule cites a
source the file lists, and a malformed file is refused naming the file and the field."""

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.review import Nation
from bot.review.frameworks import PACKS_DIR, POLICY_FILE, SCR_2016, load_catalogue
from bot.review.obligations import OBLIGATIONS, policy_obligation
from bot.review.pack_schema import PackError
from bot.review.paragraphs import PARAGRAPH_TITLES, WT

SHIPPED = load_catalogue()
GUIDANCE_SOURCES = {"ho-scr-imr-2016": "", "wt-2010": WT + " "}


def _shipped_files() -> list[Path]:
    return [*sorted(PACKS_DIR.glob("*.json")), POLICY_FILE]


def test_every_shipped_pack_and_the_policy_load() -> None:
    assert SCR_2016 in SHIPPED.packs
    assert {pack.id for pack in SHIPPED.packs.values()} == {path.stem for path in PACKS_DIR.glob("*.json")}
    assert SHIPPED.policy.duties


@pytest.mark.parametrize("pack_id", sorted(SHIPPED.packs))
def test_every_rule_of_a_pack_cites_a_source_the_pack_lists(pack_id: str) -> None:
    pack = SHIPPED.packs[pack_id]
    for rule in pack.rules():
        assert rule.sources, rule.id
        for ref in rule.sources:
            assert ref.part in pack.sources[ref.source].parts, (rule.id, ref)


def test_every_duty_of_the_policy_cites_a_source_the_policy_lists() -> None:
    policy = SHIPPED.policy
    for rule in policy.rules():
        assert rule.sources, rule.id
        for ref in rule.sources:
            assert ref.part in policy.sources[ref.source].parts, (rule.id, ref)


def test_packs_cite_only_paragraphs_that_exist_in_the_source_guidance() -> None:
    """The paragraph checker of paragraphs.py, extended to the files: a pack citing the guidance
    may cite only its real paragraphs (and Working Together only where the texts quote it)."""
    files = [*SHIPPED.packs.values(), SHIPPED.policy]
    for file in files:
        for source in file.sources.values():
            if source.id not in GUIDANCE_SOURCES:
                continue
            for part in source.parts:
                ref = WT if part == "chapter 8" else GUIDANCE_SOURCES[source.id] + part
                assert ref in PARAGRAPH_TITLES, (file.id, source.id, part)


def test_the_policy_holds_the_home_office_duties_the_obligations_apply() -> None:
    """The policy is what the Home Office owes under any framework: the obligations that are its own
    duties, with their paragraphs; the board's timescales (O12, O13) belong to the pack. The source
    guidance's process words them in its own terms (an IMR, the terms of reference to precede):
    apart from that, the policy says what it does."""
    duties = {duty.id: duty for duty in SHIPPED.policy.duties}
    assert set(duties) == set(OBLIGATIONS) - {"O12", "O13"}
    worded_for_its_process = {"O3", "O4", "O6"}
    for duty in duties.values():
        obligation = OBLIGATIONS[duty.id]
        assert SHIPPED.policy.citation(duty.sources) == obligation.paragraphs
        assert duty.recipients == obligation.recipients
        assert (duty.title == obligation.title) is (duty.id not in worded_for_its_process)
        assert duty.due.kind is obligation.due.kind and duty.due.setting == obligation.due.setting
        assert (duty.notifies, duty.needs_document) == (obligation.notifies, obligation.needs_document)
        assert duty.done_by_recording == obligation.done_by_recording


def test_under_a_pack_the_policy_file_is_what_is_owed(tmp_path: Path) -> None:
    """Changing the policy changes what a review under a pack owes: its words, whom it emails, its due rule."""
    policy = json.loads(POLICY_FILE.read_text())
    records = next(duty for duty in policy["duties"] if duty["id"] == "O2")
    records.update(title="Secure the case records within three working days", recipients=["psu"],
                   due={"kind": "working_days", "setting": "lesson_working_days"})
    (tmp_path / "policy.json").write_text(json.dumps(policy))
    changed = load_catalogue(PACKS_DIR, tmp_path / "policy.json")
    o2 = policy_obligation(changed.policy.duties[1], changed.pack("england-cspr-2023"), changed.policy)
    assert (o2.title, o2.recipients, o2.due.setting) == ("Secure the case records within three working days",
                                                         ("psu",), "lesson_working_days")


# --- Malformed files ------------------------------------------------------------------------------


def _scr_2016() -> dict[str, Any]:
    return json.loads((PACKS_DIR / "scr-2016.json").read_text())


def _write(tmp_path: Path, data: object, name: str = "scr-2016.json") -> Path:
    packs = tmp_path / "packs"
    packs.mkdir(exist_ok=True)
    (packs / name).write_text(data if isinstance(data, str) else json.dumps(data))
    return packs


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_scr_2016())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("name"), "scr-2016.json: name: is missing"),
        (lambda d: d.update(nations=["atlantis"]), "scr-2016.json: nations[0]: must be one of england"),
        (lambda d: d["triggers"][0].update(sources=[]), "scr-2016.json: triggers[0].sources: every rule must cite"),
        (lambda d: d["triggers"][0].pop("sources"), "scr-2016.json: triggers[0].sources: is missing"),
        (lambda d: d["stages"][1]["sources"][0].update(source="hansard"),
         "scr-2016.json: stages[1].sources[0].source: 'hansard' is not one of the sources this file lists"),
        (lambda d: d["outcomes"][0]["sources"][0].update(part="3.3.77"),
         "scr-2016.json: outcomes[0].sources[0].part: '3.3.77' is not a part"),
        (lambda d: d["timescales"][0].update(amount="one"),
         "scr-2016.json: timescales[0].amount: must be a whole number of 0 or more or null"),
        (lambda d: d["timescales"][1].update(from_event="rapid_review"),
         "scr-2016.json: timescales[1].from_event: 'rapid_review' is not one of the pack's events"),
        (lambda d: d["events"][0].update(to="limbo"), "scr-2016.json: events[0].to: 'limbo' is not one of"),
        (lambda d: d["stages"][0].update(colour="red"), "scr-2016.json: stages[0].colour: is not a field"),
        (lambda d: d.update(in_force_from="next week"), "scr-2016.json: in_force_from: must be a date"),
        (lambda d: d["stages"].append(d["stages"][0]), "scr-2016.json: stages[11].id: 'referral' is used twice"),
        (lambda d: d.update(id="scr-2017"), "scr-2016.json: id: 'scr-2017' must be the file's name"),
        (lambda d: d["timescales"][1].update(until_event="approval"),
         "scr-2016.json: timescales[1].until_event: 'approval' is not one of the pack's events"),
        (lambda d: d["events"][0].update(moment="teatime"),
         "scr-2016.json: events[0].moment: must be one of opening, lesson, report_requested"),
    ],
)
def test_a_malformed_pack_is_refused_naming_the_file_and_the_field(
    tmp_path: Path, change: Any, message: str
) -> None:
    packs = _write(tmp_path, _broken(change))
    with pytest.raises(PackError) as refused:
        load_catalogue(packs, POLICY_FILE)
    assert str(refused.value).startswith(message)


def test_a_pack_that_is_not_json_is_refused(tmp_path: Path) -> None:
    packs = _write(tmp_path, "{ not json")
    with pytest.raises(PackError, match=r"^scr-2016.json: cannot be read as JSON"):
        load_catalogue(packs, POLICY_FILE)


def test_a_policy_duty_without_a_source_is_refused(tmp_path: Path) -> None:
    policy = json.loads(POLICY_FILE.read_text())
    policy["duties"][2]["sources"] = []
    (tmp_path / "policy.json").write_text(json.dumps(policy))
    with pytest.raises(PackError, match=r"^policy.json: duties\[2\].sources: every rule must cite"):
        load_catalogue(PACKS_DIR, tmp_path / "policy.json")


@pytest.mark.parametrize(("due", "message"), [
    ({"kind": "working_days"}, r"duties\[1\].due.setting: names the review setting"),
    ({"kind": "working_days", "setting": "soon_days"}, r"duties\[1\].due.setting: 'soon_days' is not one the app"),
    ({"kind": "before_event"}, r"duties\[1\].due.kind: before_event is due before"),
    ({"kind": "before_event", "before_date": "someday"}, r"duties\[1\].due.before_date: 'someday' is not one"),
    ({"kind": "timescale"}, r"duties\[1\].due.kind: a policy duty's due rule cannot be a pack's timescale"),
    ({"kind": "soon"}, r"duties\[1\].due.kind: must be one of"),
])
def test_a_policy_duty_with_a_due_rule_the_app_cannot_follow_is_refused(tmp_path: Path, due: dict,
                                                                        message: str) -> None:
    policy = json.loads(POLICY_FILE.read_text())
    policy["duties"][1]["due"] = due
    (tmp_path / "policy.json").write_text(json.dumps(policy))
    with pytest.raises(PackError, match=r"^policy.json: " + message):
        load_catalogue(PACKS_DIR, tmp_path / "policy.json")


def test_the_catalogue_needs_the_pack_stored_reviews_follow(tmp_path: Path) -> None:
    packs = _write(tmp_path, {**_scr_2016(), "id": "other"}, name="other.json")
    with pytest.raises(PackError, match="the scr-2016 pack is missing"):
        load_catalogue(packs, POLICY_FILE)


@pytest.mark.parametrize("path", _shipped_files(), ids=lambda p: p.name)
def test_shipped_files_are_plain_utf8_json_ending_in_a_newline(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    json.loads(text)


def test_two_packs_in_force_in_one_nation_on_the_same_day_are_refused(tmp_path: Path) -> None:
    packs = _write(tmp_path, _scr_2016())
    wales = json.loads((PACKS_DIR / "wales-cpr-2016.json").read_text())
    _write(tmp_path, wales, name="wales-cpr-2016.json")
    _write(tmp_path, {**wales, "id": "wales-later", "in_force_from": "2020-01-01"}, name="wales-later.json")
    with pytest.raises(PackError, match="wales-cpr-2016 and wales-later are both in force in Wales"):
        load_catalogue(packs, POLICY_FILE)
    _write(tmp_path, {**wales, "in_force_until": "2020-01-01"}, name="wales-cpr-2016.json")
    assert load_catalogue(packs, POLICY_FILE).for_review(Nation.WALES, date(2020, 1, 1)).id == "wales-later"
