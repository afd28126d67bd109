"""TinyDB's journal: a commit appends only what it changed, the journal is folded into the file
once it grows, and neither a torn last line nor a crash between folding and emptying it loses
or alters anything."""

import os
import subprocess
import sys
from pathlib import Path

from bot.storage import Record, TinyDBStore, tinydb_store

ROOT = Path(__file__).resolve().parents[2]


def _rows(path: Path) -> dict[str, int]:
    with TinyDBStore(path).transaction() as session:
        return {record.key: record.document["n"] for record in session.all("rows")}


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def _write(store: TinyDBStore, key: str, n: int) -> None:
    with store.transaction() as session:
        session.put("rows", Record(key, {"n": n}))


def test_a_commit_appends_to_the_journal_and_leaves_the_file_alone(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    store = TinyDBStore(path)
    _write(store, "a", 1)  # the first commit writes the file
    before = path.read_bytes()

    _write(store, "b", 2)
    with store.transaction() as session:
        session.delete("rows", "a")

    assert path.read_bytes() == before
    assert len(_journal(path).read_bytes().splitlines()) == 2
    assert _rows(path) == {"b": 2}


def test_another_store_object_reads_what_was_appended_since_it_last_looked(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    writer, reader = TinyDBStore(path), TinyDBStore(path)
    _write(writer, "a", 1)
    with reader.transaction() as session:
        assert session.get("rows", "a") is not None
    _write(writer, "a", 10)
    _write(writer, "b", 2)
    with reader.transaction() as session:
        assert {record.key: record.document["n"] for record in session.all("rows")} == {"a": 10, "b": 2}


def test_a_torn_last_line_is_ignored_and_cut_off_by_the_next_commit(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    store = TinyDBStore(path)
    _write(store, "a", 1)
    _write(store, "b", 2)
    with _journal(path).open("ab") as journal:
        journal.write(b'[["rows","c",{"key":"c","docu')  # a commit killed mid-write, never acknowledged

    assert _rows(path) == {"a": 1, "b": 2}
    _write(TinyDBStore(path), "d", 4)
    assert _rows(path) == {"a": 1, "b": 2, "d": 4}


def test_the_journal_is_folded_into_the_file_once_it_grows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(tinydb_store, "JOURNAL_MIN", 200)
    path = tmp_path / "store.json"
    store = TinyDBStore(path)
    for n in range(40):
        _write(store, f"k{n % 7}", n)

    assert _journal(path).stat().st_size <= 200
    assert _rows(path) == {f"k{k}": max(n for n in range(40) if n % 7 == k) for k in range(7)}


def test_a_writer_killed_between_folding_and_emptying_the_journal_loses_and_undoes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    child = subprocess.run([sys.executable, "-m", "tests.storage.crash_folding", str(path)], cwd=ROOT,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert child.returncode == -9, child.stderr
    acknowledged = [int(line) for line in child.stdout.split()]
    assert path.exists() and _journal(path).stat().st_size > 0, "killed after the rewrite, before emptying"

    stored = _rows(path)
    # The commit that folded was durable before the kill, though never acknowledged.
    last = max(acknowledged) + 1
    assert stored == {f"k{k}": max(n for n in range(last + 1) if n % 5 == k) for k in range(5)}
