"""Moving up: the migration command copies a TinyDB data directory into PostgreSQL, losing nothing,
and the app then runs on PostgreSQL with the same reviews."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import Settings
from bot.storage import Record, Store, TinyDBStore
from bot.storage.factory import MAIN_FILE, STATE_FILE
from bot.storage.postgres_store import PostgresStore
from tests.conftest import RunningBot
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient

ROOT = Path(__file__).resolve().parents[2]


def _everything(store: Store) -> dict[tuple[str, str], Record]:
    with store.transaction() as session:
        return {(name, record.key): record for name in session.collections() for record in session.all(name)}


def _migrate(data_dir: Path, url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.storage.migrate", str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)})


@pytest.mark.tinydb_only(reason="it moves a TinyDB data directory's files into PostgreSQL")
async def test_every_record_moves_to_postgresql_and_the_app_carries_on_there(
    make_settings: Callable[..., Settings], connector: FakeConnector, database_url: str
) -> None:
    settings = make_settings()
    bot = await RunningBot(settings).start()
    teams = TeamsClient(bot, connector)
    await open_review(teams)
    await teams.say("open review")  # a form left open: conversation state to move too
    await bot.stop()
    files = {**_everything(TinyDBStore(settings.data_dir / MAIN_FILE)),
             **_everything(TinyDBStore(settings.data_dir / STATE_FILE))}
    assert {name for name, _ in files} >= {"reviews", "outbox", "bot_state", "conversation_references",
                                           "card_presses"}

    moved = _migrate(settings.data_dir, database_url)

    assert moved.returncode == 0, moved.stderr
    assert f"Copied and verified {len(files)} records" in moved.stdout
    assert database_url not in moved.stdout + moved.stderr
    database = PostgresStore(database_url)
    try:
        assert _everything(database) == files
    finally:
        database.close()
    on_postgres = await RunningBot(make_settings(DATABASE_URL=database_url)).start()
    try:
        replies = await TeamsClient(on_postgres, connector).say("my reviews")
        assert "LSCB-2026-014" in str([reply.body for reply in replies])
    finally:
        await on_postgres.stop()


def test_the_command_refuses_a_database_that_holds_records(tmp_path: Path, database_url: str) -> None:
    data_dir = tmp_path / "data"
    with TinyDBStore(data_dir / MAIN_FILE).transaction() as session:
        session.put("reviews", Record("R1", {"n": 1}))
    assert _migrate(data_dir, database_url).returncode == 0

    again = _migrate(data_dir, database_url)

    assert again.returncode == 1 and "already holds records" in again.stderr
