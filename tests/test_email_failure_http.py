"""An email Graph refuses for good is shown to the user at once in Teams, with the reason and a
retry; retrying after the cause is fixed delivers it once and meets the obligation."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.config import Settings
from bot.mail.graph_sender import GraphMailSender
from tests.cards import forward_button, press, texts
from tests.conftest import RunningBot
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector, ReceivedActivity
from tests.fakes.fake_graph import FakeGraph, StaticTokenCredential
from tests.teams_client import TeamsClient
from tests.waiting import eventually


@pytest.fixture
async def graph_bot(make_settings: Callable[..., Settings], graph: FakeGraph) -> AsyncIterator[RunningBot]:
    sender = GraphMailSender(graph.mailbox, StaticTokenCredential(), base_url=graph.base_url, request_timeout=5)
    bot = await RunningBot(make_settings(), mail_sender=sender).start()
    yield bot
    await bot.stop()


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
    teams = TeamsClient(graph_bot, connector)
    await teams.post(teams.activity("installationUpdate", action="add"))
    connector.take()
    graph.fail_next(403, route="create", code="ErrorAccessDenied")
    await open_review(teams)

    notice = await _card_titled(connector, "Email not sent")

    shown = texts(notice)
    assert "Serious Case Review – LSCB-2026-014 – review opened" in shown
    assert "Reason: The app may not use the sender mailbox (403 ErrorAccessDenied)" in shown
    assert graph.delivered == []

    replies = await teams.submit(press(notice, forward_button(notice)))

    assert "try sending that email again" in replies[0].text
    await eventually(lambda: graph.delivered, what="the retried email delivered")
    assert len(graph.delivered) == 1
