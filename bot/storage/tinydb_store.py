"""The embedded adapter: a TinyDB file in the data directory, for one app instance.

The file is a TinyDB database (tables of numbered documents, each `{key, document, tags, at}`).
A commit appends the records it changed to a journal beside it (`<file>.journal`, one line a
transaction, one fsync), so a write costs what it changed, not the whole file; once the journal
has grown past half the file (and JOURNAL_MIN bytes), that commit also rewrites the file with
everything (atomically: bot.storage.atomic_json) and then empties the journal. A crash leaves
the old file or the new one, and at most a torn last journal line, which was never acknowledged
and is ignored (and cut off by the next commit); replaying a journal onto a file that already
holds its changes (a crash between the rewrite and emptying it) changes nothing.
What makes it fit for a busy instance:
- the parsed file stays in memory and is read again only when the file on disk changed (another
  Store object or process wrote it), checked with a `stat` of each file per transaction; lines
  others appended to the journal are read alone;
- records are found by key, tag or moment through indexes kept beside that copy, never by
  decoding every review;
- each record's JSON is kept encoded, so a commit encodes only what it changed.
Transactions hold a thread lock and an `flock` on a companion lock file, so Store objects in
other threads or processes (the migration command, tests) wait their turn.

A file written before the storage port (rows without `key`/`document`) is converted when opened.
"""

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.documents.atomic_file import fsync_directory
from bot.storage.atomic_json import AtomicJSONStorage
from bot.storage.port import Lock, NestedTransactions, Record, Session

_META = "_storage"
FORMAT = 2
# How rows of the first file format were keyed, by table.
_LEGACY_KEYS = {
    "reviews": lambda row: row["id"],
    "conversation_references": lambda row: row["user_id"],
    "reminder_snoozes": lambda row: f"{row['review_id']}|{row['instance_id']}|{row['user_id']}",
}
_Signature = tuple[int, int, int]
# The journal is folded into the file once it reaches half the file's size, and never sooner than
# this: a small store is rewritten rarely, a large one's journal stays a fraction of it to replay.
JOURNAL_MIN = 1 << 20


def _encode(record: Record) -> bytes:
    return json.dumps(
        {"key": record.key, "document": record.document, "tags": sorted(record.tags),
         "at": record.at.isoformat() if record.at else None},
        ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json(text: str) -> bytes:
    return json.dumps(text, ensure_ascii=False).encode("utf-8")


def _decode(row: dict[str, Any]) -> Record:
    at = row.get("at")
    return Record(row["key"], row["document"], frozenset(row.get("tags", ())),
                  datetime.fromisoformat(at) if at else None)


def _legacy(table: str, doc_id: str, row: dict[str, Any]) -> Record:
    """A first-format row, kept whole as the document; the owning module re-tags it at start-up."""
    key = _LEGACY_KEYS[table](row) if table in _LEGACY_KEYS else str(row.get("key", doc_id))
    return Record(key, row)


class _Contents:
    """The committed records in memory, with their indexes and encoded JSON."""

    def __init__(self, records: dict[str, dict[str, Record]], encoded: dict[str, dict[str, bytes]]) -> None:
        self.records = records
        self.encoded = encoded
        self.tags: dict[tuple[str, str], set[str]] = {}
        for collection, by_key in records.items():
            for record in by_key.values():
                self._index(collection, record)

    @classmethod
    def parse(cls, data: dict[str, dict[str, Any]] | None) -> tuple["_Contents", bool]:
        """The contents of a file's data, and whether it was in the first format."""
        data = data or {}
        legacy = bool(data) and _META not in data
        records: dict[str, dict[str, Record]] = {}
        for table, rows in data.items():
            if table == _META:
                continue
            decoded = (_legacy(table, doc_id, row) if legacy else _decode(row) for doc_id, row in rows.items())
            records[table] = {record.key: record for record in decoded}
        return cls(records, {}), legacy

    def apply(self, changes: dict[tuple[str, str], Record | None]) -> bytes:
        """Applies a transaction's changes; its journal line (the changed records, encoded once
        for the journal and the next rewrite alike)."""
        entries = []
        for (collection, key), record in changes.items():
            by_key = self.records.setdefault(collection, {})
            old = by_key.pop(key, None)
            if old is not None:
                for tag in old.tags:
                    self.tags.get((collection, tag), set()).discard(key)
            encoded = self.encoded.setdefault(collection, {})
            encoded.pop(key, None)
            row = b"null"
            if record is not None:
                by_key[key] = record
                self._index(collection, record)
                row = encoded[key] = _encode(record)
            entries.append(b"[%s,%s,%s]" % (_json(collection), _json(key), row))
        return b"[" + b",".join(entries) + b"]\n"

    def replay(self, line: bytes) -> None:
        self.apply({(collection, key): _decode(row) if row is not None else None
                    for collection, key, row in json.loads(line)})

    def serialise(self) -> Iterator[bytes]:
        """The file's JSON in pieces, written one after another: no copy of the whole is made."""
        yield f'{{"{_META}":{{"1":{{"format":{FORMAT}}}}}'.encode()
        for collection, by_key in self.records.items():
            encoded = self.encoded.setdefault(collection, {})
            yield f",{json.dumps(collection)}:{{".encode()
            for number, (key, record) in enumerate(by_key.items(), start=1):
                yield f'{"," if number > 1 else ""}"{number}":'.encode()
                yield encoded.get(key) or encoded.setdefault(key, _encode(record))
            yield b"}"
        yield b"}"

    def _index(self, collection: str, record: Record) -> None:
        for tag in record.tags:
            self.tags.setdefault((collection, tag), set()).add(record.key)


class _TinySession:
    """Reads see the committed contents overlaid with this transaction's own changes."""

    def __init__(self, contents: _Contents) -> None:
        self._contents = contents
        self.changes: dict[tuple[str, str], Record | None] = {}

    def get(self, collection: str, key: str, lock: Lock = Lock.NONE) -> Record | None:
        # The whole store is held by this transaction, so every read is already locked.
        if (collection, key) in self.changes:
            return self.changes[(collection, key)]
        return self._contents.records.get(collection, {}).get(key)

    def put(self, collection: str, record: Record) -> None:
        self.changes[(collection, record.key)] = record

    def add(self, collection: str, record: Record) -> bool:
        if self.get(collection, record.key) is not None:
            return False
        self.put(collection, record)
        return True

    def delete(self, collection: str, key: str) -> bool:
        existed = self.get(collection, key) is not None
        self.changes[(collection, key)] = None
        return existed

    def tagged(self, collection: str, tag: str) -> list[Record]:
        keys = self._contents.tags.get((collection, tag), set())
        keys = keys | {key for (name, key) in self.changes if name == collection}
        return [record for key in sorted(keys)
                if (record := self.get(collection, key)) is not None and tag in record.tags]

    def starting_with(self, collection: str, prefix: str) -> list[Record]:
        return [record for record in self.all(collection) if record.key.startswith(prefix)]

    def at_or_before(self, collection: str, moment: datetime) -> list[Record]:
        return [record for record in self.all(collection) if record.at is not None and record.at <= moment]

    def claim_earliest(self, collection: str, moment: datetime) -> Record | None:
        return min(self.at_or_before(collection, moment), key=lambda record: (record.at, record.key), default=None)

    def earliest_at(self, collection: str) -> datetime | None:
        return min((record.at for record in self.all(collection) if record.at is not None), default=None)

    def all(self, collection: str) -> list[Record]:
        committed = self._contents.records.get(collection, {})
        mine = {key: record for (name, key), record in self.changes.items() if name == collection}
        if not mine:
            return list(committed.values())
        merged = {**committed, **mine}
        return [record for record in merged.values() if record is not None]

    def collections(self) -> list[str]:
        names = set(self._contents.records) | {name for name, _ in self.changes}
        return sorted(name for name in names if self.all(name))


class TinyDBStore(NestedTransactions):
    kind = "tinydb"

    def __init__(self, path: Path) -> None:
        super().__init__()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        self._file = AtomicJSONStorage(path)
        self._file.remove_leftovers()
        self._lock_path = path.with_name(path.name + ".lock")
        self._journal = _Journal(path.with_name(path.name + ".journal"))
        self._mutex = threading.Lock()
        self._contents: _Contents | None = None
        self._signature: _Signature | None = None
        # The journal as far as the contents hold it: its inode (0 while there is none) and where its
        # last whole line ends; None while nothing is read.
        self._journal_read: tuple[int, int] | None = None
        self._lock_descriptor: int | None = None
        self._legacy = False
        if path.exists():
            self._upgrade_legacy()

    def _upgrade_legacy(self) -> None:
        """Writes a first-format file back in the current one (the modules re-tag their records
        at start-up); a file that cannot be read is left for the first transaction to report."""
        with self._mutex:
            try:
                self._acquire()
            except ValueError:
                return
            try:
                if self._legacy:
                    self._save()
            finally:
                self._release()

    def _begin(self) -> Session:
        self._mutex.acquire()
        try:
            self._acquire()
        except BaseException:
            self._mutex.release()
            raise
        assert self._contents is not None
        return _TinySession(self._contents)

    def _end(self, session: Session, *, commit: bool) -> None:
        try:
            assert isinstance(session, _TinySession) and self._contents is not None
            if commit and session.changes:
                try:
                    line = self._contents.apply(session.changes)
                    assert self._journal_read is not None
                    if self._legacy or self._signature is None:
                        self._save()
                    else:
                        # Journalled even when it is then folded in: replaying the journal onto the
                        # new file must end with this commit, or it would undo it.
                        self._journal_read = self._journal.append(line, self._journal_read)
                        if self._journal_read[1] > max(JOURNAL_MIN, self._signature[2] // 2):
                            self._save()
                except BaseException:
                    # What is in memory may now differ from the file: read the file again next time.
                    self._contents = self._signature = self._journal_read = None
                    raise
        finally:
            self._release()
            self._mutex.release()

    def _acquire(self) -> None:
        descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            self._refresh()
        except BaseException:
            # Closing the descriptor releases the lock: an unreadable file must not wedge the store.
            os.close(descriptor)
            raise
        self._lock_descriptor = descriptor

    def _release(self) -> None:
        if self._lock_descriptor is not None:
            os.close(self._lock_descriptor)
            self._lock_descriptor = None

    def _refresh(self) -> None:
        signature, journal = _stat(self.path), _stat(self._journal.path)
        read = self._journal_read
        if (self._contents is None or signature != self._signature or read is None
                or (journal is not None and journal[0] == read[0] and journal[2] < read[1])):
            # Rewritten, or its journal emptied, by another Store object: read both afresh.
            self._contents, self._legacy = _Contents.parse(self._file.read())
            self._signature, read = signature, None
        self._journal_read = self._journal.replay_into(self._contents, read, journal)

    def _save(self) -> None:
        """Everything into the file, then the journal emptied: replaying what it held onto the new
        file (a crash between the two) changes nothing."""
        assert self._contents is not None
        self._file.write_pieces(self._contents.serialise())
        self._signature = _stat(self.path)
        self._journal_read = self._journal.empty()
        self._legacy = False

    def close(self) -> None:
        """Nothing is held open between transactions."""



def _stat(path: Path) -> _Signature | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size


class _Journal:
    """`<file>.journal`: one line a committed transaction, appended and fsynced; a last line with
    no newline is a commit cut short, never acknowledged."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def replay_into(self, contents: _Contents, read: tuple[int, int] | None,
                    journal: _Signature | None) -> tuple[int, int] | None:
        """Applies the lines after `read` (all, when None or another file); how far it is now read."""
        if journal is None:
            return 0, 0
        start = 0 if read is None or read[0] != journal[0] else read[1]
        if journal[2] <= start:
            return journal[0], start
        with self.path.open("rb") as handle:
            handle.seek(start)
            data = handle.read()
        complete = data[:data.rfind(b"\n") + 1]
        for line in complete.splitlines():
            contents.replay(line)  # a line that is not JSON is corruption, reported as ValueError
        return journal[0], start + len(complete)

    def append(self, line: bytes, read: tuple[int, int]) -> tuple[int, int]:
        """Appends one transaction's line after `read`, durably; how far the journal now goes."""
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            status = os.fstat(descriptor)
            end = read[1] if status.st_ino == read[0] else 0  # else: just created
            try:
                if status.st_size != end:
                    os.ftruncate(descriptor, end)  # cuts off a torn line a crash left
                os.pwrite(descriptor, line, end)
                os.fdatasync(descriptor)  # the data and the new size: all a reader needs
            except BaseException:
                # A commit that fails must not be found later: its line goes (as far as the disk lets it).
                with contextlib.suppress(OSError):
                    os.ftruncate(descriptor, end)
                raise
            if status.st_ino != read[0]:
                fsync_directory(self.path.parent)  # the new journal's name must survive a power cut too
            return status.st_ino, end + len(line)
        finally:
            os.close(descriptor)

    def empty(self) -> tuple[int, int]:
        descriptor = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            os.ftruncate(descriptor, 0)
            os.fsync(descriptor)
            fsync_directory(self.path.parent)
            return os.fstat(descriptor).st_ino, 0
        finally:
            os.close(descriptor)
