"""The Cloud adapter, and what happens when a turn fails."""

import logging
import uuid
from dataclasses import dataclass

from botbuilder.core import ConversationState, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)

from bot.config import Settings
from bot.teams.msrest_speedup import speed_up_retry_policy

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on my side and I could not finish that. Anything you had not "
    "confirmed was not saved, and any form you were filling in has been closed: please start that "
    "step again, or type **help**. If it keeps happening, quote this reference to the service "
    "desk: {incident}."
)


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
                      exc_info=error)
        try:
            await context.send_activity(APOLOGY.format(incident=incident))
        except Exception:  # noqa: BLE001 - the channel itself may be what failed
            log.warning("Could not tell the user about incident %s", incident)
        # A dialog stack that just raised would raise again next turn: start afresh.
        try:
            await conversation_state.load(context)
            await conversation_state.delete(context)
        except Exception:  # noqa: BLE001 - storage may be what failed; the apology is already out
            log.warning("Could not reset the conversation after incident %s", incident)

    adapter.on_turn_error = on_turn_error
    return adapter
