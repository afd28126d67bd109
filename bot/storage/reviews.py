"""Reviews at rest: every read checks membership, every change is one transaction.

Nobody sees a review they are not on: a review that exists but is not the caller's is reported
exactly like one that does not exist, so its reference does not leak. A change runs the domain
inside the store's transaction (`change(review)` is pure) with the review's record locked, so two
people recording events on the same review at once, on one instance or two, cannot lose each
other's updates, and whatever else the change writes in the same transaction (the emails it
queues, the card press it consumes) is committed with it or not at all.

Each record is tagged with its members and its reference, so "my reviews" and the duplicate check
read only the reviews they need. Opening a review first writes a record named by its reference
(collection "review_references"): on PostgreSQL a second transaction writing it waits until the
first commits, and only then reads, so two presses opening the same reference at the same moment,
on two instances, cannot both find no duplicate (TinyDB runs one transaction at a time anyway).
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from bot.review import Review, review_from_dict, review_to_dict
from bot.review.serialisation import SCHEMA_VERSION
from bot.storage import presses
from bot.storage.port import Lock, Record, Session, Store

COLLECTION = "reviews"
# Decoded reviews kept for reading (each holds its stored document too): bounded, like the
# PostgreSQL adapter's listing memory, however many reviews there are.
DECODED_LIMIT = 10_000
REFERENCES = "review_references"
Result = TypeVar("Result")


class ReviewNotFound(LookupError):
    """No such review for this user (whether it exists or not)."""


class DuplicateReview(ValueError):
    """The user already has a review with this reference from this board."""


def _member_tag(user_id: str) -> str:
    return f"member:{user_id}"


def _reference_tag(reference: str, board_name: str) -> str:
    return f"reference:{reference.lower()}\x1f{board_name.lower()}"


def _record(row: dict[str, Any]) -> Record:
    stored = row["review"]
    tags = {_member_tag(member) for member in row["members"]}
    tags.add(_reference_tag(stored["reference"], stored["board_name"]))
    return Record(row["id"], row, frozenset(tags))


class ReviewRepository:
    def __init__(self, store: Store) -> None:
        self._store = store
        # Decoding is most of the cost of reading a review: the decoded review is kept while the
        # store hands out the very same stored document (TinyDB does until the review changes).
        # Only reads share it; a change always decodes afresh, so nothing can alter a shared one.
        self._decoded: dict[str, tuple[dict[str, Any], Review]] = {}

    def add(self, review: Review) -> None:
        with self._store.transaction() as session:
            # First: the same press sent again finds its review as a duplicate, and must hear the truth.
            presses.consume(session)
            reference = _reference_tag(review.reference, review.board_name)
            session.put(REFERENCES, Record(reference, {}))
            for record in session.tagged(COLLECTION, reference):
                if set(record.document["members"]) & set(review.members):
                    raise DuplicateReview(
                        f"You already have review {review.reference} from {review.board_name}. "
                        "Type **my reviews** to find it."
                    )
            if not session.add(COLLECTION, _record(self._row(review))):
                raise ValueError(f"A review with id {review.id} exists already")

    def already_has(self, user_id: str, reference: str, board_name: str) -> Review | None:
        """The review ``user_id`` is on with this reference and board (as ``add`` matches them), if any."""
        with self._store.transaction() as session:
            records = [record for record in session.tagged(COLLECTION, _reference_tag(reference, board_name))
                       if user_id in record.document["members"]]
        return self._review(records[0].document) if records else None

    def get(self, review_id: str, user_id: str) -> Review:
        with self._store.transaction() as session:
            return self._review(self._load(session, review_id, user_id))

    def system_get(self, review_id: str) -> Review:
        """A review for the bot's own workers (telling its members an email failed)."""
        with self._store.transaction() as session:
            return self._review(self._load(session, review_id, None))

    def system_get_all(self, review_ids: Iterable[str]) -> dict[str, Review]:
        """Those of the reviews that exist, by id, in one transaction (the reminder loop)."""
        with self._store.transaction() as session:
            rows = [record.document for review_id in review_ids
                    if (record := session.get(COLLECTION, review_id)) is not None]
        return {row["id"]: self._review(row) for row in rows}

    def for_user(self, user_id: str) -> list[Review]:
        with self._store.transaction() as session:
            records = session.tagged(COLLECTION, _member_tag(user_id))
        return sorted((self._review(record.document) for record in records), key=lambda r: r.reference)

    def all_reviews(self) -> list[Review]:
        """Every review, for the reminder scheduler acting on behalf of their members."""
        with self._store.transaction() as session:
            records = session.all(COLLECTION)
        reviews = [self._review(record.document) for record in records]
        # Every review was just seen: whatever else is kept was removed, so memory stays bounded.
        for gone in set(self._decoded) - {record.key for record in records}:
            self._decoded.pop(gone, None)
        return reviews

    def change(self, review_id: str, user_id: str,
               change: Callable[[Review], tuple[Review, Result]]) -> Result:
        """Apply a pure change for a member and save it, atomically; returns what it returned."""
        with self._store.transaction() as session:
            presses.consume(session)
            return self._change(session, self._load(session, review_id, user_id, Lock.UPDATE), change)

    def was_recorded(self, form_id: str) -> bool:
        """Whether the card press `form_id` has changed a review already."""
        return presses.was_recorded(self._store, form_id)

    def system_change(self, review_id: str, change: Callable[[Review], tuple[Review, Result]]) -> Result:
        """The same for the bot's own workers (a delivery confirmed, a reminder sent)."""
        with self._store.transaction() as session:
            return self._change(session, self._load(session, review_id, None, Lock.UPDATE), change)

    def remove(self, review_id: str) -> None:
        """Delete the review for good (retention), and its reference once no review has it."""
        with self._store.transaction() as session:
            record = session.get(COLLECTION, review_id, Lock.UPDATE)
            if record is None:
                return
            session.delete(COLLECTION, review_id)
            stored = record.document["review"]
            reference = _reference_tag(stored["reference"], stored["board_name"])
            if not session.tagged(COLLECTION, reference):
                session.delete(REFERENCES, reference)

    def upgrade_stored(self) -> int:
        """Rewrites every record stored by an older release in the current schema and tags, since
        the membership lookup reads the stored member ids before any review is decoded (and
        migrated); returns how many changed."""
        changed = 0
        with self._store.transaction() as session:
            for record in session.all(COLLECTION):
                row = record.document
                if row["review"].get("schema_version") != SCHEMA_VERSION:
                    row = self._row(review_from_dict(row["review"]))
                upgraded = _record(row)
                if upgraded != record:
                    session.put(COLLECTION, upgraded)
                    changed += 1
        return changed

    def _review(self, row: dict[str, Any]) -> Review:
        kept = self._decoded.get(row["id"])
        if kept is not None and kept[0] is row:
            return kept[1]
        review = review_from_dict(row["review"])
        if kept is not None or len(self._decoded) < DECODED_LIMIT:
            self._decoded[row["id"]] = (row, review)
        return review

    def _change(self, session: Session, row: dict[str, Any],
                change: Callable[[Review], tuple[Review, Result]]) -> Result:
        changed, result = change(review_from_dict(row["review"]))
        session.put(COLLECTION, _record(self._row(changed)))
        return result

    @staticmethod
    def _load(session: Session, review_id: str, user_id: str | None, lock: Lock = Lock.NONE) -> dict[str, Any]:
        """`user_id` None is the bot itself, which acts on every review."""
        record = session.get(COLLECTION, review_id, lock)
        if record is None or (user_id is not None and user_id not in record.document["members"]):
            raise ReviewNotFound("I can't find that review among yours. Type **my reviews** to see them.")
        return record.document

    @staticmethod
    def _row(review: Review) -> dict[str, Any]:
        # Members are kept beside the review so membership is checked without decoding it.
        return {"id": review.id, "members": list(review.members), "review": review_to_dict(review)}
