"""How much a bot turn costs, as a ratio to the cheapest request the same server answers.

Runs the real app on 127.0.0.1 in this process and times, alternately, a `help` turn (activity
in, card out to a local fake connector) and a `GET /healthz` round trip. The ratio, not the
milliseconds, is the number to compare between changes: both halves share the machine's noise.

Usage: .venv/bin/python -m bench.turn_cost [rounds]
"""

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from bot.config import Settings
from tests.conftest import RunningBot
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient


async def _timed(action: Callable[[], Awaitable[object]]) -> float:
    start = time.perf_counter()
    await action()
    return time.perf_counter() - start


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as data:
        connector = await FakeConnector().start()
        settings = Settings.from_env({"DATA_DIR": str(Path(data)), "REMINDERS_ENABLED": "false"})
        bot = await RunningBot(settings).start()
        teams = TeamsClient(bot, connector)
        async with aiohttp.ClientSession() as session:

            async def health() -> None:
                async with session.get(bot.url + "healthz") as response:
                    await response.read()

            async def turn() -> None:
                await teams.say("help")

            for _ in range(10):  # warm up imports, caches and connections
                await turn()
                await health()
            turns, checks = [], []
            for _ in range(rounds):
                turns.append(await _timed(turn))
                checks.append(await _timed(health))
        await bot.stop()
        await connector.stop()
    turn_ms, check_ms = statistics.median(turns) * 1000, statistics.median(checks) * 1000
    print(f"help turn   median {turn_ms:7.2f} ms over {rounds} rounds")
    print(f"/healthz    median {check_ms:7.2f} ms (baseline)")
    print(f"ratio       {turn_ms / check_ms:7.1f}x")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
