"""Reviews at rest: every read checks membership, every change is one transaction.

Nobody sees a review they are not on: a review that exists but is not the caller's is reported
exactly like one that does not exist, so its reference does not leak. A change runs the domain
inside the store's transaction (`change(review)` is pure), so two people recording events on
the same review at once cannot lose each other's updates, and whatever else the change writes
in the same transaction (the emails it queues) is committed with it or not at all.
"""

from collections.abc import Callable
from typing import TypeVar

from tinydb import Query

from bot.review import Review, review_from_dict, review_to_dict
from bot.review.serialisation import SCHEMA_VERSION
from bot.storage.store import Store

_TABLE = "reviews"
Result = TypeVar("Result")


class ReviewNotFound(LookupError):
    """No such review for this user (whether it exists or not)."""


class DuplicateReview(ValueError):
    """The user already has a review with this reference from this board."""


class ReviewRepository:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(self, review: Review) -> None:
        with self._store.transaction():
            table = self._store.table(_TABLE)
            for row in table.all():
                other = review_from_dict(row["review"])
                if (other.reference.lower(), other.board_name.lower()) == (
                    review.reference.lower(), review.board_name.lower()
                ) and set(other.members) & set(review.members):
                    raise DuplicateReview(
                        f"You already have review {other.reference} from {other.board_name}. "
                        "Type **my reviews** to find it."
                    )
            table.insert(self._row(review))

    def get(self, review_id: str, user_id: str) -> Review:
        with self._store.transaction():
            return self._load(review_id, user_id)

    def system_get(self, review_id: str) -> Review:
        """A review for the bot's own workers (telling its members an email failed)."""
        with self._store.transaction():
            return self._load(review_id, None)

    def for_user(self, user_id: str) -> list[Review]:
        with self._store.transaction():
            rows = self._store.table(_TABLE).search(Query().members.any([user_id]))
        return sorted((review_from_dict(row["review"]) for row in rows), key=lambda r: r.reference)

    def all_reviews(self) -> list[Review]:
        """Every review, for the reminder scheduler acting on behalf of their members."""
        with self._store.transaction():
            rows = self._store.table(_TABLE).all()
        return [review_from_dict(row["review"]) for row in rows]

    def change(self, review_id: str, user_id: str,
               change: Callable[[Review], tuple[Review, Result]]) -> Result:
        """Apply a pure change for a member and save it, atomically; returns what it returned."""
        with self._store.transaction():
            return self._change(self._load(review_id, user_id), change)

    def system_change(self, review_id: str, change: Callable[[Review], tuple[Review, Result]]) -> Result:
        """The same for the bot's own workers (a delivery confirmed, a reminder sent)."""
        with self._store.transaction():
            return self._change(self._load(review_id, None), change)

    def remove(self, review_id: str) -> None:
        """Delete the review for good (retention); called only by the bot, inside a transaction."""
        self._store.table(_TABLE).remove(Query().id == review_id)

    def upgrade_stored(self) -> int:
        """Rewrites every row stored by an older release in the current schema, since the
        membership query reads the stored member ids before any row is decoded (and migrated);
        returns how many changed."""
        with self._store.transaction():
            table = self._store.table(_TABLE)
            stale = [row for row in table.all() if row["review"].get("schema_version") != SCHEMA_VERSION]
            for row in stale:
                table.update(self._row(review_from_dict(row["review"])), doc_ids=[row.doc_id])
        return len(stale)

    def _change(self, review: Review, change: Callable[[Review], tuple[Review, Result]]) -> Result:
        changed, result = change(review)
        self._store.table(_TABLE).update(self._row(changed), Query().id == review.id)
        return result

    def _load(self, review_id: str, user_id: str | None) -> Review:
        """`user_id` None is the bot itself, which acts on every review."""
        row = self._store.table(_TABLE).get(Query().id == review_id)
        if row is None or (user_id is not None and user_id not in row["members"]):
            raise ReviewNotFound("I can't find that review among yours. Type **my reviews** to see them.")
        return review_from_dict(row["review"])

    @staticmethod
    def _row(review: Review) -> dict:
        # Members are kept beside the review so the membership query needs no decoding.
        return {"id": review.id, "members": list(review.members), "review": review_to_dict(review)}
