"""The reminder, "what you owe" and agenda cards, the agenda and escalation emails, settings."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import SettingsError
from bot.reminders import ReminderSettings, digest_week, in_working_hours
from bot.review import (
    BoardDecision,
    BoardDecisionMade,
    ImrAuthorAnswers,
    ImrCompleted,
    LessonIdentified,
    TermsOfReferenceAgreed,
)
from tests.card_rules import activity_cards, named_problems
from tests.cards import forward_button, press, texts
from tests.reminders.conftest import OPENED
from tests.reminders.harness import Harness, duty, fact, reminder_cards

CHAIR = date(2026, 10, 19)


class Replies:
    """A turn context as far as the commands use one; it checks each card as the fake connector does."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send_activity(self, activity: Any) -> None:
        assert [problem for card in activity_cards([activity]) for problem in named_problems(card)] == []
        self.sent.append(activity)

    @property
    def card(self) -> dict[str, Any]:
        [activity] = self.sent
        return activity.attachments[0].content


def title_of(card: dict[str, Any]) -> str:
    return next(node["text"] for node in card["body"] if node.get("style") == "heading")


async def test_the_reminder_card_says_what_when_why_and_offers_one_way_forward(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED + timedelta(days=1), time(9, 0))

    _, received = await harness.tick()

    [card] = [c for c in reminder_cards(received) if duty(c) == "O1"]
    shown = texts(card)
    assert card["version"] == "1.5"
    assert "Notify the SCS lead" in shown and "Overdue: was due Mon 2 Nov 2026 (1 working day ago)" in shown
    assert review.reference in shown and "Referred \u2013 awaiting the board's decision" in shown
    assert fact(card, "Status") == "Overdue" and "para 1.1, 5.2, 7.1, 7.4.2, 9.1" in shown
    # An emailed duty is met when its email goes: the way forward is the review, with its Retry.
    assert forward_button(card)["data"] == {"verb": "show_review", "review_id": review.id}
    assert [a["data"] for a in card["actions"]] == [
        {"verb": "snooze", "review_id": review.id, "instance_id": "O1-1"},
        {"verb": "show_review", "review_id": review.id},
    ]
    [o2] = [c for c in reminder_cards(received) if duty(c) == "O2"]
    assert forward_button(o2)["data"] == {"verb": "obligation_done", "review_id": review.id, "instance_id": "O2-1"}
    # The notification text: the duty in words, never its id.
    assert received[0].body["speak"] == f"Overdue: {title_of(card)} on review {review.reference}"
    assert "O1" not in texts(card) and "O2" not in texts(o2)


async def test_outstanding_lists_everything_owed_across_reviews(harness: Harness) -> None:
    await harness.install()
    first = await harness.open_review(came_to_chair_attention=CHAIR)
    second = await harness.open_review(came_to_chair_attention=CHAIR, areas=("border_force",))
    harness.clock.set(OPENED + timedelta(days=3), time(11, 0))
    replies = Replies()

    await harness.commands.show_outstanding(replies, harness.user_id)

    shown = texts(replies.card)
    assert "10 items across 2 reviews; 4 overdue or due soon." in shown
    assert f"Open {first.reference}" in shown and f"Open {second.reference}" in shown
    assert "Secure all available case records" in shown and "Overdue: was due Wed 4 Nov 2026" in shown
    assert "Ongoing" in shown  # O7 / O15; O3 was met by recording the representative at opening

    nobody = Replies()
    await harness.commands.show_outstanding(nobody, "someone-else")
    assert "Nothing is outstanding on your reviews." in texts(nobody.card)


async def test_the_agenda_by_stage_and_its_email_to_the_childrens_leads(harness: Harness) -> None:
    await harness.install()
    ukvi = await harness.open_review(came_to_chair_attention=CHAIR)
    both = await harness.open_review(came_to_chair_attention=CHAIR, areas=("border_force", "ukvi"))
    harness.clock.set(date(2026, 11, 24), time(11, 0))
    replies = Replies()

    await harness.commands.show_agenda(replies, harness.user_id, email=True)

    shown = texts(replies.card)
    assert "Referred \u2013 awaiting the board's decision" in shown
    assert f"Serious Case Review {ukvi.reference} (UK Visas and Immigration)" in shown
    assert "Board decision on whether to hold a review: Overdue" in shown
    assert "7.3.1, 7.3.2" in shown
    assert "to: bf.childrens.lead@example.gov.uk, ukvi.scs.lead@example.gov.uk" in shown
    outbox = harness.mail.status_for_keys("reminders:agenda:")
    assert {item.to for item in outbox} == {("bf.childrens.lead@example.gov.uk",), ("ukvi.scs.lead@example.gov.uk",)}
    subject = "OFFICIAL-SENSITIVE \u2013 Serious Case Review \u2013 agenda \u2013 24 November 2026"
    assert {item.subject for item in outbox} == {subject}
    with harness.store.transaction() as session:
        rows = {record.document["email"]["to"][0]: record.document["email"]
                for record in session.starting_with("outbox", "reminders:agenda:")}
    bf = rows["bf.childrens.lead@example.gov.uk"]
    assert both.reference in bf["text"] and ukvi.reference not in bf["text"], "each lead sees their areas only"
    assert "SCS Children&#x27;s Leads" in bf["html"] and "<script" not in bf["html"]
    assert "rep@example.gov.uk" not in bf["text"] and "Test Representative" not in bf["text"]

    await harness.commands.show_agenda(Replies(), harness.user_id, email=True)
    assert len(harness.mail.status_for_keys("reminders:agenda:")) == 2, "the same agenda goes once a day"


@pytest.mark.parametrize("reminder_env", [{"REMINDER_ESCALATE_AFTER_WORKING_DAYS": "2"}])
async def test_escalation_emails_the_scs_lead_once_per_overdue_obligation(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    escalated_on = {}
    for offset in range(8):
        harness.clock.set(OPENED + timedelta(days=offset), time(9, 0))
        report, _ = await harness.tick()
        for key in report.escalated:
            escalated_on[key] = OPENED + timedelta(days=offset)
        harness.clock.set(OPENED + timedelta(days=offset), time(15, 0))
        await harness.tick()

    prefix = f"reminders:escalation:{review.id}:"
    assert escalated_on == {prefix + "O1-1": date(2026, 11, 4), prefix + "O2-1": date(2026, 11, 6)}
    outbox = harness.mail.status_for_keys("reminders:escalation:")
    assert len(outbox) == 2
    assert all(item.to == ("ukvi.scs.lead@example.gov.uk",) for item in outbox)
    assert {item.subject for item in outbox} == {
        f"OFFICIAL-SENSITIVE \u2013 Serious Case Review \u2013 {review.reference} \u2013 overdue: {duty}"
        for duty in ("Notify the SCS lead, the SCS Children's Lead (if different), PSU and OCC by email",
                     "Secure all available case records, and deal with PSU requests as a priority")
    }


def test_settings_defaults_and_overrides() -> None:
    default = ReminderSettings.from_env({})
    assert (default.interval_seconds, default.workday_start, default.workday_end) == (300.0, time(9), time(17))
    assert default.due_soon_working_days is None and default.escalate_after_working_days is None
    custom = ReminderSettings.from_env({
        "REMINDER_INTERVAL_SECONDS": "60", "REMINDER_WORKING_HOURS": "08:30-16:00",
        "REMINDER_DUE_SOON_WORKING_DAYS": "0", "REMINDER_ESCALATE_AFTER_WORKING_DAYS": "5",
        "REMINDER_WEEKLY_DIGEST": "off",
    })
    assert (custom.interval_seconds, custom.workday_start, custom.workday_end) == (60.0, time(8, 30), time(16))
    assert (custom.due_soon_working_days, custom.escalate_after_working_days, custom.weekly_digest) == (0, 5, False)
    off = ReminderSettings.from_env({"REMINDER_ESCALATE_AFTER_WORKING_DAYS": "off"})
    assert off.escalate_after_working_days is None


@pytest.mark.parametrize("env", [
    {"REMINDER_INTERVAL_SECONDS": "soon"}, {"REMINDER_INTERVAL_SECONDS": "0"},
    {"REMINDER_WORKING_HOURS": "17:00-09:00"}, {"REMINDER_WORKING_HOURS": "9 to 5"},
    {"REMINDER_TIMEZONE": "Mars/Olympus"}, {"REMINDER_ESCALATE_AFTER_WORKING_DAYS": "-1"},
    {"REMINDERS_ENABLED": "perhaps"},
])
def test_unusable_settings_name_the_variable(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="REMINDER"):
        ReminderSettings.from_env(env)


def test_the_digest_goes_on_the_first_working_day_of_the_week() -> None:
    assert digest_week(date(2026, 11, 2)) == "2026-W45"
    assert digest_week(date(2026, 11, 3)) is None
    assert digest_week(date(2026, 12, 28)) is None  # bank holiday Monday
    assert digest_week(date(2026, 12, 29)) is not None


async def test_agenda_over_teams_then_its_email_button(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(date(2026, 11, 24), time(11, 0))

    [shown] = await harness.teams.say("agenda")
    card = shown.cards[0]
    assert review.reference in texts(card) and harness.mail.status_for_keys("reminders:") == []

    [emailed] = await harness.teams.submit(press(card, forward_button(card)))

    assert "Queued by email" in texts(emailed.cards[0])
    assert not emailed.cards[0].get("actions"), "no second email button once sent"
    assert [item.to for item in harness.mail.status_for_keys("reminders:agenda:")] == [
        ("ukvi.scs.lead@example.gov.uk",)]


async def test_a_reminder_headline_says_its_status_once(harness: Harness) -> None:
    await harness.install()
    await harness.open_review(came_to_chair_attention=CHAIR)
    headlines = []
    for day in (OPENED, OPENED + timedelta(days=1)):
        harness.clock.set(day, time(9, 0))
        _, received = await harness.tick()
        headlines += [card["body"][2]["items"][0]["text"] for card in reminder_cards(received)]
        # The facts agree with the headline: a duty due today is not just "due soon".
        for card in reminder_cards(received):
            assert card["body"][2]["items"][0]["text"].startswith(fact(card, "Status")), texts(card)

    assert sorted(headlines) == ["Due soon \u2014 due by Wed 4 Nov 2026", "Due today",
                                 "Overdue: was due Mon 2 Nov 2026 (1 working day ago)"]


def test_working_hours_ending_at_24_00_cover_every_hour_of_a_working_day() -> None:
    settings = ReminderSettings.from_env({"REMINDER_WORKING_HOURS": "00:00-24:00"})
    monday = datetime(2026, 11, 2, tzinfo=ZoneInfo("Europe/London"))
    for moment in (monday, monday.replace(hour=23, minute=59, second=59, microsecond=999_999)):
        assert in_working_hours(moment, settings), moment
    assert not in_working_hours(monday.replace(day=1, hour=12), settings), "Sunday"


async def test_para_1_6_a_copy_waiting_for_its_document_is_reminded_as_such(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    harness.clock.set(OPENED, time(8, 0))
    for event in (BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW), TermsOfReferenceAgreed(),
                  ImrCompleted(author=ImrAuthorAnswers(True, True, True, True))):
        await harness.record(review, event)
    harness.clock.set(OPENED + timedelta(days=1), time(9, 0))

    _, received = await harness.tick()

    [card] = [c for c in reminder_cards(received) if duty(c) == "O6"]
    assert "Send a copy of the completed IMR" in texts(card)
    assert "Its email waits for the document" in texts(card) and "Add the document to send" in texts(card)
    assert forward_button(card)["data"] == {"verb": "show_review", "review_id": review.id}


async def test_a_reminder_for_a_duty_an_event_meets_offers_no_mark_as_done(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR, representative=False)
    harness.clock.set(OPENED + timedelta(days=16), time(9, 0))  # the board's decision (O13) is overdue

    _, received = await harness.tick()

    [card] = [card for card in reminder_cards(received) if "Board decision on whether to hold" in texts(card)]
    assert "obligation_done" not in [action["data"]["verb"] for action in card["actions"]]
    assert forward_button(card)["data"] == {"verb": "show_review", "review_id": review.id}
    assert "record it on the review card" in texts(card)


@pytest.mark.parametrize("reminder_env", [{"REMINDER_ESCALATE_AFTER_WORKING_DAYS": "1"}])
async def test_escalations_of_one_review_in_one_sweep_are_one_email(harness: Harness) -> None:
    await harness.install()
    review = await harness.open_review(came_to_chair_attention=CHAIR)
    await harness.record(review, BoardDecisionMade(decision=BoardDecision.PROCEED_WITH_STATUTORY_REVIEW))
    for _ in range(15):
        await harness.record(review, LessonIdentified())
    # The lessons (O11, 10 working days) are overdue by one on Tue 17 Nov; O1 and O2 long before.
    harness.clock.set(date(2026, 11, 17), time(9, 0))

    report, _ = await harness.tick()

    assert report.escalated == [f"reminders:escalation:{review.id}:O1-1"]
    [email] = harness.mail.status_for_keys("reminders:escalation:")
    assert email.to == ("ukvi.scs.lead@example.gov.uk",)
    assert email.subject.endswith(f"{review.reference} \u2013 17 obligations overdue")
    claim = harness.mail.claim_next("test", timedelta(minutes=5))
    assert claim is not None and claim.email.key == email.key
    assert claim.email.text.count("- Act on the lesson identified now") == 15
    assert "- Secure all available case records" in claim.email.text and "- Notify the SCS lead" in claim.email.text
    harness.mail.mark_failed(claim, "kept out of the way of the next sweep")
    # Never twice: the next sweeps escalate nothing more.
    harness.clock.set(date(2026, 11, 18), time(9, 0))
    assert (await harness.tick())[0].escalated == []
    assert len(harness.mail.status_for_keys("reminders:escalation:")) == 1
