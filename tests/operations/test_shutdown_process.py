"""SIGTERM, as App Service or a container runtime sends it, lets the turn under way finish (its
reply reaches Teams), then the process stops cleanly; with LOG_FORMAT=json every line it wrote
is a JSON object."""

import asyncio
import json
import signal
from pathlib import Path

from aiohttp import web

from tests.app_process import ServedApp
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient


class HeldConnector(FakeConnector):
    """Takes each reply only when released, so a turn can be caught half-way."""

    def __init__(self) -> None:
        super().__init__()
        self.reply_arrived = asyncio.Event()
        self.release = asyncio.Event()

    async def _post(self, request: web.Request) -> web.Response:
        self.reply_arrived.set()
        await self.release.wait()
        return await super()._post(request)


async def test_sigterm_finishes_the_turn_under_way_then_stops(tmp_path: Path) -> None:
    connector = await HeldConnector().start()
    app = ServedApp(tmp_path, LOG_FORMAT="json", REMINDERS_ENABLED="true").wait_until_healthy()
    try:
        teams = TeamsClient(app, connector)
        turn = asyncio.create_task(teams.post(teams.activity(text="help")))
        async with asyncio.timeout(30):
            await connector.reply_arrived.wait()

        app.process.send_signal(signal.SIGTERM)
        await asyncio.sleep(1.0)
        assert app.process.poll() is None, "the process stopped with a turn under way"
        connector.release.set()

        assert await turn in (200, 201)
        assert await asyncio.to_thread(app.process.wait, 60) == 0
    finally:
        app.stop()
        await connector.stop()

    assert [reply.cards for reply in connector.received], "the reply reached Teams"
    lines = [json.loads(line) for line in app.output().splitlines()]
    messages = [line["message"] for line in lines]
    assert "Stopping: finishing the turns and email sends under way" in messages
