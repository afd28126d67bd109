"""TinyDB serves one instance: a second copy of the app on the same data directory stops at once,
saying why and what to do instead."""

import os
import socket
from pathlib import Path

from bot.storage.factory import open_stores
from tests.app_process import start_and_stop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_second_copy_on_the_same_data_directory_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    running = open_stores(tmp_path / "data", {})  # the first copy holds the data directory
    try:
        done = start_and_stop(tmp_path, PORT=str(_free_port()))
    finally:
        running.close()

    assert done.returncode != 0
    assert "already running on DATA_DIR" in done.stderr and "DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_directory_is_free_again_once_the_first_copy_stops(tmp_path: Path) -> None:
    open_stores(tmp_path / "data", {}).close()
    again = open_stores(tmp_path / "data", {})
    again.close()
    assert os.path.exists(tmp_path / "data" / "instance.lock")


def test_a_database_that_cannot_be_reached_is_one_plain_message_without_the_password(tmp_path: Path) -> None:
    unreachable = f"postgresql://scr:s3cret-word@/scr?host={tmp_path}/no-server&connect_timeout=2"

    done = start_and_stop(tmp_path, PORT=str(_free_port()), DATABASE_URL=unreachable)

    assert done.returncode != 0
    assert "Configuration error: cannot use the PostgreSQL database DATABASE_URL names" in done.stderr
    assert "s3cret-word" not in done.stderr and "Traceback" not in done.stderr
