"""An email Graph refuses for good is shown to the user at once in Teams, with the reason and a
retry; retrying after the cause is fixed delivers it once and meets the obligation."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from bot.config import Settings
from bot.mail.graph_sender import GraphMailSender
from bot.mail.queue import FAILED, MailQueue
from bot.review import is_working_day
from tests.cards import forward_button, press, texts
from tests.clock import FakeClock
from tests.conftest import RunningBot
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector, ReceivedActivity
from tests.fakes.fake_graph import FakeGraph, StaticTokenCredential
from tests.teams_client import TeamsClient
from tests.waiting import eventually


def _sending_to(graph: FakeGraph, settings: Settings, **options: Any) -> RunningBot:
    sender = GraphMailSender(graph.mailbox, StaticTokenCredential(), base_url=graph.base_url, request_timeout=5)
    return RunningBot(settings, mail_sender=sender, **options)


@pytest.fixture
async def graph_bot(make_settings: Callable[..., Settings], graph: FakeGraph) -> AsyncIterator[RunningBot]:
    bot = await _sending_to(graph, make_settings()).start()
    yield bot
    await bot.stop()


async def _installed(bot: RunningBot, connector: FakeConnector) -> TeamsClient:
    teams = TeamsClient(bot, connector)
    await teams.post(teams.activity("installationUpdate", action="add"))
    connector.take()
    return teams


async def _card_titled(connector: FakeConnector, start: str) -> dict[str, Any]:
    """Waits (boundedly) for the app's mail worker to make the bot post a card proactively."""
    def arrived() -> tuple[ReceivedActivity, dict[str, Any]] | None:
        return next(((activity, card) for activity in connector.received for card in activity.cards
                     if card["body"][0]["text"].startswith(start)), None)

    activity, card = await eventually(arrived, what=f"a card starting {start!r}")
    connector.received.remove(activity)
    return card


async def test_a_refused_email_is_reported_in_teams_and_a_retry_sends_it_once(
    graph_bot: RunningBot, graph: FakeGraph, connector: FakeConnector
) -> None:
    teams = await _installed(graph_bot, connector)
    graph.fail_next(403, route="create", code="ErrorAccessDenied")
    await open_review(teams)

    notice = await _card_titled(connector, "Email not sent")

    shown = texts(notice)
    assert "Serious Case Review – LSCB-2026-014 – review opened" in shown
    assert "Reason: The app may not use the sender mailbox (403 ErrorAccessDenied)" in shown
    assert graph.delivered == []
    # Its advice is what the bot allows: retry (its button), never mark the duty done by hand.
    assert "cannot be marked done by hand" in shown and "press Retry sending" in shown
    assert forward_button(notice)["title"] == "Retry sending"
    review_id = forward_button(notice)["data"]["key"].split(":")[0]
    [refused] = await teams.submit({"verb": "obligation_done", "review_id": review_id, "instance_id": "O1-1"})
    assert "cannot be marked done by hand" in refused.text

    replies = await teams.submit(press(notice, forward_button(notice)))

    assert "try sending that email again" in replies[0].text
    await eventually(lambda: graph.delivered, what="the retried email delivered")
    assert len(graph.delivered) == 1



async def test_a_failed_escalation_is_told_to_the_review_and_a_retry_sends_it_once(
    make_settings: Callable[..., Settings], graph: FakeGraph, connector: FakeConnector
) -> None:
    day = date.today() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    clock = FakeClock(datetime.now(UTC))
    clock.set(day, time(10, 0))
    settings = make_settings(REMINDERS_ENABLED="false", REMINDER_ESCALATE_AFTER_WORKING_DAYS="1")
    bot = await _sending_to(graph, settings, clock=clock).start()
    try:
        teams = await _installed(bot, connector)
        await open_review(teams)
        opening = len(await eventually(graph.delivered_keys, what="the opening emails delivered"))
        connector.take()

        # Securing the case records (O2, 1.3) is left undone until it is overdue and escalated to the
        # SCS lead (7.3.3); Graph refuses the escalation for good.
        graph.fail_next(403, route="create", code="ErrorAccessDenied")
        escalated: list[str] = []
        while not escalated:
            day += timedelta(days=1)
            clock.set(day, time(10, 0))
            escalated = (await bot.parts.scheduler.tick()).escalated
        notice = await _card_titled(connector, "Email not sent")
        connector.take()  # the reminders the same sweeps posted

        assert "Serious Case Review – LSCB-2026-014 – overdue: Secure all available case records" in texts(notice)
        assert len(graph.delivered_keys()) == opening

        replies = await teams.submit(press(notice, forward_button(notice)))

        assert "try sending that email again" in replies[0].text
        await eventually(lambda: len(graph.delivered_keys()) > opening, what="the retried escalation delivered")
        assert graph.delivered_keys()[opening:] == escalated
    finally:
        await bot.stop()


async def test_the_agenda_asked_for_again_retries_its_failed_email(
    graph_bot: RunningBot, graph: FakeGraph, connector: FakeConnector
) -> None:
    teams = await _installed(graph_bot, connector)
    await open_review(teams)
    opening = len(await eventually(graph.delivered_keys, what="the opening emails delivered"))
    agendas = MailQueue(graph_bot.parts.store)
    graph.fail_next(403, route="create", code="ErrorAccessDenied")

    await teams.say("agenda email")
    [failed] = await eventually(lambda: [item for item in agendas.status_for_keys("reminders:agenda:")
                                         if item.state == FAILED], what="the agenda email failed")
    await teams.say("agenda email")

    await eventually(lambda: len(graph.delivered_keys()) > opening, what="the agenda email retried")
    assert graph.delivered_keys()[opening:] == [failed.key]
