"""The Teams activity handler: greets people, and hands every message to the root dialog."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from weakref import WeakValueDictionary

from botbuilder.core import ConversationState, InvokeResponse, TurnContext, UserState
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.dialogs import Dialog, DialogExtensions
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.storage.bot_state import StateConflict
from bot.teams.adapter import FAILED_TURN_MARK
from bot.teams.admission import NO_IDENTITY, Admission, user_id_of
from bot.teams.conversations import ConversationDirectory, is_personal
from bot.teams.exports import CONSENT_INVOKE, ReviewExports
from bot.teams.universal_actions import ACTION_INVOKE, answer_press

log = logging.getLogger(__name__)

# Review references and who owes what are for the people on the review, not a group chat.
ONE_TO_ONE_ONLY = (
    "I only work in a 1:1 chat, so that details of reviews are never shown to a group. "
    "Open a chat with SCR Assistant and type **help**."
)

GROUP_WELCOME = "Hello, I'm SCR Assistant. " + ONE_TO_ONE_ONLY

_KNOWN_TYPES = frozenset(kind.value for kind in ActivityTypes)


class ScrBot(TeamsActivityHandler):
    def __init__(
        self, conversation_state: ConversationState, user_state: UserState, root_dialog: Dialog,
        directory: ConversationDirectory, admission: Admission, welcome: Callable[[], Activity],
        exports: ReviewExports, refresh: Callable[[TurnContext], Awaitable[None]],
    ) -> None:
        """`directory` keeps where to reach each person, for reminders sent later; `admission`
        says whose activities are served at all; `welcome` makes the first message to a new user
        (the conversation layer's help card); `exports` takes Teams' answer to a file consent card;
        `refresh` shows a card as it is now, for Teams' automatic refresh, leaving any form open."""
        self._refresh = refresh
        self._exports = exports
        self._admission = admission
        self._welcome_message = welcome
        self._conversation_state = conversation_state
        self._directory = directory
        self._user_state = user_state
        self._root_dialog = root_dialog
        self._dialog_state = conversation_state.create_property("DialogState")
        # Teams sends both installationUpdate and conversationUpdate on install: greet once.
        self._welcomed = conversation_state.create_property("Welcomed")
        self._turn_locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    async def on_turn(self, turn_context: TurnContext) -> None:
        refusal = self._admission.refusal(turn_context.activity)
        if refusal is not None:
            # Nothing is read or stored for a refused activity; only a message is answered, so
            # an install or a typing indicator from a stranger does not make the bot talk.
            # The type is logged only when it is one the SDK knows: the sender chooses the text.
            kind = turn_context.activity.type
            log.info("Refused an activity of type %s: %s", kind if kind in _KNOWN_TYPES else "(other)",
                     "no valid identity" if refusal == NO_IDENTITY else "tenant not allowed")
            if turn_context.activity.type == ActivityTypes.message:
                await turn_context.send_activity(refusal)
            return
        # One turn at a time per conversation: a double press on a card otherwise runs the same
        # step twice, because each turn sees the state as it was before the other saved it.
        conversation = turn_context.activity.conversation.id if turn_context.activity.conversation else ""
        lock = self._turn_locks.setdefault(conversation, asyncio.Lock())
        async with lock:
            await super().on_turn(turn_context)
            try:
                await self._save_conversation(turn_context)
                await self._user_state.save_changes(turn_context)
            except StateConflict:
                # The same press reached another instance too, which saved first: its state stands,
                # and this turn's reply (e.g. "already recorded") has been sent. No apology needed.
                log.info("Conversation state was saved by a concurrent turn; keeping that one")

    async def _save_conversation(self, turn_context: TurnContext) -> None:
        """Save the conversation's state, unless it holds nothing (no form open, no greeting to
        remember): most turns are one-off commands, and a state kept for each of them would make
        the store, and memory with TinyDB, grow with everyone who ever typed "help"."""
        state = self._conversation_state.get(turn_context) or {}
        if any(not _empty(key, value) for key, value in state.items()):
            await self._conversation_state.save_changes(turn_context)
        elif "e_tag" in state:  # stored by an earlier turn, with a form since finished
            await self._conversation_state.delete(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        if not is_personal(turn_context):
            await turn_context.send_activity(ONE_TO_ONE_ONLY)
            return
        await self._directory.remember(turn_context, user_id_of(turn_context))
        await DialogExtensions.run_dialog(self._root_dialog, turn_context, self._dialog_state)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        # Two invokes are used: a press on a card's Action.Execute button (Universal Actions), and
        # the answer to the file consent card (an exported history), only in a 1:1 chat, where the
        # card was offered. The bot offers no messaging extension, task module, tab or sign-in:
        # every other invoke gets the Bot Framework's answer for that, 501, without the SDK parsing
        # a value the bot would never use (its parsers fail on malformed values).
        if turn_context.activity.name == ACTION_INVOKE:
            return await answer_press(turn_context, self.on_message_activity, self._refresh_card)
        if turn_context.activity.name == CONSENT_INVOKE and is_personal(turn_context):
            return await self._exports.on_consent(turn_context)
        return InvokeResponse(status=HTTPStatus.NOT_IMPLEMENTED)

    async def _refresh_card(self, turn_context: TurnContext) -> None:
        if not is_personal(turn_context):
            await turn_context.send_activity(ONE_TO_ONE_ONLY)
            return
        await self._refresh(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._directory.remember(turn_context, user_id_of(turn_context), force=True)
        await self._welcome(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await asyncio.to_thread(self._directory.forget, user_id_of(turn_context))
        # Installing again later is a new first contact: greet again then.
        await self._welcomed.delete(turn_context)

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        if members_added:
            await self._welcome(turn_context)

    async def _welcome(self, turn_context: TurnContext) -> None:
        if await self._welcomed.get(turn_context, False):
            return
        await self._welcomed.set(turn_context, True)
        if not is_personal(turn_context):
            # The help card's buttons would only be refused here: say where the bot does work.
            await turn_context.send_activity(GROUP_WELCOME)
            return
        await turn_context.send_activity(self._welcome_message())


def _empty(key: str, value: object) -> bool:
    """Whether this entry of conversation state holds nothing worth keeping. A failed turn's mark
    matters only beside the state it failed from: once that is gone, so may the mark be."""
    return key in ("e_tag", FAILED_TURN_MARK) or (key == "DialogState" and not getattr(value, "dialog_stack", None))
