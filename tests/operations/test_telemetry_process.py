"""With an Application Insights connection string, the app sends spans and metrics to the
ingestion endpoint it names: here a local collector on 127.0.0.1 that answers as Azure Monitor's
/v2.1/track does. The app runs as on App Service, mailing through (a fake) Graph with the managed
identity: the turn and email spans and the turn, email (queued, sent, failed), reminder and
outbox-age metrics arrive, and nothing sent carries a name, an address, an email's text, a token or a URL's
query string."""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web

from tests.app_process import ServedApp
from tests.cards import forward_button, press
from tests.clock import latest_working_morning
from tests.dialogs_flow import open_review, walk_to_confirmation
from tests.fakes.fake_connector import FakeConnector
from tests.fakes.fake_graph import TOKEN, FakeGraph
from tests.fakes.fake_identity import IDENTITY_HEADER, FakeIdentityEndpoint, mail_through_graph
from tests.teams_client import TeamsClient
from tests.waiting import eventually

INSTRUMENTATION_KEY = "00000000-0000-4000-8000-000000000000"


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

    def settings(self) -> dict[str, str]:
        """For the app: the dummy connection string naming this collector, and quick exports."""
        return {"APPLICATIONINSIGHTS_CONNECTION_STRING": f"InstrumentationKey={INSTRUMENTATION_KEY};"
                                                         f"IngestionEndpoint={self.url}",
                "OTEL_METRIC_EXPORT_INTERVAL": "500", "OTEL_BSP_SCHEDULE_DELAY": "200"}

    async def _track(self, request: web.Request) -> web.Response:
        text = await request.text()
        self.raw.append(text)
        batch = json.loads(text)
        self.envelopes.extend(batch)
        return web.json_response({"itemsReceived": len(batch), "itemsAccepted": len(batch), "errors": []})

    def span_names(self) -> set[str]:
        return {e["data"]["baseData"].get("name") for e in self.envelopes if not e["name"].endswith(".Metric")}

    def dependency_urls(self) -> list[str]:
        return [e["data"]["baseData"]["data"] for e in self.envelopes
                if e["name"].endswith(".RemoteDependency") and e["data"]["baseData"].get("type") == "HTTP"]

    def metric_names(self) -> set[str]:
        return {metric["name"] for e in self.envelopes if e["name"].endswith(".Metric")
                for metric in e["data"]["baseData"]["metrics"]}


@pytest.fixture
async def collector() -> AsyncIterator[Collector]:
    running = await Collector().start()
    yield running
    await running.stop()
    assert all(envelope["iKey"] == INSTRUMENTATION_KEY for envelope in running.envelopes)


async def test_spans_and_metrics_reach_the_ingestion_endpoint(
    tmp_path: Path, collector: Collector, graph: FakeGraph, identity: FakeIdentityEndpoint, storage_env: dict[str, str]
) -> None:
    connector = await FakeConnector().start()
    app = ServedApp(tmp_path, **collector.settings(), **mail_through_graph(graph, identity),
                    **storage_env).wait_until_healthy()
    try:
        teams = TeamsClient(app, connector)
        await open_review(teams)
        await eventually(lambda: graph.delivered, what="the review's email sent")
        graph.fail_next(403, route="create", code="ErrorAccessDenied")
        await open_review(teams, reference="LSCB-2026-015")

        await _arrives(collector, app, lambda: {"turn", "email.send"} <= collector.span_names(), "the spans")
        await _arrives(collector, app, lambda: {"scr.turns", "scr.emails.queued", "scr.emails.sent",
                                                "scr.emails.failed", "scr.outbox.age"} <= collector.metric_names(),
                       "the turn and email counts and the outbox age")
    finally:
        await asyncio.to_thread(app.stop)
        await connector.stop()
        await collector.stop()
    secrets = [TOKEN, IDENTITY_HEADER, teams.user_name, connector.member_email, "ukvi.scs.lead@example.gov.uk",
               "What we ask of you", "review opened"]  # a name, addresses, the email's body and subject
    assert not [secret for secret in secrets if any(secret in text for text in collector.raw)]
    assert not [url for url in collector.dependency_urls() if _query_told(url)], \
        "a URL's query string (an upload session's token, a search) left the app"


async def test_reminders_posted_are_counted(tmp_path: Path, collector: Collector,
                                            storage_env: dict[str, str]) -> None:
    connector = await FakeConnector().start()
    # A clock on a working morning: reminders are posted only then, whatever day the test runs.
    app = ServedApp(tmp_path, start_at=latest_working_morning(), REMINDER_INTERVAL_SECONDS="0.5",
                    **collector.settings(), **storage_env).wait_until_healthy()
    try:
        teams = TeamsClient(app, connector)
        await teams.post(teams.activity("installationUpdate", action="add"))
        connector.take()
        # The review owes a decision soon, so a reminder follows at once (maybe among the replies to
        # the press that opens it).
        confirm = await walk_to_confirmation(teams)
        replies = await teams.submit(press(confirm, forward_button(confirm)))

        await eventually(lambda: [card for activity in replies + connector.received for card in activity.cards
                                  if card["body"][0].get("text", "").startswith("Reminder")], what="a reminder")
        await _arrives(collector, app, lambda: "scr.reminders.sent" in collector.metric_names(), "the reminders count")
    finally:
        await asyncio.to_thread(app.stop)
        await connector.stop()


def _query_told(url: str) -> dict[str, list[str]]:
    """What a URL's query gives away: azure-core's own spans (the token request) keep the query
    with every value "REDACTED" but the API version."""
    query = parse_qs(urlsplit(url).query)
    return {name: values for name, values in query.items() if name != "api-version" and values != ["REDACTED"]}


async def _arrives(collector: Collector, app: ServedApp, condition: Callable[[], bool], what: str) -> None:
    try:
        await eventually(condition, within=30, what=what)
    except AssertionError as error:
        raise AssertionError(f"{error}; the collector had spans {collector.span_names()} and metrics "
                             f"{collector.metric_names()}; the app wrote:\n{app.output()[-4000:]}") from None
