"""Crash leftovers (issue 12): a temporary copy left by a process killed mid-write (of the store,
a document or an .eml file) is gone once the app has started, and the app answers over HTTP; a
temporary a live writer holds is left alone."""

import os
import subprocess
import sys
from pathlib import Path

from bot.temporary_files import locked_temporary, remove_leftovers
from tests.conftest import RunningBot
from tests.teams_client import TeamsClient

ROOT = Path(__file__).resolve().parents[1]


def _killed_mid_write(kind: str, data_dir: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tests.storage.crash_mid_write", kind, str(data_dir)],
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == -9


def _temporaries(data_dir: Path) -> list[Path]:
    return sorted(data_dir.rglob("*.tmp"))


async def test_temporaries_left_by_kill_9_are_removed_at_start_up(running_bot: RunningBot, teams: TeamsClient) -> None:
    await running_bot.stop()
    data_dir = Path(running_bot.settings.data_dir)
    # On PostgreSQL no store file is written, so none is left half-written.
    kinds = ("document", "email") if running_bot.settings.env.get("DATABASE_URL") else ("store", "document", "email")
    for kind in kinds:
        _killed_mid_write(kind, data_dir)
    assert len(_temporaries(data_dir)) == len(kinds), "each killed write leaves its temporary"

    await running_bot.start()

    assert _temporaries(data_dir) == []
    assert "help" in str((await teams.say("hello"))[0].body)


def test_a_temporary_a_live_writer_holds_is_not_a_leftover(tmp_path: Path) -> None:
    with locked_temporary(tmp_path, ".scr-assistant.json.") as (handle, temporary):
        handle.write(b"half")
        assert remove_leftovers(tmp_path) == 0
        assert temporary.exists()
    assert list(tmp_path.iterdir()) == []
