"""/readyz names the part of the app that cannot work; /healthz only says the process serves."""

from typing import Any

import aiohttp
import psycopg

from app import PARTS
from tests.conftest import RunningBot


async def _get(bot: RunningBot, path: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(bot.url + path) as response:
        return response.status, await response.json()


def _parts(bot: RunningBot) -> Any:
    assert bot._runner is not None
    return bot._runner.app[PARTS]


async def test_a_working_app_is_ready(running_bot: RunningBot) -> None:
    assert await _get(running_bot, "readyz") == (200, {
        "status": "ok",
        "checks": {"store": "ok", "mail_worker": "ok", "reminder_scheduler": "ok"},
    })


async def test_a_stopped_mail_worker_is_reported_and_liveness_is_unchanged(running_bot: RunningBot) -> None:
    await _parts(running_bot).mail_worker.stop()

    status, body = await _get(running_bot, "readyz")

    assert status == 503
    assert body == {"status": "unhealthy",
                    "checks": {"store": "ok", "mail_worker": "stopped", "reminder_scheduler": "ok"}}
    assert await _get(running_bot, "healthz") == (200, {"status": "ok"})


async def test_a_stopped_reminder_scheduler_is_reported(running_bot: RunningBot) -> None:
    await _parts(running_bot).scheduler.stop()

    status, body = await _get(running_bot, "readyz")

    assert status == 503
    assert body["checks"] == {"store": "ok", "mail_worker": "ok", "reminder_scheduler": "stopped"}


async def test_reminders_switched_off_on_purpose_are_not_a_fault(make_settings: Any) -> None:
    bot = await RunningBot(make_settings(REMINDERS_ENABLED="false")).start()
    try:
        status, body = await _get(bot, "readyz")
    finally:
        await bot.stop()
    assert status == 200 and body["checks"]["reminder_scheduler"] == "ok"


def _break_store(bot: RunningBot) -> None:
    """A damaged TinyDB file, or a PostgreSQL database without its table."""
    url = bot.settings.env.get("DATABASE_URL")
    if url:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("ALTER TABLE records RENAME TO records_gone")
    else:
        _parts(bot).store.path.write_text("{ not json")


async def test_a_store_that_cannot_be_read_is_reported(running_bot: RunningBot) -> None:
    _break_store(running_bot)

    status, body = await _get(running_bot, "readyz")

    assert status == 503
    assert body["checks"]["store"].startswith("cannot be read (")
    assert body["checks"]["mail_worker"] == "ok"
