"""Memory under many new users (issue 12): does the app's memory level off?

Runs the real app (TinyDB, in this process) and has `--users` people, each new, say `help` once
(a new conversation: its state saved, its conversation reference kept), printing the resident
memory every `--every` users. Per-user memory is bounded by design: the conversation directory
remembers at most `SEEN_LIMIT` people, per-conversation turn locks are weak, and stored state is
pruned once a person has been silent for 90 days. With TinyDB that stored state is also held in
memory (the file's parsed copy and each record's encoded JSON), so memory grows with the people
who spoke in the last 90 days; with PostgreSQL (`--postgresql`) it stays in the database.

Usage: .venv/bin/python -m bench.soak [--users 5000] [--every 500] [--postgresql]
"""

import argparse
import asyncio
import gc
import os
import tempfile
import uuid
from pathlib import Path

from bot.config import Settings
from tests.conftest import RunningBot
from tests.fakes.fake_connector import FakeConnector
from tests.postgres_cluster import running_cluster
from tests.teams_client import TeamsClient

_PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE / 1024 / 1024


async def soak(users: int, every: int, database_url: str = "") -> list[tuple[int, float]]:
    readings = []
    with tempfile.TemporaryDirectory() as data:
        connector = await FakeConnector().start()
        env = {"DATA_DIR": str(Path(data)), "REMINDERS_ENABLED": "false", "DATABASE_URL": database_url}
        bot = await RunningBot(Settings.from_env(env)).start()
        for number in range(1, users + 1):
            person = TeamsClient(bot, connector, aad_object_id=str(uuid.UUID(int=number)),  # type: ignore[arg-type]
                                 conversation_id=f"a:soak-{number}")
            await person.say("help")
            connector.take()
            if number % every == 0:
                gc.collect()
                readings.append((number, resident_mb()))
                print(f"{number:6d} users  {readings[-1][1]:7.1f} MB", flush=True)
        await bot.stop()
        await connector.stop()
    return readings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--postgresql", action="store_true", help="on a throw-away PostgreSQL server")
    arguments = parser.parse_args()
    if not arguments.postgresql:
        readings = asyncio.run(soak(arguments.users, arguments.every))
    else:
        with running_cluster() as cluster:
            if cluster is None:
                raise SystemExit("PostgreSQL is not installed")
            readings = asyncio.run(soak(arguments.users, arguments.every, cluster.new_database()))
    halfway = readings[len(readings) // 2][1]
    print(f"growth over the second half: {readings[-1][1] - halfway:+.1f} MB "
          f"(target: within 20 MB of where it levelled off)")


if __name__ == "__main__":
    main()
