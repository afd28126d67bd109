"""Sending a card to someone who has not just written to the bot (a reminder, a digest).

`CloudAdapter.continue_conversation(reference, callback, bot_app_id)` opens a turn on a saved
conversation. In botbuilder 4.17 `bot_app_id` becomes the claims the connector client is built
from: the bot's MicrosoftAppId in Azure, and None locally (Agents Playground, the tests' fake
connector), where no token is needed.

botbuilder does not retry: a Teams 429 (throttling) or a passing 5xx surfaces as an
`ErrorResponseException`. It is caught inside the callback, so the adapter's on_turn_error (which
would apologise into the very conversation that failed) never runs, and retried here with bounded
backoff that honours Retry-After. 403/404 mean the conversation is gone (the app was uninstalled
or the user blocked it): the reference is dropped and the caller told, without retrying.
"""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import ConversationReference

from bot.teams.conversations import ConversationDirectory
from bot.teams.replies import card_message

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]
_GONE = {403, 404}
_RETRYABLE = {408, 412, 429, 500, 502, 503, 504}


class Delivery(Enum):
    DELIVERED = "delivered"
    GONE = "gone"  # 403/404: the reference has been dropped
    NO_CONVERSATION = "no_conversation"  # nobody to send to: the user never installed the app
    FAILED = "failed"  # still throttled or failing after the last attempt; try again later


@dataclass(frozen=True)
class SendResult:
    delivery: Delivery
    attempts: int = 0
    status: int | None = None

    @property
    def delivered(self) -> bool:
        return self.delivery is Delivery.DELIVERED


@dataclass(frozen=True)
class Backoff:
    attempts: int = 4
    base_seconds: float = 1.0
    max_seconds: float = 60.0

    def delay(self, attempt: int, retry_after: float | None, jitter: float) -> float:
        """Seconds to wait before attempt `attempt + 1`: Retry-After when given, else doubling
        from `base_seconds` with up to 10 % jitter; never more than `max_seconds`."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_seconds)
        return min(self.base_seconds * 2 ** (attempt - 1) * (1 + 0.1 * jitter), self.max_seconds)


def _status_and_retry_after(error: Exception) -> tuple[int | None, float | None]:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("Retry-After") if hasattr(headers, "get") else None
    return (int(status) if isinstance(status, int) else None), _retry_after_seconds(raw)


def _retry_after_seconds(raw: str | None) -> float | None:
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


class ProactiveSender:
    def __init__(
        self,
        adapter: BotAdapter,
        app_id: str | None,
        directory: ConversationDirectory,
        *,
        backoff: Backoff = Backoff(),
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._adapter = adapter
        self._app_id = app_id or None
        self.directory = directory
        self._backoff = backoff
        self._sleep = sleep
        self._jitter = jitter

    async def send_card(self, user_id: str, card: dict[str, Any], summary: str) -> SendResult:
        """Post `card` into the user's 1:1 conversation with the bot."""
        reference = await asyncio.to_thread(self.directory.get, user_id)
        if reference is None:
            return SendResult(Delivery.NO_CONVERSATION)
        result = await self.send(reference, lambda: card_message(card, summary))
        if result.delivery is Delivery.GONE:
            conversation_id = reference.conversation.id if reference.conversation else None
            await asyncio.to_thread(self.directory.forget, user_id, conversation_id)
            log.warning("Teams answered %s for a user's conversation: reference removed", result.status)
        return result

    async def send(self, reference: ConversationReference, make_activity: Callable[[], Any]) -> SendResult:
        """Deliver one activity to `reference`, retrying throttling and passing failures."""
        status: int | None = None
        for attempt in range(1, self._backoff.attempts + 1):
            error = await self._attempt(reference, make_activity())
            if error is None:
                return SendResult(Delivery.DELIVERED, attempt)
            status, retry_after = _status_and_retry_after(error)
            if status in _GONE:
                return SendResult(Delivery.GONE, attempt, status)
            if status is not None and status not in _RETRYABLE:
                log.warning("Proactive message refused with %s; not retried", status)
                return SendResult(Delivery.FAILED, attempt, status)
            if attempt == self._backoff.attempts:
                break
            delay = self._backoff.delay(attempt, retry_after, self._jitter())
            log.info("Proactive message got %s (attempt %d): retrying in %.1fs",
                     status or type(error).__name__, attempt, delay)
            await self._sleep(delay)
        log.warning("Proactive message not delivered after %d attempts (last %s)",
                    self._backoff.attempts, status)
        return SendResult(Delivery.FAILED, self._backoff.attempts, status)

    async def _attempt(self, reference: ConversationReference, activity: Any) -> Exception | None:
        failure: list[Exception] = []

        async def callback(turn_context: TurnContext) -> None:
            try:
                await turn_context.send_activity(activity)
            except Exception as error:  # noqa: BLE001 - classified by the caller
                failure.append(error)

        try:
            await self._adapter.continue_conversation(reference, callback, self._app_id)
        except Exception as error:  # noqa: BLE001 - e.g. the connector could not be reached
            failure.append(error)
        return failure[0] if failure else None
