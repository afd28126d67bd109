"""A review walked from opening through six months of days, through the real scheduler and the
real CloudAdapter posting to the fake connector: each expected reminder arrives exactly once, on
a working day, at the first tick inside working hours, and stops once the obligation is done."""

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from bot.review import (
    ActionPlanAgreed,
    Approved,
    BoardDecision,
    BoardDecisionMade,
    NoImrReason,
    NoImrRequested,
    ObligationDone,
    OverviewReportProduced,
    TermsOfReferenceAgreed,
)
from tests.cards import texts
from tests.clock import LONDON
from tests.reminders.conftest import OPENED
from tests.reminders.harness import Harness, digest_cards, duty, reminder_cards, seen

WALK_END = date(2027, 5, 27)
# Before hours, the start of hours, the last minute of hours, the end of hours (exclusive).
TICKS = (time(7, 0), time(9, 0), time(16, 59), time(17, 0))
CHAIR = date(2026, 10, 19)  # O13: the board decides within a month, by Thu 19 Nov 2026
DECIDED = date(2026, 11, 24)  # O12: review completed within six months, by Mon 24 May 2027

# Worked out by hand from RULES.md and the defaults (O1 same day, O2 two working days, due soon
# = within 3 working days), not by calling the code under test.
EXPECTED_REMINDERS = [
    (date(2026, 11, 2), "O1", "due_today"),
    (date(2026, 11, 2), "O2", "due_soon"),
    (date(2026, 11, 3), "O1", "overdue"),
    (date(2026, 11, 4), "O1", "overdue"),  # then its email goes at last, at noon
    (date(2026, 11, 4), "O2", "due_today"),
    (date(2026, 11, 5), "O2", "overdue"),
    (date(2026, 11, 6), "O2", "overdue"),  # marked done on Monday 9th before hours
    (date(2026, 11, 16), "O13", "due_soon"),
    (date(2026, 11, 19), "O13", "due_today"),
    (date(2026, 11, 20), "O13", "overdue"),
    (date(2026, 11, 23), "O13", "overdue"),  # the board decides on the 24th: O13 met, O12 starts
    (date(2027, 5, 19), "O12", "due_soon"),
    (date(2027, 5, 24), "O12", "due_today"),
    (date(2027, 5, 25), "O12", "overdue"),
    (date(2027, 5, 26), "O12", "overdue"),  # the board approves that afternoon
]
# The first working day of each week: Mondays, except after the bank holidays of
# Mon 28 Dec 2026 (Boxing Day substitute), Easter Monday 29 Mar 2027 and Mon 3 May 2027.
BANK_HOLIDAY_MONDAYS = {date(2026, 12, 28), date(2027, 3, 29), date(2027, 5, 3)}


def expected_digest_days() -> list[date]:
    mondays = [OPENED + timedelta(weeks=n) for n in range((WALK_END - OPENED).days // 7 + 1)]
    return [monday + timedelta(days=1) if monday in BANK_HOLIDAY_MONDAYS else monday for monday in mondays]


async def test_six_months_of_reminders_each_once_on_working_days_in_working_hours(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)  # Monday 2 Nov, 08:00
    latest_card: dict[str, dict] = {}

    async def o1_email_goes_at_last() -> None:
        card = latest_card["O1"]
        assert "Mark as done" not in [action["title"] for action in card["actions"]], \
            "an emailed duty is met when its email goes, never by hand"
        [email] = [n for n in (await harness.service.review(harness.user_id, review.id)).notifications
                   if n.obligation_id == "O1"]
        sent = harness.mail.get(email.key)
        assert sent is not None
        await harness.service.email_sent(sent)

    async def record(event: object) -> None:
        await harness.record(review, event)  # type: ignore[arg-type]

    async def o12_done() -> None:
        # The review completed is seen, not marked by hand: the milestones up to the board's approval.
        for milestone in (TermsOfReferenceAgreed(), NoImrRequested(reason=NoImrReason.LIMITED_INVOLVEMENT),
                          OverviewReportProduced(), ActionPlanAgreed(), Approved()):
            await record(milestone)

    events: dict[tuple[date, time], Callable[[], Awaitable[None]]] = {
        (date(2026, 11, 4), time(12, 0)): o1_email_goes_at_last,
        (date(2026, 11, 9), time(8, 0)): lambda: record(ObligationDone(instance_id="O2-1")),
        (DECIDED, time(8, 30)): lambda: record(
            BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW, on=DECIDED)),
        (date(2027, 5, 26), time(16, 0)): o12_done,
    }

    reminders: list[tuple[datetime, str, str]] = []
    digests: list[datetime] = []
    every_card_text: list[str] = []
    day = OPENED
    while day <= WALK_END:
        for moment in sorted(set(TICKS) | {t for d, t in events if d == day}):
            harness.clock.set(day, moment)
            if (day, moment) in events:
                await events[(day, moment)]()
            if moment not in TICKS:
                continue
            report, received = await harness.tick()
            assert not (report.failed or report.gone or report.no_conversation), report
            at = harness.clock.local
            for card in reminder_cards(received):
                latest_card[duty(card)] = card
            reminders += [(at, obligation, kind) for obligation, kind in seen(received)]
            digests += [at for _ in digest_cards(received)]
            every_card_text += [texts(card) for activity in received for card in activity.cards]
        day += timedelta(days=1)

    nine = time(9, 0)
    assert sorted((at.date(), ob, kind) for at, ob, kind in reminders) == sorted(EXPECTED_REMINDERS)
    assert all(at.time() == nine and at.tzinfo == LONDON for at, _, _ in reminders), \
        "each is sent at the first tick inside working hours, London time (GMT and BST)"
    assert [at.date() for at in digests] == expected_digest_days()
    assert all(at.time() == nine for at in digests)
    assert (await harness.service.review(harness.user_id, review.id)).obligation("O1-1").done_on == date(2026, 11, 4)
    # Data care: references only, never a person's name or email.
    assert every_card_text and not any("Test Representative" in text or "rep@example.gov.uk" in text
                                       for text in every_card_text)
    # Escalation is off by default: no reminder email was queued.
    assert harness.mail.status_for_keys("reminders:") == []
