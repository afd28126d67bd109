"""With an Application Insights connection string, the app sends spans and metrics to the
ingestion endpoint it names: here a local collector on 127.0.0.1 that answers as Azure Monitor's
/v2.1/track does."""

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from tests.app_process import ServedApp
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient
from tests.waiting import eventually


class Collector:
    def __init__(self) -> None:
        self.envelopes: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> "Collector":
        app = web.Application()
        app.router.add_post("/v2.1/track", self._track)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        # No trailing slash: the exporter adds "/v2.1/track" as it is.
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _track(self, request: web.Request) -> web.Response:
        text = await request.text()
        self.raw.append(text)
        batch = json.loads(text)
        self.envelopes.extend(batch)
        return web.json_response({"itemsReceived": len(batch), "itemsAccepted": len(batch), "errors": []})

    def span_names(self) -> set[str]:
        return {e["data"]["baseData"].get("name") for e in self.envelopes if not e["name"].endswith(".Metric")}

    def metric_names(self) -> set[str]:
        return {metric["name"] for e in self.envelopes if e["name"].endswith(".Metric")
                for metric in e["data"]["baseData"]["metrics"]}


async def test_spans_and_metrics_reach_the_ingestion_endpoint(tmp_path: Path) -> None:
    collector = await Collector().start()
    connector = await FakeConnector().start()
    connection = f"InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint={collector.url}"
    app = ServedApp(tmp_path, APPLICATIONINSIGHTS_CONNECTION_STRING=connection,
                    OTEL_METRIC_EXPORT_INTERVAL="500", OTEL_BSP_SCHEDULE_DELAY="200").wait_until_healthy()
    try:
        teams = TeamsClient(app, connector)
        assert await teams.post(teams.activity(text="help")) in (200, 201)

        await _arrives(collector, app, lambda: "turn" in collector.span_names(), "the turn's span")
        await _arrives(collector, app, lambda: {"scr.turns", "scr.outbox.age"} <= collector.metric_names(),
                       "the turn count and the outbox age")
    finally:
        await asyncio.to_thread(app.stop)
        await connector.stop()
        await collector.stop()

    assert all(envelope["iKey"] == "00000000-0000-4000-8000-000000000000" for envelope in collector.envelopes)
    assert not any(teams.user_name in text for text in collector.raw), "a person's name left the app"


async def _arrives(collector: Collector, app: ServedApp, condition: Callable[[], bool], what: str) -> None:
    try:
        await eventually(condition, within=30, what=what)
    except AssertionError as error:
        raise AssertionError(f"{error}; the collector had spans {collector.span_names()} and metrics "
                             f"{collector.metric_names()}; the app wrote:\n{app.output()[-4000:]}") from None
