"""The Cloud adapter, and what happens when a turn fails."""

import hashlib
import logging
import uuid
from dataclasses import dataclass

from botbuilder.core import ConversationState, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from jsonpickle.pickler import Pickler

from bot.config import Settings
from bot.teams.msrest_speedup import speed_up_retry_policy

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side and I could not finish that, so nothing of it was saved. "
FORM_KEPT = "The form you were filling in is still open with your answers: try again, or type **cancel**. "
FORM_CLOSED = ("It failed at the same point before, so I have closed the form you were filling in: please start "
               "that step again, or type **help**. ")
NO_FORM = "Please try again, or type **help**. "
INCIDENT = "If it keeps happening, quote this reference to the service desk: {incident}."
# Marks the state the last failed turn started from (see _recover).
FAILED_TURN_MARK = "FailedTurnAt"


@dataclass(frozen=True)
class _BotFrameworkConfig:
    """The attribute names botbuilder's configuration classes read."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def create_adapter(settings: Settings, conversation_state: ConversationState) -> CloudAdapter:
    speed_up_retry_policy()
    config = _BotFrameworkConfig(
        APP_ID=settings.app_id,
        APP_PASSWORD=settings.app_password,
        APP_TYPE=settings.app_type,
        APP_TENANTID=settings.app_tenant_id,
    )
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        # The incident id ties the user's report to the log line without echoing their input.
        incident = uuid.uuid4().hex[:8]
        log.exception("Turn failed (incident %s, activity type %s)", incident, context.activity.type,
                      exc_info=error, extra={"incident": incident})
        try:
            outcome = await _recover(context, conversation_state)
        except Exception:  # noqa: BLE001 - storage may be what failed; the state on disk is untouched
            log.warning("Could not look at the conversation after incident %s", incident)
            outcome = NO_FORM
        try:
            await context.send_activity(SORRY + outcome + INCIDENT.format(incident=incident))
        except Exception:  # noqa: BLE001 - the channel itself may be what failed
            log.warning("Could not tell the user about incident %s", incident)

    adapter.on_turn_error = on_turn_error
    return adapter


async def _recover(context: TurnContext, conversation_state: ConversationState) -> str:
    """Go back to the state the last good turn saved, so a half-filled form keeps its answers
    (the failed turn's own changes were never saved). A dialog that fails again from that very
    state would fail for ever, so a second failure there closes the form instead. Returns what
    to tell the person about their form."""
    await conversation_state.load(context, force=True)
    state = conversation_state.get(context)
    fingerprint = _fingerprint(state)
    if state.get(FAILED_TURN_MARK) == fingerprint:
        await conversation_state.delete(context)
        return FORM_CLOSED
    state[FAILED_TURN_MARK] = fingerprint
    await conversation_state.save_changes(context, force=True)
    dialog_state = state.get("DialogState")
    return FORM_KEPT if getattr(dialog_state, "dialog_stack", None) else NO_FORM


def _fingerprint(state: dict[str, object]) -> str:
    # The e-tag changes with every save, and the mark is what is being compared against.
    content = {key: value for key, value in state.items() if key not in (FAILED_TURN_MARK, "e_tag")}
    return hashlib.sha256(str(Pickler().flatten(content)).encode()).hexdigest()
