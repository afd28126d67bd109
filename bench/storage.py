"""Storage benchmark, for both adapters, against the targets of issue 13 (README "Storage").

For TinyDB (a temporary data directory) and PostgreSQL (a throw-away server, as the tests start
one), with the store seeded with copies of a real review:
- store write p99 (and the slowest): one review change (read, lock, write, commit) at `--reviews`
  reviews (TinyDB), `--pg-reviews` and `--pg-large` (PostgreSQL);
- `show` and `my reviews` turn p50, as a ratio to a stock echo bot on the same stack (aiohttp,
  CloudAdapter, the same fake connector), timed in the same run;
- `/healthz` p99 of the app in its own process while 20 conversations send `my reviews` turns;
- a reminder sweep over `--sweep-reviews` open reviews: deciding what is due, the day's first
  whole `ReminderScheduler.tick` posting `--posted` cards, and a later tick (see `sweep`).
Speed is never asserted in tests; this prints a table to read beside the targets.

Usage: .venv/bin/python -m bench.storage [--reviews 1000] [--pg-reviews 10000] [--pg-large 100000]
       [--sweep-reviews 10000] [--posted 1000]
"""

import argparse
import asyncio
import multiprocessing
import os
import statistics
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from psycopg.types.json import Jsonb

from app import PARTS, create_app
from bot.config import Settings
from bot.reminders.policy import reminders_due
from bot.review import review_to_dict
from bot.storage import Record, Store
from bot.storage.factory import MAIN_FILE
from bot.storage.postgres_store import PostgresStore
from bot.storage.reviews import COLLECTION, ReviewRepository, _record
from bot.storage.tinydb_store import TinyDBStore
from tests.app_process import ServedApp
from tests.fakes.fake_connector import FakeConnector
from tests.postgres_cluster import running_cluster
from tests.review.helpers import Stage, review_at
from tests.teams_client import TeamsClient

# A Tuesday morning, in working hours, a few weeks after the seeded reviews' decisions.
SWEEP_AT = datetime(2026, 3, 24, 10, 0, tzinfo=UTC)
WRITERS = 20


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def _timed(action: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await action()
    return time.perf_counter() - start


def _rows(count: int, owner: str, owned: int) -> Iterator[Record]:
    template = review_to_dict(review_at(Stage.DECISION))
    for number in range(count):
        review_id = str(uuid.uuid4())
        member = owner if number < owned else f"aad:{uuid.UUID(int=number + 10)}"
        data = {**template, "id": review_id, "reference": f"LSCB-2026-{number:06d}", "members": [member],
                "representative": {**template["representative"], "user_id": member}}
        yield _record({"id": review_id, "members": [member], "review": data})


def seed(store: Store, count: int, owner: str, owned: int = 3, database_url: str = "") -> list[str]:
    """`count` copies of a review at the decision stage, `owned` of them `owner`'s; their ids. On
    PostgreSQL they are copied in (COPY, one transaction), so 100,000 take seconds, not minutes."""
    records = list(_rows(count, owner, owned))
    if database_url:
        with (psycopg.connect(database_url) as connection, connection.cursor() as cursor,
              cursor.copy("COPY records (collection, key, document, tags) FROM STDIN") as copy):
            for record in records:
                copy.write_row((COLLECTION, record.key, Jsonb(record.document), sorted(record.tags)))
    else:
        with store.transaction() as session:
            for record in records:
                session.put(COLLECTION, record)
    return [record.key for record in records]


def write_times(store: Store, ids: list[str], writes: int = 1000) -> tuple[float, float]:
    """p99 and the slowest of `writes` review changes, in ms: enough of them that TinyDB folds its
    journal into the file (the slow ones) several times."""
    reviews = ReviewRepository(store)
    samples = []
    for number in range(writes):
        start = time.perf_counter()
        reviews.system_change(ids[number % len(ids)], lambda review: (review, None))
        samples.append(time.perf_counter() - start)
    return _percentile(samples, 0.99), max(samples) * 1000


class _Echo(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


@dataclass
class _Server:
    url: str
    runner: web.AppRunner


async def _serve(app: web.Application) -> _Server:
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return _Server(f"http://127.0.0.1:{runner.addresses[0][1]}/", runner)


async def echo_server() -> _Server:
    """The stock echo bot of the Bot Framework samples, on the same stack as the app."""
    adapter, bot = CloudAdapter(ConfigurationBotFrameworkAuthentication(_NoAuth())), _Echo()

    async def messages(request: web.Request) -> web.Response:
        response = await adapter.process(request, bot)
        return response or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return await _serve(app)


class _NoAuth:
    APP_ID, APP_PASSWORD, APP_TYPE, APP_TENANTID = "", "", "MultiTenant", ""


async def _p50(teams: TeamsClient, text: str, rounds: int) -> float:
    for _ in range(5):
        await teams.say(text)
    return statistics.median([await _timed(lambda: teams.say(text)) for _ in range(rounds)]) * 1000


async def measure(kind: str, settings: Settings, store: Store, sizes: argparse.Namespace) -> dict[str, Any]:
    connector = await FakeConnector().start()
    owner = TeamsClient(None, connector)  # type: ignore[arg-type]
    ids = seed(store, sizes.pg_reviews if kind == "postgresql" else sizes.reviews, owner.person,
               database_url=settings.env.get("DATABASE_URL", ""))
    result: dict[str, Any] = {"reviews": len(ids)}
    result["write_p99"], result["write_max"] = write_times(store, ids)
    app = create_app(settings, clock=lambda: SWEEP_AT)
    server = await _serve(app)
    echo = await echo_server()
    teams = TeamsClient(server, connector)  # type: ignore[arg-type]
    echo_teams = TeamsClient(echo, connector)  # type: ignore[arg-type]
    rounds = 30
    echo_p50 = await _p50(echo_teams, "hello", rounds)
    result["show"] = await _p50(teams, "show LSCB-2026-000000", rounds) / echo_p50
    result["my_reviews"] = await _p50(teams, "my reviews", rounds) / echo_p50
    result["echo_p50"] = echo_p50
    await echo.runner.cleanup()
    await server.runner.cleanup()
    result["healthz_idle_p99"], result["healthz_p99"], result["app_cores"] = await _healthz_under_writers(
        settings, connector)
    await connector.stop()
    return result


async def _healthz_under_writers(settings: Settings, connector: FakeConnector) -> tuple[float, float, float]:
    """/healthz p99 with no writers, then with WRITERS writing, and the app's CPU use meanwhile (in
    cores). The app runs in a process of its own (as deployed), and so does the probe: in this one
    it would wait behind the writers' client work and the fake connector, and count that too."""
    server = ServedApp(settings.data_dir.parent, start_at=SWEEP_AT, DATA_DIR=str(settings.data_dir),
                       DATABASE_URL=settings.env.get("DATABASE_URL", ""), REMINDERS_ENABLED="false")
    try:
        await asyncio.to_thread(server.wait_until_healthy)
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as prober:
            loop = asyncio.get_running_loop()
            idle = await loop.run_in_executor(prober, _probe, server.url, 3.0)
            busy, cores = await _probe_while_writing(server, connector, prober)
        return _percentile(idle, 0.99), _percentile(busy, 0.99), cores
    finally:
        server.stop()


def _probe(url: str, seconds: float) -> list[float]:
    """/healthz round trips for `seconds`, one every 10 ms, as a health checker makes them."""
    samples = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = time.perf_counter()
        with urllib.request.urlopen(url + "healthz") as response:
            response.read()
        samples.append(time.perf_counter() - start)
        time.sleep(0.01)
    return samples


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _probe_while_writing(server: ServedApp, connector: FakeConnector,
                               prober: ProcessPoolExecutor) -> tuple[list[float], float]:
    stop = asyncio.Event()
    writers = [TeamsClient(server, connector, aad_object_id=str(uuid.UUID(int=900 + n)),  # type: ignore[arg-type]
                           conversation_id=f"a:writer-{n}") for n in range(WRITERS)]

    async def write(client: TeamsClient) -> None:
        while not stop.is_set():
            await client.say("my reviews")

    tasks = [asyncio.create_task(write(client)) for client in writers]
    await asyncio.sleep(1)
    cpu, start = _cpu_seconds(server.process.pid), time.perf_counter()
    samples = await asyncio.get_running_loop().run_in_executor(prober, _probe, server.url, 5.0)
    cores = (_cpu_seconds(server.process.pid) - cpu) / (time.perf_counter() - start)
    stop.set()
    await asyncio.gather(*tasks)
    return samples, cores


async def sweep(settings: Settings, store: Store, planned: int, posted: int) -> dict[str, float]:
    """Over `planned` open reviews of one person, each owing them a reminder today:
    - deciding: reading every review and asking the policy what is due;
    - the day's first tick, with `posted` cards still to go (the rest sent earlier in the day): the
      whole tick, every reminder claimed (in batches), each owed card rendered, posted through the
      Bot Framework adapter over HTTP to the local fake connector (which stores it; Teams's own
      work is not counted) and marked sent on its own;
    - the next tick: the same sweep with every reminder sent, as every tick after the first is."""
    connector = await FakeConnector(check_cards=False).start()
    app = create_app(settings, clock=lambda: SWEEP_AT)
    server = await _serve(app)
    person = TeamsClient(server, connector, aad_object_id=str(uuid.UUID(int=0xFF)))  # type: ignore[arg-type]
    seed(store, planned, person.person, owned=planned, database_url=settings.env.get("DATABASE_URL", ""))
    await person.say("help")  # the person's conversation is saved, so their cards can be posted
    parts = app[PARTS]
    start = time.perf_counter()
    reviews = await parts.service.all_reviews()
    due = [reminder for review in reviews for reminder in reminders_due(review, SWEEP_AT.date(), 5, frozenset(), {})]
    planning = time.perf_counter() - start
    with parts.store.transaction():  # the app's own store object: a second one would wait for this one's lock
        for reminder in due[posted:]:
            parts.scheduler.ledger.once(reminder.key, SWEEP_AT, lambda: None)
    first = await _timed(parts.scheduler.tick)
    cards = len(connector.take())
    steady = await _timed(parts.scheduler.tick)
    await server.runner.cleanup()
    await connector.stop()
    return {"plan": planning, "planned": planned, "due": len(due), "tick": first, "posted": cards,
            "steady": steady}


def _settings(data_dir: Path, url: str = "") -> Settings:
    return Settings.from_env({"DATA_DIR": str(data_dir), "REMINDERS_ENABLED": "false",
                              **({"DATABASE_URL": url} if url else {})})


async def run(sizes: argparse.Namespace) -> list[tuple[str, dict[str, Any]]]:
    results = []
    with tempfile.TemporaryDirectory() as directory:
        data = Path(directory) / "turns"
        results.append(("tinydb", await measure("tinydb", _settings(data), TinyDBStore(data / MAIN_FILE), sizes)))
        swept = Path(directory) / "sweep"
        results[-1][1].update(await sweep(_settings(swept), TinyDBStore(swept / MAIN_FILE), sizes.sweep_reviews,
                                          sizes.posted))
        with running_cluster() as cluster:
            if cluster is None:
                print("PostgreSQL is not installed: only TinyDB was measured.")
                return results
            url = cluster.new_database()
            store = PostgresStore(url)
            results.append(("postgresql", await measure("postgresql", _settings(Path(directory) / "pg", url),
                                                        store, sizes)))
            store.close()
            sweep_url = cluster.new_database()
            sweep_store = PostgresStore(sweep_url)
            results[-1][1].update(await sweep(_settings(Path(directory) / "pg-sweep", sweep_url), sweep_store,
                                              sizes.sweep_reviews, sizes.posted))
            sweep_store.close()
            if sizes.pg_large:
                results[-1][1].update(large(cluster.new_database(), sizes.pg_large))
    return results


def large(url: str, count: int) -> dict[str, Any]:
    """Write p99 at `count` reviews (the issue's 100,000), and how long the start-up upgrade, which
    reads every review, takes there. No app is started on it: at that size one takes over a minute."""
    store = PostgresStore(url)
    ids = seed(store, count, "aad:00000000-0000-0000-0000-0000000000aa", database_url=url)
    p99, slowest = write_times(store, ids)
    start = time.perf_counter()
    ReviewRepository(store).upgrade_stored()
    upgrade = time.perf_counter() - start
    store.close()
    return {"large_reviews": count, "large_write_p99": p99, "large_write_max": slowest, "large_upgrade": upgrade}


def table(results: list[tuple[str, dict[str, Any]]]) -> str:
    targets = {"tinydb": ("≤ 50 ms at 1,000", "≤ 1.0×", "≤ 20 ms", "≤ 1 s"),
               "postgresql": ("≤ 20 ms at 100,000", "≤ 1.0×", "≤ 20 ms", "≤ 1 s")}
    lines = ["| what | adapter | measured | target |", "|---|---|---|---|"]
    for kind, result in results:
        write, turn, health, sweep = targets[kind]
        lines += [
            f"| store write p99 | {kind} | {result['write_p99']:.1f} ms at {result['reviews']:,} reviews (slowest "
            f"{result['write_max']:.0f} ms) | {write} |",
            *([f"| store write p99 | {kind} | {result['large_write_p99']:.1f} ms at {result['large_reviews']:,} "
               f"reviews (slowest {result['large_write_max']:.0f} ms; the start-up upgrade read them all in "
               f"{result['large_upgrade']:.1f} s) | {write} |"] if "large_reviews" in result else []),
            f"| `show` turn p50 | {kind} | {result['show']:.2f}× echo ({result['echo_p50']:.1f} ms) | {turn} |",
            f"| `my reviews` turn p50 | {kind} | {result['my_reviews']:.2f}× echo | {turn} |",
            f"| `/healthz` p99, {WRITERS} writing | {kind} | {result['healthz_p99']:.1f} ms (no writers: "
            f"{result['healthz_idle_p99']:.1f} ms; the app used {result['app_cores']:.2f} of a core) | {health} |",
            f"| reminder sweep: deciding | {kind} | {result['plan']:.2f} s over {result['planned']:,} open reviews "
            f"({result['due']:,} reminders due) | {sweep} |",
            f"| reminder sweep: the day's first tick | {kind} | {result['tick']:.2f} s over {result['planned']:,} "
            f"open reviews, {result['posted']:,} cards posted ({result['tick'] / max(result['posted'], 1) * 1000:.1f} "
            f"ms a card) | {sweep} |",
            f"| reminder sweep: a later tick | {kind} | {result['steady']:.2f} s over {result['planned']:,} open "
            f"reviews, all reminded | {sweep} |",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--pg-reviews", type=int, default=10000, help="reviews for the turns and /healthz")
    parser.add_argument("--pg-large", type=int, default=100000, help="reviews for a second write p99 (0: none)")
    parser.add_argument("--sweep-reviews", type=int, default=10000)
    parser.add_argument("--posted", type=int, default=1000, help="cards the first tick posts")
    print(table(asyncio.run(run(parser.parse_args()))))


if __name__ == "__main__":
    main()
