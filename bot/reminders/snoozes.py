"""Snoozed reminders: one row per (review, obligation occurrence, user), skipped until a date."""

from datetime import date

from tinydb import Query

from bot.storage import Store

TABLE = "reminder_snoozes"


class SnoozeBook:
    def __init__(self, store: Store) -> None:
        self._store = store

    def snooze(self, review_id: str, instance_id: str, user_id: str, until: date) -> None:
        """No reminder about this occurrence reaches this user before `until` (from `until` on,
        they start again). Snoozing again replaces the date."""
        row = {"review_id": review_id, "instance_id": instance_id, "user_id": user_id,
               "until": until.isoformat()}
        q = Query()
        with self._store.transaction():
            self._store.table(TABLE).upsert(
                row, (q.review_id == review_id) & (q.instance_id == instance_id) & (q.user_id == user_id))

    def active(self, today: date) -> dict[tuple[str, str, str], date]:
        """Snoozes still running today, by (review id, instance id, user id)."""
        with self._store.transaction():
            rows = self._store.table(TABLE).all()
        return {
            (row["review_id"], row["instance_id"], row["user_id"]): until
            for row in rows
            if (until := date.fromisoformat(row["until"])) > today
        }

    def prune(self, today: date) -> int:
        with self._store.transaction():
            removed = self._store.table(TABLE).remove(
                Query().until.test(lambda until: date.fromisoformat(until) <= today))
        return len(removed)
