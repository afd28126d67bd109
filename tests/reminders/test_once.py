"""At most one reminder per obligation occurrence per period: across restarts, with two app
instances on one store, after a crash mid-send; and snoozing and marking done from the card."""

import asyncio
from datetime import date, time, timedelta

import pytest

from bot.review import (
    ActionPlanAgreed,
    ActionsConfirmedComplete,
    Approved,
    BoardDecision,
    BoardDecisionMade,
    Closed,
    NoImrReason,
    NoImrRequested,
    ObligationState,
    OverviewReportProduced,
    Published,
    TermsOfReferenceAgreed,
)
from tests.cards import button, forward_button, press, texts
from tests.reminders.conftest import OPENED
from tests.reminders.harness import Harness, digest_cards, duty, reminder_cards, seen
from tests.waiting import eventually

CHAIR = date(2026, 10, 19)
# What the first week of a review opened on Monday 2 Nov 2026 calls for (O1 same day, O2 in two
# working days), nothing marked done.
FIRST_WEEK = {
    date(2026, 11, 2): [("O1", "due_today"), ("O2", "due_soon")],
    date(2026, 11, 3): [("O1", "overdue")],
    date(2026, 11, 4): [("O1", "overdue"), ("O2", "due_today")],
    date(2026, 11, 5): [("O1", "overdue"), ("O2", "overdue")],
    date(2026, 11, 6): [("O1", "overdue"), ("O2", "overdue")],
}


def key(harness: Harness, review_id: str, instance_id: str, period: str) -> str:
    return f"reminder:{review_id}:{instance_id}:{period}:{harness.user_id}"


async def test_a_restarted_instance_sends_nothing_twice(harness: Harness) -> None:
    await harness.install()
    await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 0))
    _, received = await harness.tick()
    assert sorted(seen(received)) == FIRST_WEEK[OPENED] and len(digest_cards(received)) == 1

    await harness.scheduler.stop()
    restarted = harness.another_instance()
    harness.clock.set(OPENED, time(12, 0))
    _, received = await harness.tick(restarted)
    assert received == []

    harness.clock.set(OPENED + timedelta(days=1), time(9, 0))
    _, received = await harness.tick(restarted)
    assert seen(received) == FIRST_WEEK[OPENED + timedelta(days=1)]
    _, received = await harness.tick(restarted)
    assert received == []


async def test_two_instances_on_one_store_send_each_reminder_once(harness: Harness) -> None:
    await harness.install()
    await harness.open_review(came_to_chair_attention=CHAIR)
    first, second = harness.scheduler, harness.another_instance()
    by_first, by_second = [], []
    for round_number, (day, expected) in enumerate(FIRST_WEEK.items()):
        received_today = []
        for moment in (time(9, 0), time(9, 1), time(14, 0)):
            harness.clock.set(day, moment)
            # Each tick claims its whole batch in one transaction, so whichever starts first tends
            # to win it all: on the first two mornings each instance ticks alone, so both surely
            # take part; then both race every time, which one starts first alternating.
            if round_number < 2 and moment == time(9, 0):
                alone = (first, second)[round_number]
                (by_first if alone is first else by_second).extend((await alone.tick()).sent)
            else:
                if round_number % 2:
                    two, one = await asyncio.gather(second.tick(), first.tick())
                else:
                    one, two = await asyncio.gather(first.tick(), second.tick())
                by_first += one.sent
                by_second += two.sent
            received_today += harness.connector.take()
        assert sorted(seen(received_today)) == sorted(expected), day
    assert len(by_first + by_second) == len(set(by_first + by_second)) == 9
    assert by_first and by_second, "both instances took part"


async def test_a_claim_left_by_a_crashed_instance_is_retried_once_it_expires(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 0))
    o1 = key(harness, review.id, "O1-1", "due_today:2026-11-02")
    # Another instance claimed O1's reminder (10-minute lease) and died before marking it sent.
    assert harness.scheduler.ledger.claim(o1, harness.clock(), timedelta(minutes=10), "crashed")

    _, received = await harness.tick()
    assert seen(received) == [("O2", "due_soon")]

    harness.clock.set(OPENED, time(9, 9))
    _, received = await harness.tick()
    assert seen(received) == []
    harness.clock.set(OPENED, time(9, 11))
    _, received = await harness.tick()
    assert seen(received) == [("O1", "due_today")]
    _, received = await harness.tick()
    assert received == []


@pytest.mark.parametrize("reminder_env", [{"REMINDER_INTERVAL_SECONDS": "0.005", "REMINDERS_ENABLED": "true"}])
async def test_the_running_loop_sends_once_however_often_it_ticks(harness: Harness) -> None:
    """The app started the loop itself; it keeps ticking while the review is opened."""
    await harness.install()
    await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 30))
    scheduler = harness.scheduler
    before = scheduler.ticks_run

    await eventually(lambda: scheduler.ticks_run >= before + 5, what="five ticks of the loop")
    await scheduler.stop()

    received = harness.connector.take()
    assert sorted(seen(received)) == FIRST_WEEK[OPENED]
    assert len(digest_cards(received)) == 1
    ticks = scheduler.ticks_run
    await asyncio.sleep(0.01)
    assert scheduler.ticks_run == ticks, "stopped"


async def test_snoozing_from_the_card_skips_reminders_until_the_date(harness: Harness) -> None:
    await harness.install()
    await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 0))
    _, received = await harness.tick()
    o1_card = next(card for card in reminder_cards(received) if duty(card) == "O1")

    harness.clock.set(OPENED, time(10, 0))
    answered = await harness.teams.submit(press(o1_card, button(o1_card, "Snooze 2 working days")))
    assert "until Wednesday 4 November 2026" in answered[0].text

    harness.clock.set(date(2026, 11, 3), time(9, 0))
    _, received = await harness.tick()
    assert seen(received) == [], "O1 would be overdue today, but it is snoozed"
    outstanding = await harness.teams.say("outstanding")
    assert "reminders snoozed until Wed 4 Nov 2026" in texts(outstanding[0].cards[0])

    harness.clock.set(date(2026, 11, 4), time(9, 0))
    _, received = await harness.tick()
    assert sorted(seen(received)) == FIRST_WEEK[date(2026, 11, 4)]


async def test_mark_as_done_from_the_card_stops_its_reminders_and_a_second_press_changes_nothing(
    harness: Harness
) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 0))
    _, received = await harness.tick()
    o2_card = next(card for card in reminder_cards(received) if duty(card) == "O2")

    first = await harness.teams.submit(press(o2_card, forward_button(o2_card)))
    again = await harness.teams.submit(press(o2_card, forward_button(o2_card)))

    assert first[0].text == f"Marked done on {review.reference}."
    assert (await harness.service.review(harness.user_id, review.id)).obligation("O2-1").state is ObligationState.DONE
    # Said in the card's words: the duty's title, never the internal occurrence id.
    assert again[0].text == (
        "Nothing was changed: \u201cSecure all available case records, and deal with PSU requests as a priority\u201d"
        " is already done."
    )
    assert len(again) == 1, "a second press shows nothing more"
    for day in (date(2026, 11, 3), date(2026, 11, 4)):
        harness.clock.set(day, time(9, 0))
        _, received = await harness.tick()
        assert "O2" not in [ob for ob, _ in seen(received)]


async def test_an_emailed_duty_is_never_marked_done_by_hand(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(9, 0))
    _, received = await harness.tick()
    o1_card = next(card for card in reminder_cards(received) if duty(card) == "O1")

    assert "Mark as done" not in [action["title"] for action in o1_card["actions"]]
    assert "met when the bot's email is sent" in texts(o1_card)
    tampered = await harness.teams.submit({"verb": "obligation_done", "review_id": review.id, "instance_id": "O1-1"})

    assert "cannot be marked done by hand" in tampered[0].text
    assert (await harness.service.review(harness.user_id, review.id)).obligation("O1-1").state is ObligationState.OPEN


async def test_without_a_representative_every_member_is_reminded(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR, representative=False, members=("colleague-2",))
    harness.clock.set(OPENED, time(9, 0))

    report, received = await harness.tick()

    assert sorted(seen(received)) == FIRST_WEEK[OPENED]
    # The colleague never installed the app: theirs wait, unclaimed, for a conversation.
    assert sorted(report.no_conversation) == sorted([
        key(harness, review.id, "O1-1", "due_today:2026-11-02").replace(harness.user_id, "colleague-2"),
        key(harness, review.id, "O2-1", "due_soon:2026-11-04").replace(harness.user_id, "colleague-2"),
        "digest:2026-W45:colleague-2",
    ])


async def test_nobody_is_reminded_of_an_email_the_bot_is_still_sending_until_it_fails(harness: Harness) -> None:
    await harness.install()
    await harness.open_review(came_to_chair_attention=CHAIR, emails_fail=False)

    harness.clock.set(OPENED, time(9, 0))
    _, received = await harness.tick()
    assert seen(received) == [("O2", "due_soon")]
    digest = texts(digest_cards(received)[0])
    assert "Notify the SCS lead" in digest and "Being sent by the bot" in digest
    assert "4 items across 1 review; 1 overdue or due soon. 1 being sent by the bot." in digest

    harness.clock.set(OPENED + timedelta(days=1), time(9, 0))
    _, received = await harness.tick()
    assert seen(received) == []

    await harness.fail_emails()
    harness.clock.set(OPENED + timedelta(days=1), time(10, 0))
    _, received = await harness.tick()
    assert seen(received) == [("O1", "overdue")]


async def test_the_daily_housekeeping_removes_a_review_whose_retention_has_run_out(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(8, 0))
    for event in (BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW), TermsOfReferenceAgreed(),
                  NoImrRequested(reason=NoImrReason.LIMITED_INVOLVEMENT), OverviewReportProduced(),
                  ActionPlanAgreed(), Approved(), Published(copy_sent_before=True), ActionsConfirmedComplete(),
                  Closed()):
        await harness.record(review, event)

    harness.clock.set(date(2032, 11, 1), time(9, 0))  # six years after closing, less a day
    await harness.tick()
    assert [r.id for r in (await harness.service.all_reviews())] == [review.id]
    harness.clock.set(date(2032, 11, 2), time(9, 0))
    await harness.tick()

    assert (await harness.service.all_reviews()) == []
    assert harness.mail.status_for_review(review.id) == []
