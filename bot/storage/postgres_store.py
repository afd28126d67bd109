"""The adapter for many instances: PostgreSQL (psycopg 3), used when `DATABASE_URL` is set.

Every collection lives in one table, `records` (collection, key, document JSONB, tags text[],
at timestamptz), with a GIN index on the tags and an index on the due moment. What the port asks
for maps onto PostgreSQL's own guarantees:
- a transaction is a database transaction on a connection from a small pool, held by the thread
  that opened it (nested levels join it);
- `Lock.UPDATE` is `FOR UPDATE`; `Lock.SKIP_LOCKED` and `claim_earliest` use `FOR UPDATE SKIP
  LOCKED`, so each email and reminder is claimed by one instance however many run;
- `add` is `INSERT … ON CONFLICT DO NOTHING`, which waits for a concurrent insert of the same key
  to commit or roll back, so a key (a card press, a reminder) is taken once.

The schema is versioned (`schema_migrations`); missing migrations are applied at start-up under an
advisory lock, so instances starting together apply them once. The URL is passed to libpq as it
is: `sslmode=require` (or `verify-full`) in it turns TLS on. The URL is never logged.
"""

import logging
from datetime import datetime
from typing import Any

import psycopg
from psycopg import Connection
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool, PoolTimeout

from bot.storage.port import Lock, NestedTransactions, Record, Session

log = logging.getLogger(__name__)

# Append only: a released migration is never edited, a change is a new version.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
        CREATE TABLE records (
            collection text NOT NULL,
            key text NOT NULL,
            document jsonb NOT NULL,
            tags text[] NOT NULL DEFAULT '{}',
            at timestamptz,
            PRIMARY KEY (collection, key)
        );
        CREATE INDEX records_tags ON records USING gin (tags);
        CREATE INDEX records_due ON records (collection, at) WHERE at IS NOT NULL;
    """),
)
# Any fixed number: instances starting at once take turns applying migrations.
_MIGRATION_LOCK = 0x5C12
_COLUMNS = "key, document, tags, at"
# Records `all` keeps between listings (a review's document is about 13 KB in memory): enough for
# every review of a large deployment, bounded however many there are.
LISTED_LIMIT = 10_000
_LOCKS = {Lock.NONE: "", Lock.UPDATE: " FOR UPDATE", Lock.SKIP_LOCKED: " FOR UPDATE SKIP LOCKED"}


class DatabaseUnavailable(RuntimeError):
    """DATABASE_URL cannot be parsed, or the server cannot be reached or refuses the login."""


def _record(row: tuple[str, dict[str, Any], list[str], datetime | None]) -> Record:
    key, document, tags, at = row
    return Record(key, document, frozenset(tags), at)


class _PostgresSession:
    """The connection is in autocommit until the session first writes or locks: only then is BEGIN
    sent. Under READ COMMITTED (PostgreSQL's default) every statement reads its own snapshot inside
    a transaction too, so plain reads lose nothing by running before it, and a session that only
    reads (most of a turn's) costs one round trip a query, without BEGIN and COMMIT."""

    def __init__(self, connection: Connection, listed: dict[tuple[str, str], tuple[int, Record]]) -> None:
        self._connection = connection
        self._listed = listed
        self.begun = False

    def _writing(self) -> Connection:
        if not self.begun:
            self._connection.execute("BEGIN")
            self.begun = True
        return self._connection

    def _rows(self, sql: str, *parameters: object) -> list[Record]:
        return [_record(row) for row in self._connection.execute(sql, parameters).fetchall()]

    def get(self, collection: str, key: str, lock: Lock = Lock.NONE) -> Record | None:
        if lock is not Lock.NONE:
            self._writing()
        rows = self._rows(f"SELECT {_COLUMNS} FROM records WHERE collection = %s AND key = %s{_LOCKS[lock]}",
                          collection, key)
        return rows[0] if rows else None

    def put(self, collection: str, record: Record) -> None:
        self._writing().execute(
            "INSERT INTO records (collection, key, document, tags, at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (collection, key) DO UPDATE "
            "SET document = EXCLUDED.document, tags = EXCLUDED.tags, at = EXCLUDED.at",
            (collection, record.key, Jsonb(record.document), sorted(record.tags), record.at))

    def add(self, collection: str, record: Record) -> bool:
        cursor = self._writing().execute(
            "INSERT INTO records (collection, key, document, tags, at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (collection, key) DO NOTHING",
            (collection, record.key, Jsonb(record.document), sorted(record.tags), record.at))
        return cursor.rowcount == 1

    def delete(self, collection: str, key: str) -> bool:
        cursor = self._writing().execute("DELETE FROM records WHERE collection = %s AND key = %s",
                                          (collection, key))
        return cursor.rowcount > 0

    def tagged(self, collection: str, tag: str) -> list[Record]:
        return self._rows(f"SELECT {_COLUMNS} FROM records WHERE collection = %s AND tags @> ARRAY[%s]::text[] "
                          "ORDER BY key", collection, tag)

    def starting_with(self, collection: str, prefix: str) -> list[Record]:
        return self._rows(f"SELECT {_COLUMNS} FROM records WHERE collection = %s AND starts_with(key, %s) "
                          "ORDER BY key", collection, prefix)

    def at_or_before(self, collection: str, moment: datetime) -> list[Record]:
        return self._rows(f"SELECT {_COLUMNS} FROM records WHERE collection = %s AND at <= %s ORDER BY at, key",
                          collection, moment)

    def claim_earliest(self, collection: str, moment: datetime) -> Record | None:
        self._writing()
        rows = self._rows(f"SELECT {_COLUMNS} FROM records WHERE collection = %s AND at <= %s "
                          "ORDER BY at, key LIMIT 1 FOR UPDATE SKIP LOCKED", collection, moment)
        return rows[0] if rows else None

    def earliest_at(self, collection: str) -> datetime | None:
        row = self._connection.execute("SELECT min(at) FROM records WHERE collection = %s",
                                       (collection,)).fetchone()
        return row[0] if row else None

    def all(self, collection: str) -> list[Record]:
        """Reads only the rows changed since this instance last listed them (a row's `xmin` is the
        transaction that last wrote it), handing out the same Record objects for the rest, so a
        reminder sweep neither fetches nor decodes every review again. At most LISTED_LIMIT
        records are kept: beyond that, the rest are fetched at every listing."""
        versions = self._connection.execute(
            "SELECT key, xmin::text::bigint FROM records WHERE collection = %s ORDER BY key", (collection,)).fetchall()
        stale = [key for key, version in versions if self._listed.get((collection, key), (None,))[0] != version]
        fetched: dict[str, tuple[int, Record]] = {}
        if stale:
            for key, document, tags, at, version in self._connection.execute(
                    f"SELECT {_COLUMNS}, xmin::text::bigint FROM records WHERE collection = %s AND key = ANY(%s)",
                    (collection, stale)).fetchall():
                fetched[key] = (version, _record((key, document, tags, at)))
                if len(self._listed) < LISTED_LIMIT or (collection, key) in self._listed:
                    self._listed[(collection, key)] = fetched[key]
        listed = []
        for key, version in versions:
            kept = fetched.get(key) or self._listed.get((collection, key))
            if kept is not None and (key in fetched or kept[0] == version):
                listed.append(kept[1])
            else:  # written again between the two reads: read it as it is now
                record = self.get(collection, key)
                if record is not None:
                    listed.append(record)
        present = {key for key, _ in versions}
        # A snapshot of the keys: other threads' sessions add to the same memory meanwhile.
        for gone in [entry for entry in list(self._listed) if entry[0] == collection and entry[1] not in present]:
            self._listed.pop(gone, None)
        return listed

    def collections(self) -> list[str]:
        return [row[0] for row in self._connection.execute(
            "SELECT DISTINCT collection FROM records ORDER BY collection").fetchall()]


class PostgresStore(NestedTransactions):
    kind = "postgresql"

    def __init__(self, url: str, pool_size: int = 8) -> None:
        super().__init__()
        # Records as last listed, with their row versions: see _PostgresSession.all.
        self._listed: dict[tuple[str, str], tuple[int, Record]] = {}
        try:
            # One plain connection first: a server that is down or refuses us fails here at once,
            # where the pool would keep retrying until its timeout.
            psycopg.connect(url).close()
            self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False,
                                        kwargs={"autocommit": True}, name="scr-assistant")
            self._pool.open(wait=True, timeout=30)
        except (psycopg.Error, PoolTimeout) as error:
            # Said without the URL, which may hold a password.
            raise DatabaseUnavailable(
                f"cannot use the PostgreSQL database DATABASE_URL names ({type(error).__name__})") from None
        self._migrate()

    def _migrate(self) -> None:
        with self._pool.connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            connection.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                               "(version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
            applied = {row[0] for row in connection.execute("SELECT version FROM schema_migrations").fetchall()}
            for version, sql in MIGRATIONS:
                if version not in applied:
                    connection.execute(sql)
                    connection.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
                    log.info("PostgreSQL schema migrated to version %d", version)

    def _begin(self) -> Session:
        connection = self._pool.getconn()
        return _PostgresSession(connection, self._listed)

    def _end(self, session: Session, *, commit: bool) -> None:
        assert isinstance(session, _PostgresSession)
        connection = session._connection
        try:
            if session.begun:
                connection.execute("COMMIT" if commit else "ROLLBACK")
        finally:
            # The pool rolls back whatever a failed commit left open before lending it again.
            self._pool.putconn(connection)

    def close(self) -> None:
        self._pool.close()
