"""A card press counts once, on any number of instances.

Every form card carries a fresh form id (dialogs/card_form.py). When a submit is accepted, the
dialog names it as this turn's press (`pressing`); the review change the turn then makes consumes
it in the same transaction (`consume`, called by the review repository): a key added to the
"card_presses" collection, which both adapters add at most once (PostgreSQL's unique key waits for
a concurrent insert). So the same press sent twice, to one instance or two, at once or later,
records once; the second gets `AlreadyRecorded`, in words for the person.

The press lives in a context variable, which asyncio gives each turn its own copy of (and
`asyncio.to_thread` passes on), so nothing between the dialog and the store has to carry it.
"""

from contextvars import ContextVar
from datetime import UTC, datetime, timedelta

from bot.storage.port import Record, Session, Store

COLLECTION = "card_presses"
# Far longer than anyone keeps a chat open on an old card; then the record is pruned.
KEPT_FOR = timedelta(days=90)
_press: ContextVar[str | None] = ContextVar("card_press", default=None)


class AlreadyRecorded(ValueError):
    def __init__(self) -> None:
        super().__init__("That was already recorded (the same button was pressed twice), so nothing more "
                         "was changed. Type **my reviews** to see where things stand.")


def pressing(form_id: str) -> None:
    """This turn acts on the card press `form_id`."""
    _press.set(form_id)


def consume(session: Session) -> None:
    """Take this turn's press, if any, in `session`; AlreadyRecorded if it was taken before."""
    form_id = _press.get()
    if form_id is None:
        return
    now = datetime.now(UTC)
    if not session.add(COLLECTION, Record(form_id, {"at": now.isoformat()}, at=now)):
        raise AlreadyRecorded


def was_recorded(store: Store, form_id: str) -> bool:
    with store.transaction() as session:
        return session.get(COLLECTION, form_id) is not None


def prune(store: Store) -> int:
    with store.transaction() as session:
        old = session.at_or_before(COLLECTION, datetime.now(UTC) - KEPT_FOR)
        for record in old:
            session.delete(COLLECTION, record.key)
    return len(old)
