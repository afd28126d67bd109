"""Where each person can be reached proactively: their 1:1 conversation with the bot.

Bot Framework can message someone only in a conversation the bot has seen, through the
`ConversationReference` of that conversation (service URL, conversation id, bot and user ids).
One reference is kept per user id (the same namespaced id reviews list as members, see
bot.review.people), saved when the bot is installed or first messaged by an admitted person
(bot.teams.admission), and removed when the app is uninstalled or Teams answers 403/404 for that
conversation.

Only personal (1:1) conversations are kept: reminders name review references and must not land
in a channel or group chat. `remember` compares with what it last saw before touching the store,
so calling it on every turn costs a dictionary lookup.
"""

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference

from bot.review.people import migrate_person
from bot.storage import Lock, Record, Store

log = logging.getLogger(__name__)

TABLE = "conversation_references"
# Another instance may have removed a reference (a 403 it saw); re-check the store this often
# even when nothing changed here, so a later message from the person puts it back.
RECHECK_SECONDS = 600.0
# `remember`'s memory of what the store holds is only a shortcut: the people seen longest ago are
# dropped beyond this many, so memory stays bounded however many people ever write.
SEEN_LIMIT = 2_000


def reference_of(turn_context: TurnContext) -> ConversationReference:
    reference = TurnContext.get_conversation_reference(turn_context.activity)
    # The activity id changes every turn and is not needed to continue the conversation; display
    # names are not needed either, so they are not stored.
    reference.activity_id = None
    for account in (reference.user, reference.bot):
        if account is not None:
            account.name = None
    return reference


def is_personal(turn_context: TurnContext) -> bool:
    conversation = turn_context.activity.conversation
    # Agents Playground and the emulator leave conversationType out; they are 1:1 as well.
    kind = getattr(conversation, "conversation_type", None) if conversation else None
    return kind in (None, "", "personal")


class ConversationDirectory:
    def __init__(self, store: Store, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._monotonic = monotonic
        # user id -> (serialised reference as last confirmed in the store, when confirmed)
        self._seen: OrderedDict[str, tuple[dict[str, Any], float]] = OrderedDict()

    async def remember(self, turn_context: TurnContext, user_id: str, *, force: bool = False) -> bool:
        """Keep the conversation of this turn for `user_id`; True if the store was written (in a
        thread, off the event loop). Pass `force=True` on installation, when a stale copy elsewhere
        must be replaced."""
        if not user_id or not is_personal(turn_context):
            return False
        serialised = reference_of(turn_context).serialize()
        seen = self._seen.get(user_id)
        if (not force and seen is not None and seen[0] == serialised
                and self._monotonic() - seen[1] < RECHECK_SECONDS):
            return False
        return await asyncio.to_thread(self.save, user_id, serialised)

    def save(self, user_id: str, serialised: dict[str, Any]) -> bool:
        with self._store.transaction() as session:
            existing = session.get(TABLE, user_id, Lock.UPDATE)
            changed = existing is None or existing.document["reference"] != serialised
            if changed:
                session.put(TABLE, _record(user_id, serialised))
        self._seen[user_id] = (serialised, self._monotonic())
        self._seen.move_to_end(user_id)
        while len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)
        if changed:
            log.info("Saved the conversation reference of a user")
        return changed

    def namespace_saved_ids(self) -> int:
        """Rows saved before ids were namespaced get the id their reviews now list, so reminders
        keep reaching people after an upgrade; returns how many changed."""
        with self._store.transaction() as session:
            stale = [record for record in session.all(TABLE)
                     if _record(migrate_person(record.key), record.document["reference"]) != record]
            for record in stale:
                session.delete(TABLE, record.key)
                session.put(TABLE, _record(migrate_person(record.key), record.document["reference"]))
        return len(stale)

    def get(self, user_id: str) -> ConversationReference | None:
        with self._store.transaction() as session:
            record = session.get(TABLE, user_id)
        if record is None:
            return None
        return ConversationReference().deserialize(record.document["reference"])

    def forget(self, user_id: str, conversation_id: str | None = None) -> bool:
        """Remove the user's reference; with `conversation_id`, only if it is still that
        conversation (the person may have reinstalled the app since the failed send)."""
        self._seen.pop(user_id, None)
        with self._store.transaction() as session:
            existing = session.get(TABLE, user_id, Lock.UPDATE)
            removed = existing is not None and (
                conversation_id is None
                or existing.document["reference"].get("conversation", {}).get("id") == conversation_id)
            if removed:
                session.delete(TABLE, user_id)
        if removed:
            log.info("Removed the conversation reference of a user")
        return removed


def _record(user_id: str, serialised: dict[str, Any]) -> Record:
    return Record(user_id, {"user_id": user_id, "reference": serialised})
