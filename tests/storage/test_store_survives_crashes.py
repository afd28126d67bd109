"""A crash mid-write must never corrupt the store or lose a write that had returned.

TinyDB only: these kill a process writing its file; PostgreSQL's durability is the server's own."""

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bot.storage import Record, TinyDBStore

ROOT = Path(__file__).resolve().parents[2]


def _run_and_kill(path: Path, start: int, after_seconds: float) -> list[int]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crash_writer", str(path), str(start)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    acknowledged: list[int] = []
    deadline = time.monotonic() + after_seconds
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    child.send_signal(signal.SIGKILL)
    acknowledged.extend(int(line) for line in child.stdout.read().split())
    child.wait()
    return acknowledged


def test_a_writer_killed_at_random_moments_never_corrupts_or_loses_acknowledged_writes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.json"
    randomness = random.Random(20261124)
    acknowledged: list[int] = []
    stored: set[int] = set()
    for _ in range(8):
        # Start past every stored row: the child may have written one it never acknowledged.
        start = max(stored, default=0) + 1
        acknowledged += _run_and_kill(path, start, randomness.uniform(0.2, 0.6))
        store = TinyDBStore(path)
        with store.transaction() as session:
            stored = {record.document["n"] for record in session.all("rows")}
        missing = set(acknowledged) - stored
        assert not missing, f"acknowledged writes lost: {sorted(missing)[:5]}"
    assert len(acknowledged) > 50, "the writer should have written a good many rows"


def test_the_file_is_readable_only_by_its_owner(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path / "store.json")
    with store.transaction() as session:
        session.put("rows", Record("1", {"n": 1}))
    assert (store.path.stat().st_mode & 0o077) == 0


def test_a_transaction_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path / "store.json")
    with store.transaction() as session:
        session.put("reviews", Record("1", {"n": 1}))
    try:
        with store.transaction() as session:
            session.put("reviews", Record("2", {"n": 2}))
            with store.transaction() as inner:
                inner.put("outbox", Record("k", {"key": "k"}))
            raise ValueError("the email could not be queued")
    except ValueError:
        pass

    fresh = TinyDBStore(tmp_path / "store.json")
    with fresh.transaction() as session:
        assert [record.document["n"] for record in session.all("reviews")] == [1]
        assert session.all("outbox") == []


def test_an_unreadable_file_is_reported_and_does_not_wedge_the_store(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    path.write_text("{not json")
    store = TinyDBStore(path)
    try:
        with store.transaction() as session:
            session.all("rows")
    except ValueError:
        pass
    else:
        raise AssertionError("a corrupt file must be reported")
    path.write_text("{}")

    finished = threading.Event()

    def use_again() -> None:
        with store.transaction() as session:
            session.put("rows", Record("1", {"n": 1}))
        finished.set()

    worker = threading.Thread(target=use_again, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert finished.is_set(), "the store stayed locked after a failed read"


def test_a_failure_an_outer_level_catches_still_discards_the_inner_writes(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path / "store.json")
    with store.transaction() as session:
        session.put("rows", Record("1", {"n": 1}))
        try:
            with store.transaction() as inner:
                inner.put("rows", Record("2", {"n": 2}))
                raise ValueError("half done")
        except ValueError:
            pass
    with store.transaction() as session:
        assert session.all("rows") == []
