"""Snoozed reminders: one record per (review, obligation occurrence, user), skipped until a date."""

from datetime import UTC, date, datetime, time

from bot.review.people import migrate_person
from bot.storage import Record, Store

TABLE = "reminder_snoozes"


def _record(review_id: str, instance_id: str, user_id: str, until: date) -> Record:
    row = {"review_id": review_id, "instance_id": instance_id, "user_id": user_id, "until": until.isoformat()}
    # `at` is the snooze's end, so pruning reads only the snoozes that ended.
    return Record(f"{review_id}|{instance_id}|{user_id}", row, at=datetime.combine(until, time(), UTC))


class SnoozeBook:
    def __init__(self, store: Store) -> None:
        self._store = store

    def snooze(self, review_id: str, instance_id: str, user_id: str, until: date) -> None:
        """No reminder about this occurrence reaches this user before `until` (from `until` on,
        they start again). Snoozing again replaces the date."""
        with self._store.transaction() as session:
            session.put(TABLE, _record(review_id, instance_id, user_id, until))

    def active(self, today: date) -> dict[tuple[str, str, str], date]:
        """Snoozes still running today, by (review id, instance id, user id)."""
        with self._store.transaction() as session:
            records = session.all(TABLE)
        return {
            (row["review_id"], row["instance_id"], row["user_id"]): until
            for row in (record.document for record in records)
            if (until := date.fromisoformat(row["until"])) > today
        }

    def prune(self, today: date) -> int:
        with self._store.transaction() as session:
            ended = session.at_or_before(TABLE, datetime.combine(today, time(), UTC))
            for record in ended:
                session.delete(TABLE, record.key)
        return len(ended)

    def upgrade_stored(self) -> int:
        """Snoozes saved before ids were namespaced, or before the storage port, are keyed by the
        id reviews now list, so a snooze keeps working after an upgrade; how many changed."""
        with self._store.transaction() as session:
            changed = 0
            for record in session.all(TABLE):
                row = record.document
                upgraded = _record(row["review_id"], row["instance_id"], migrate_person(row["user_id"]),
                                   date.fromisoformat(row["until"]))
                if upgraded != record:
                    session.delete(TABLE, record.key)
                    session.put(TABLE, upgraded)
                    changed += 1
        return changed
