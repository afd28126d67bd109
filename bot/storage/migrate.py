"""Moving up: copy a TinyDB data directory into the PostgreSQL database `DATABASE_URL` names.

    DATABASE_URL=postgresql://… .venv/bin/python -m bot.storage.migrate DATA_DIR

The URL is read from the environment, not the command line, so its password stays out of the
process list. The app must be stopped (the command takes its instance lock), and the database
must hold no records yet, so nothing there is overwritten. Every record is copied in one
transaction, read back and compared before it commits; the TinyDB files are left as they were.
The app, started on PostgreSQL, then re-tags what an older release stored.
"""

import os
import sys
from pathlib import Path

from bot.storage.factory import MAIN_FILE, STATE_FILE, InstanceRunning, hold_instance_lock, move_bot_state
from bot.storage.port import Record, Session, Store
from bot.storage.postgres_store import PostgresStore
from bot.storage.tinydb_store import TinyDBStore


class MigrationError(RuntimeError):
    pass


def _contents(session: Session) -> dict[str, dict[str, Record]]:
    return {name: {record.key: record for record in session.all(name)} for name in session.collections()}


def _everything(store: Store) -> dict[str, dict[str, Record]]:
    with store.transaction() as session:
        return _contents(session)


def migrate(data_dir: Path, target: Store) -> int:
    """Copies every record; returns how many. MigrationError if the target is not empty or the
    copy does not read back the same."""
    main, state = TinyDBStore(data_dir / MAIN_FILE), TinyDBStore(data_dir / STATE_FILE)
    move_bot_state(main, state)
    source = _everything(main)
    for name, records in _everything(state).items():
        source.setdefault(name, {}).update(records)
    with target.transaction() as session:
        if session.collections():
            raise MigrationError("the database already holds records: migrate only into an empty one")
        for name, records in source.items():
            for record in records.values():
                session.put(name, record)
        # Read back before committing: a copy that differs rolls back whole.
        copied = _contents(session)
        if copied != source:
            wrong = sorted(name for name in set(source) | set(copied) if source.get(name) != copied.get(name))
            raise MigrationError(f"the copy differs from the files in {', '.join(wrong)}")
    return sum(len(records) for records in source.values())


def main(arguments: list[str]) -> int:
    url = os.environ.get("DATABASE_URL", "").strip()
    if len(arguments) != 1 or not url:
        print(__doc__, file=sys.stderr)
        return 2
    data_dir = Path(arguments[0])
    if not (data_dir / MAIN_FILE).exists():
        print(f"No {MAIN_FILE} in {data_dir}: nothing to migrate.", file=sys.stderr)
        return 1
    try:
        lock = hold_instance_lock(data_dir)
    except InstanceRunning as error:
        print(f"Stop the app first: {error}", file=sys.stderr)
        return 1
    target = PostgresStore(url)
    try:
        copied = migrate(data_dir, target)
    except MigrationError as error:
        print(f"Nothing was migrated: {error}.", file=sys.stderr)
        return 1
    finally:
        target.close()
        os.close(lock)
    print(f"Copied and verified {copied} records from {data_dir} into PostgreSQL. "
          f"Set DATABASE_URL for the app; the files in {data_dir} are unchanged.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
