"""A review opened by hand under Scotland's Learning Review pack or Wales's Single Unified
Safeguarding Review pack runs from its file: every event moves it to the pack's next stage, the
organisation policy's duties arise on top (the opening email to the policy's recipients, with the
pack's name in the subject), and a timescale the sources leave unset has no date and is never
reminded until the organisation sets it, then counts in its unit with bank holidays skipped."""

from dataclasses import dataclass
from datetime import date

import pytest

from bot.reminders.emails import escalation_email
from bot.reminders.policy import escalations_due, reminders_due
from bot.review import (
    BusinessArea,
    LessonIdentified,
    Nation,
    ObligationState,
    ReviewOpened,
    ReviewRuleError,
    allowed_events,
    next_steps,
    outstanding,
    review_from_dict,
    review_to_dict,
)
from bot.review.frameworks import catalogue
from bot.review.next_steps import TIMESCALE_NOT_SET
from bot.review.obligations import obligation_of
from bot.review.pack_events import registry_for
from bot.review.pack_schema import Moment, Rule
from bot.review.settings import ReviewSettings
from bot.review.stages import EventType, stage_of
from bot.review.working_days import add_months, is_working_day
from tests.review.helpers import BOOK, REP, SETTINGS, new_review, play

SCOTLAND = "scotland-learning-review-2021"
SUSR = "wales-susr"
AREAS = (BusinessArea.UKVI, BusinessArea.BORDER_FORCE)


@dataclass(frozen=True)
class Walk:
    """One pack's review, from opening to the end of its main path, and where a bank holiday
    moves the deadline of the timescale its sources leave unset once the organisation sets it."""

    pack_id: str
    nation: Nation
    reference: str
    name: str
    board: str
    watched: str
    # The pack's events in order, each with the stage it leads to.
    path: tuple[tuple[str, str], ...]
    # Opened on this day, "completion" set to this many months: the plain month count lands on a
    # bank holiday, so the deadline is the next working day.
    opened_on: date
    months: int
    completion_due: date

    def __str__(self) -> str:
        return self.pack_id


WALKS = (
    Walk(SCOTLAND, Nation.SCOTLAND, "LR-2026-007", "Learning Review", "Child Protection Committee",
         "Waiting on the Child Protection Committee: Completion",
         (("review_decided", "learning_review"), ("review_ratified", "ratified")),
         # One month on is Christmas Day (Friday); Boxing Day's substitute holiday is Monday 28th.
         date(2026, 11, 25), 1, date(2026, 12, 29)),
    Walk(SUSR, Nation.WALES, "SUSR-2026-002", "Single Unified Safeguarding Review",
         # The pack names no board of its own, so the source guidance's Welsh name is shown (the
         # sources speak of a regional safeguarding board: reported for the pack's author).
         "Local Safeguarding Children Board", "Waiting on the regional safeguarding board: Completion",
         (("case_review_group_met", "case_review_group"), ("review_decided", "review"),
          ("action_plan_signed_off", "action_plan")),
         # Four months on is Good Friday 2027; Easter Monday follows the weekend.
         date(2026, 11, 26), 4, date(2027, 3, 30)),
)
BY_PACK = pytest.mark.parametrize("walk", WALKS, ids=str)


def _event(walk: Walk, event_id: str) -> object:
    return registry_for(walk.pack_id)[EventType(event_id)].data()


def _opened(walk: Walk, day: date | None = None, settings: ReviewSettings = SETTINGS):  # type: ignore[no-untyped-def]
    review = new_review(framework=walk.pack_id, nation=walk.nation, reference=walk.reference, business_areas=AREAS)
    return play(review, ReviewOpened(representative=REP), day=day or walk.opened_on, settings=settings)


@BY_PACK
def test_both_packs_can_be_chosen_by_hand_only(walk: Walk) -> None:
    pack = catalogue().pack(walk.pack_id)
    assert pack in catalogue().openable(walk.nation)
    assert pack.in_force_from is None and catalogue().for_review(walk.nation, walk.opened_on).id != walk.pack_id


# What each pack says a review is held for, its outcomes and who decides, with the sources cited.
CRITERIA = {
    SCOTLAND: ({"learning_review": {"National guidance for Child Protection Committees undertaking Learning Reviews "
                                    "criteria"}},
               {"decision_notified": {"Care Inspectorate notifications guidance notifications"}},
               "The Child Protection Committee decides"),
    SUSR: ({"referral": {"SUSR guidance scope", "SUSR guidance process"}},
           {"review_held": {"SUSR guidance reviewers", "SUSR guidance process"}},
           "The regional safeguarding board's chair decides"),
}


@BY_PACK
def test_the_packs_triggers_outcomes_and_who_decides_cite_their_sources(walk: Walk) -> None:
    pack = catalogue().pack(walk.pack_id)
    triggers, outcomes, decides = CRITERIA[walk.pack_id]
    def cited(rules: tuple[Rule, ...]) -> dict[str, set[str]]:
        return {rule.id: {pack.cite(ref) for ref in rule.sources} for rule in rules}

    assert (cited(pack.triggers), cited(pack.outcomes)) == (triggers, outcomes)
    assert pack.decided_by is not None and pack.decided_by.text.startswith(decides)


@BY_PACK
def test_opening_sends_the_policys_email_under_the_packs_name_to_the_policys_recipients(walk: Walk) -> None:
    review, [opened] = _opened(walk)
    assert review.stage == stage_of(walk.pack_id, catalogue().pack(walk.pack_id).stages[0].id)
    # The policy's duties at the opening, then the pack's own timescale that runs from it.
    assert [r.obligation_id for r in review.obligations] == ["O1", "O2", "O3", "O7", "O15", "completion"]
    [email] = opened.notifications
    assert email.subject == f"OFFICIAL-SENSITIVE – {walk.name} – {walk.reference} – review opened"
    [duty] = [d for d in catalogue().policy.duties if d.id == "O1"]
    assert duty.recipients == ("scs_lead", "scs_childrens_lead", "psu", "occ")
    # UKVI's SCS lead is also its Children's Lead: told once (1.1 "if different").
    assert email.recipients == (BOOK.areas[BusinessArea.UKVI].scs_lead, BOOK.areas[BusinessArea.BORDER_FORCE].scs_lead,
                                BOOK.areas[BusinessArea.BORDER_FORCE].scs_childrens_lead, BOOK.psu, BOOK.occ)
    assert f"The Home Office is involved in a {walk.name} that is beginning." in email.body_text
    assert f"Review: {walk.name} ({walk.nation.label})" in email.body_text
    assert f"Board: Exampleshire LSCB – {walk.board}" in email.body_text
    assert review.history[0].detail.startswith(f"Review opened: {walk.name}, Exampleshire LSCB")


@BY_PACK
def test_every_event_moves_the_review_to_its_stage_and_only_from_the_stage_before(walk: Walk) -> None:
    review, _ = _opened(walk)
    pack = catalogue().pack(walk.pack_id)
    for index, (event_id, to_stage) in enumerate(walk.path):
        for later, _ in walk.path[index + 1:]:
            with pytest.raises(ReviewRuleError, match="cannot be recorded now"):
                play(review, _event(walk, later), day=walk.opened_on)
        review, [moved] = play(review, _event(walk, event_id), day=walk.opened_on)
        assert review.stage == stage_of(walk.pack_id, to_stage)
        label = next(e.label for e in pack.events if e.id == event_id)
        assert moved.history_entry.detail == f"{label} – now: {pack.stage(to_stage).label}"
        # Neither pack marks a point at which the Home Office sends a copy: its events send no email.
        assert moved.notifications == ()
        with pytest.raises(ReviewRuleError):
            play(review, _event(walk, event_id), day=walk.opened_on)
        assert review_from_dict(review_to_dict(review)) == review  # stored by the pack's stage id
    assert review.stage.is_terminal
    assert not {e.id for e in pack.events} & set(allowed_events(review))
    assert outstanding(review, walk.opened_on) == []
    assert {r.obligation_id: r.state for r in review.obligations}["completion"] is ObligationState.LAPSED
    assert all(pack.event_at(moment) is None for moment in Moment)


@BY_PACK
def test_an_overdue_duty_of_the_policy_is_escalated_to_the_scs_leads_under_the_packs_name(walk: Walk) -> None:
    review, _ = _opened(walk)
    weeks_later = date(2027, 1, 15)
    [secure] = [item for item in escalations_due(review, weeks_later, 3, 5, ()) if item.obligation.id == "O2"]
    email = escalation_email(review, [secure], weeks_later, BOOK, SETTINGS)
    assert email.subject == (f"OFFICIAL-SENSITIVE – {walk.name} – {walk.reference} – overdue: Secure all available "
                             "case records, and deal with PSU requests as a priority")
    assert email.to == (BOOK.areas[BusinessArea.UKVI].scs_lead, BOOK.areas[BusinessArea.BORDER_FORCE].scs_lead)
    assert f"on a {walk.name} the Home Office is involved in is overdue" in email.text


@BY_PACK
def test_a_lesson_under_either_pack_is_the_policys_duty_due_in_ten_working_days(walk: Walk) -> None:
    review, _ = _opened(walk, day=date(2026, 12, 18))
    review, _ = play(review, LessonIdentified(), day=date(2026, 12, 18))
    [lesson] = [r for r in review.obligations if r.obligation_id == "O11"]
    # Christmas Day, Boxing Day's substitute and New Year's Day do not count.
    assert lesson.due == date(2027, 1, 6)


@BY_PACK
def test_an_unset_timescale_has_no_date_says_so_and_is_never_reminded(walk: Walk) -> None:
    review, _ = _opened(walk)
    [completion] = [r for r in review.obligations if r.obligation_id == "completion"]
    assert completion.due is None
    assert catalogue().pack(walk.pack_id).timescale("completion").describe() == "not set"
    assert obligation_of(review, "completion").due.describe(ReviewSettings()) == "when set: its timescale is not set"
    assert f"{TIMESCALE_NOT_SET}: {walk.watched}." in [step.text for step in next_steps(review, walk.opened_on)]
    years_later = date(2029, 11, 26)
    reminded = {r.item.obligation.id for r in reminders_due(review, years_later, 3, ())}
    assert "O2" in reminded and "completion" not in reminded  # reminders run; the unset one has nothing due


@BY_PACK
def test_a_timescale_set_by_the_organisation_counts_its_months_and_skips_bank_holidays(walk: Walk) -> None:
    settings = ReviewSettings(framework_timescales={walk.pack_id: {"completion": walk.months}})
    review, _ = _opened(walk, settings=settings)
    assert not is_working_day(add_months(walk.opened_on, walk.months))  # a holiday really moves it
    [completion] = [r for r in review.obligations if r.obligation_id == "completion"]
    assert completion.due == walk.completion_due
    rule = obligation_of(review, "completion").due
    months = f"{walk.months} calendar month{'s' * (walk.months != 1)}"
    assert rule.describe(settings) == f"within {months} (set by your organisation)"
    day_after = date.fromordinal(walk.completion_due.toordinal() + 1)
    [reminder] = [r for r in reminders_due(review, day_after, 3, ()) if r.item.obligation.id == "completion"]
    assert reminder.period == f"overdue:{day_after.isoformat()}"
    # Another body's timescale the representative watches: reminded, never escalated to the SCS lead.
    weeks_later = date(walk.completion_due.year + 1, 1, 15)
    assert "completion" not in {item.obligation.id for item in escalations_due(review, weeks_later, 3, 5, ())}


@BY_PACK
def test_an_open_reviews_deadline_stays_as_it_was_when_the_setting_changes_later(walk: Walk) -> None:
    review, _ = _opened(walk)
    settings = ReviewSettings(framework_timescales={walk.pack_id: {"completion": walk.months}})
    review, _ = play(review, LessonIdentified(), day=walk.opened_on, settings=settings)
    assert [r.due for r in review.obligations if r.obligation_id == "completion"] == [None]


# --- Scotland's own paths ---------------------------------------------------------------------------

SCOTLAND_WALK = WALKS[0]


def test_the_committee_deciding_against_a_learning_review_ends_it() -> None:
    review, _ = _opened(SCOTLAND_WALK)
    review, [decided] = play(review, _event(SCOTLAND_WALK, "not_proceeding_decided"), day=SCOTLAND_WALK.opened_on)
    assert review.stage == stage_of(SCOTLAND, "not_proceeding") and review.stage.is_terminal
    assert "Learning Reviews decision" in decided.citations.text
    assert outstanding(review, SCOTLAND_WALK.opened_on) == []
    with pytest.raises(ReviewRuleError, match="cannot be recorded now"):
        play(review, _event(SCOTLAND_WALK, "review_decided"), day=SCOTLAND_WALK.opened_on)


def test_the_care_inspectorates_seven_days_are_calendar_days_fixed_by_the_source() -> None:
    outcome = catalogue().pack(SCOTLAND).timescale("outcome_notification")
    assert outcome.describe() == "7 calendar days"
    # Ratified on the Friday a week before Christmas: due on Christmas Day itself, not moved.
    assert outcome.due_from(date(2026, 12, 18)) == date(2026, 12, 25)
    # Ratified the day before Good Friday: Easter counts (7 working days would run to 7 April).
    assert outcome.due_from(date(2027, 3, 25)) == date(2027, 4, 1)
    with pytest.raises(ValueError, match="outcome_notification is 7 calendar days by its sources"):
        ReviewSettings(framework_timescales={SCOTLAND: {"outcome_notification": 14}})


@pytest.mark.xfail(strict=True, reason="the pack's 'ratified' stage is terminal, so the 7-day timescale that runs "
                                       "from ratification never arises on the review (reported, not fixed here)")
def test_ratification_starts_the_care_inspectorates_seven_days_on_the_review() -> None:
    review, _ = _opened(SCOTLAND_WALK, day=date(2027, 3, 1))
    review, _ = play(review, _event(SCOTLAND_WALK, "review_decided"), day=date(2027, 3, 2))
    review, _ = play(review, _event(SCOTLAND_WALK, "review_ratified"), day=date(2027, 3, 25))
    assert [r.due for r in review.obligations if r.obligation_id == "outcome_notification"] == [date(2027, 4, 1)]
