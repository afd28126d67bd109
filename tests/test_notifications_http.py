"""Opening a review over HTTP delivers exactly the O1 emails, once each, through the local
outbox and through (a fake) Microsoft Graph, and the obligation they serve is then met."""

import email
from collections.abc import AsyncIterator, Callable
from email import policy
from pathlib import Path

import pytest

from bot.config import Settings
from bot.mail.graph_sender import GraphMailSender
from bot.review import outstanding
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import FakeGraph, StaticTokenCredential
from tests.teams_client import TeamsClient
from tests.waiting import eventually

O1_RECIPIENTS = {"ukvi.scs.lead@example.gov.uk", "psu.mailbox@example.gov.uk", "occ.mailbox@example.gov.uk"}


def _o1_met(bot: RunningBot, teams: TeamsClient) -> bool:
    review = stored_review(bot, teams.person)[0]
    return not any(s.obligation.id == "O1" for s in outstanding(review, review.key_dates.came_to_chair_attention))


async def test_the_local_outbox_gets_exactly_one_o1_email_and_o1_is_then_met(
    teams: TeamsClient, running_bot: RunningBot
) -> None:
    outbox = Path(running_bot.settings.data_dir) / "outbox"
    await open_review(teams)

    await eventually(lambda: _o1_met(running_bot, teams), what="O1 met by the app's own mail worker")

    files = sorted(outbox.glob("*.eml"))
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-014 – review opened"
    assert {a.addr_spec for a in message["To"].addresses} == O1_RECIPIENTS
    assert "1.1" in message.get_body(("plain",)).get_content()
    assert _o1_met(running_bot, teams)


@pytest.fixture
async def graph_bot(make_settings: Callable[..., Settings], graph: FakeGraph) -> AsyncIterator[RunningBot]:
    sender = GraphMailSender(graph.mailbox, StaticTokenCredential(), base_url=graph.base_url, request_timeout=5)
    bot = await RunningBot(make_settings(), mail_sender=sender).start()
    yield bot
    await bot.stop()


async def test_microsoft_graph_gets_exactly_one_o1_email_with_the_right_subject_and_recipients(
    graph_bot: RunningBot, graph: FakeGraph, connector: FakeConnector
) -> None:
    teams = TeamsClient(graph_bot, connector)
    await open_review(teams)

    await eventually(lambda: _o1_met(graph_bot, teams), what="O1 met by the app's own mail worker")

    [sent] = graph.delivered
    assert sent.folder == "sentitems"  # a sent draft is kept in Sent Items (what SaveToSentItems asks)
    assert sent.body["subject"] == "OFFICIAL-SENSITIVE – Serious Case Review – LSCB-2026-014 – review opened"
    assert {r["emailAddress"]["address"] for r in sent.body["toRecipients"]} == O1_RECIPIENTS
    review = stored_review(graph_bot, teams.person)[0]
    assert graph.delivered_keys() == [f"{review.id}:O1:1"]
    assert all(r.path.startswith(f"/v1.0/users/{graph.mailbox}/messages") for r in graph.requests)
    assert _o1_met(graph_bot, teams)
