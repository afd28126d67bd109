"""A Child Safeguarding Practice Review (england-cspr-2023) over real HTTP, as a representative
meets it: opened under the pack in force, guided through the rapid review by the review card's one
forward button, the agency summary's copy emailed through (a fake) Microsoft Graph with the pack's
name in the subject, the partners' timescale reminded as theirs, and the LCSPR decision reached."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from bot.config import Settings
from bot.mail.graph_sender import GraphMailSender
from bot.review.working_days import add_working_days, uk_date
from tests.cards import fill_by_label, forward_button, inputs, press, texts
from tests.clock import FakeClock
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import IN_FORCE, only_card, open_and_show
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import FakeGraph, StaticTokenCredential
from tests.teams_client import TeamsClient
from tests.waiting import eventually

SUBJECT = "OFFICIAL-SENSITIVE – Child Safeguarding Practice Review – LSCB-2026-014 – {}"
LESSONS_LEARNED = "lessons.learned@example.gov.uk"
SUMMARY_LINK = "https://example.sharepoint.com/:w:/s/cspr/EaGeNcYsUmMaRy00000003"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC))


@pytest.fixture
async def cspr_bot(make_settings: Callable[..., Settings], graph: FakeGraph, clock: FakeClock
                   ) -> AsyncIterator[RunningBot]:
    sender = GraphMailSender(graph.mailbox, StaticTokenCredential(), base_url=graph.base_url, request_timeout=5)
    bot = await RunningBot(make_settings(REMINDERS_ENABLED="false"), mail_sender=sender, clock=clock).start()
    yield bot
    await bot.stop()


def _subjects(graph: FakeGraph) -> list[str]:
    return [message.body["subject"] for message in graph.delivered]


async def _record_forward(teams: TeamsClient, card: dict[str, Any], button: str,
                          answers: dict[str, str]) -> dict[str, Any]:
    """Presses the review card's forward button, which must be `button`, fills its form and
    returns the review card that follows."""
    assert forward_button(card)["title"] == button
    form = only_card(await teams.submit(press(card, forward_button(card))))
    replies = await teams.submit(press(form, forward_button(form), fill_by_label(form, answers)))
    return only_card(replies[1:])


async def test_a_rapid_review_is_guided_to_the_lcspr_decision_with_the_right_emails_and_reminders(
    cspr_bot: RunningBot, connector: FakeConnector, graph: FakeGraph, clock: FakeClock
) -> None:
    teams = TeamsClient(cspr_bot, connector)
    today = uk_date(clock())
    card = await open_and_show(teams, **IN_FORCE)
    shown = texts(card)
    assert "Serious incident notified – rapid review to begin" in shown
    assert "Waiting on the local authority: Notify the Child Safeguarding Practice Review Panel" in shown
    assert "Send the Home Office agency summary to the safeguarding partners" in shown
    assert "No date: the timescale is not set" in shown
    # The 2016 process's board decision is not this framework's: its own is a milestone to come.
    assert "Case came to the attention of the safeguarding partners" in shown and "Decision to proceed" not in shown
    assert "Safeguarding partners" in shown
    await eventually(lambda: _subjects(graph) == [SUBJECT.format("review opened")], what="the opening email")

    card = await _record_forward(teams, card, "Record: Rapid review started", {"date": today.isoformat()})
    assert "Rapid review under way – agency summaries being gathered" in texts(card)
    # The organisation policy's steps before the report goes (1.5): consult the areas it refers to, then CID.
    card = await _record_forward(teams, card, "Record business areas consulted", {
        "date": today.isoformat(), "business areas referred to in the report": "border_force"})
    await eventually(lambda: SUBJECT.format("consultation on the Home Office's report") in _subjects(graph),
                     what="the consultation email")
    card = await _record_forward(teams, card, "Record consultation confirmed on CID", {"date": today.isoformat()})

    form_button = forward_button(card)["title"]
    assert form_button == "Record: Home Office agency summary sent"
    form = only_card(await teams.submit(press(card, forward_button(card))))
    assert "a copy of the Home Office's report" in texts(form)
    link = next(label for label in (node.get("label", "") for node in inputs(form).values()) if "link" in label.lower())
    replies = await teams.submit(press(form, forward_button(form), fill_by_label(form, {
        "date": today.isoformat(), link: SUMMARY_LINK})))
    assert "Recorded on LSCB-2026-014: Home Office agency summary sent" in replies[0].text
    await eventually(lambda: SUBJECT.format("Home Office agency summary sent") in _subjects(graph),
                     what="the agency summary's copy to Lessons Learned")
    [sent] = [message for message in graph.delivered if "agency summary sent" in message.body["subject"]]
    assert LESSONS_LEARNED in {r["emailAddress"]["address"] for r in sent.body["toRecipients"]}
    assert SUMMARY_LINK in sent.body["body"]["content"]

    # The day the partners' rapid review is due: the representative is reminded, as the partners' to watch.
    review = stored_review(cspr_bot, teams.person)[0]
    due = next(record.due for record in review.obligations if record.obligation_id == "rapid_review")
    # Counted from the day the case came to the partners' attention (the nearest to the notification).
    assert due == add_working_days(review.key_dates.came_to_chair_attention, 15)
    clock.set(due, time(10, 0))
    connector.take()
    await cspr_bot.parts.scheduler.tick()
    reminded = "\n".join(texts(card) for activity in connector.take() for card in activity.cards)
    assert "Waiting on the safeguarding partners: Complete the rapid review and send it to the Panel" in reminded
    assert "Due today" in reminded

    card = only_card(await teams.say("show LSCB-2026-014"))
    card = await _record_forward(teams, card, "Record: Rapid review completed and sent to the Panel",
                                 {"date": due.isoformat()})
    shown = texts(card)
    assert "Rapid review sent to the Panel – the partners' decision on an LCSPR awaited" in shown
    for decision in ("The partners decided to hold an LCSPR", "The partners decided not to hold an LCSPR",
                     "The Panel decided on a national review"):
        assert f"Record: {decision}" in shown
    assert "Waiting on the safeguarding partners" not in shown

    clock.set(date.fromordinal(due.toordinal() + 1), time(10, 0))
    await cspr_bot.parts.scheduler.tick()
    later = "\n".join(texts(card) for activity in connector.take() for card in activity.cards)
    assert "Complete the rapid review" not in later
