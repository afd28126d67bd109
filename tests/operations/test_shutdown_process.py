"""SIGTERM, as App Service or a container runtime sends it, to app.py running as a real process
that sends mail through (a fake) Graph with App Service's managed identity: the turn under way
finishes (its reply reaches Teams) and the email being sent goes out and is recorded as sent,
once; nothing new starts (no connection is taken, no further email is sent); the process exits 0,
every log line a JSON object. The emails still queued are sent, once each, by the next start."""

import asyncio
import json
import signal
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.mail.queue import QUEUED, SENT, MailQueue
from bot.storage.factory import MAIN_FILE
from tests.app_process import ServedApp
from tests.conftest import store_at
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import FakeGraph
from tests.fakes.fake_identity import FakeIdentityEndpoint, mail_through_graph
from tests.teams_client import TeamsClient
from tests.waiting import eventually


class HeldConnector(FakeConnector):
    """Once `hold()` is called, takes each reply only when released, so a turn can be caught half-way."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = False
        self.reply_arrived = asyncio.Event()
        self.release = asyncio.Event()

    def hold(self) -> None:
        self.holding = True

    async def _post(self, request: web.Request) -> web.Response:
        if self.holding:
            self.reply_arrived.set()
            await self.release.wait()
        return await super()._post(request)


@dataclass
class HeldGraph(FakeGraph):
    """Answers the first send only when released, so an email can be caught being sent."""

    send_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    release_send: asyncio.Event = field(default_factory=asyncio.Event)

    async def _send(self, request: web.Request) -> web.StreamResponse:
        self.send_arrived.set()
        await self.release_send.wait()
        return await super()._send(request)


@pytest.fixture
async def graph() -> AsyncIterator[HeldGraph]:
    fake = await HeldGraph().start()
    yield fake
    await fake.stop()


def _served(run: Path, data: Path, graph: FakeGraph, identity: FakeIdentityEndpoint,
            storage_env: dict[str, str]) -> ServedApp:
    """app.py as on App Service: mail through Graph with the managed identity (as the Bicep sets it)."""
    run.mkdir()
    return ServedApp(run, DATA_DIR=str(data), LOG_FORMAT="json", REMINDERS_ENABLED="true",
                     **mail_through_graph(graph, identity), **storage_env).wait_until_healthy()


async def test_sigterm_finishes_the_turn_and_the_email_under_way_and_starts_nothing_new(
    tmp_path: Path, graph: HeldGraph, identity: FakeIdentityEndpoint, storage_env: dict[str, str]
) -> None:
    connector = await HeldConnector().start()
    data = tmp_path / "data"
    app = _served(tmp_path / "first", data, graph, identity, storage_env)
    try:
        teams = TeamsClient(app, connector)
        await open_review(teams)  # queues the review's email; the mail worker takes it
        async with asyncio.timeout(30):
            await graph.send_arrived.wait()
        await open_review(teams, reference="LSCB-2026-015")  # another email, queued behind it
        connector.hold()
        turn = asyncio.create_task(teams.post(teams.activity(text="help")))
        async with asyncio.timeout(30):
            await connector.reply_arrived.wait()

        app.process.send_signal(signal.SIGTERM)
        await eventually(lambda: "Stopping: finishing" in app.output(), within=30, what="the shutdown")
        with pytest.raises(aiohttp.ClientConnectionError):
            await teams.post(teams.activity(text="help"))  # a new turn is refused
        assert app.process.poll() is None, "the process stopped with a turn and an email under way"

        connector.release.set()
        assert await turn in (200, 201)
        graph.release_send.set()
        assert await asyncio.to_thread(app.process.wait, 60) == 0
    finally:
        app.stop()

    assert [reply.cards for reply in connector.received if reply.cards], "the held reply reached Teams"
    assert len(graph.delivered) == 1
    assert graph.routes().count("create") == 1, "another email was started after SIGTERM"
    assert all(json.loads(line) for line in app.output().splitlines())
    store = store_at(storage_env.get("DATABASE_URL") or str(data / MAIN_FILE))
    outbox = MailQueue(store).status_for_keys("")
    store.close()
    assert [(item.key, item.attempts) for item in outbox if item.state == SENT] == [(graph.delivered_keys()[0], 1)]
    waiting = [item for item in outbox if item.state == QUEUED]
    assert waiting and all(item.attempts == 0 for item in waiting), "queued emails were touched"

    # The next start sends what the stopped one left queued, and nothing twice.
    app = _served(tmp_path / "second", data, graph, identity, storage_env)
    try:
        await eventually(lambda: len(graph.delivered) == len(outbox), within=60, what="the queued emails sent")
    finally:
        assert app.stop() == 0
        await connector.stop()
    assert Counter(graph.delivered_keys()) == Counter(item.key for item in outbox)
    assert identity.queries, "Graph was signed in to with the managed identity"
