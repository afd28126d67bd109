"""Talks to the running bot over HTTP as Teams does: Bot Framework activities posted to
/api/messages, with replies collected at the fake connector."""

import itertools
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp

from tests.fakes.fake_connector import FakeConnector, ReceivedActivity

_ids = itertools.count(1)


class HasUrl(Protocol):
    url: str


@dataclass
class TeamsClient:
    bot: HasUrl
    connector: FakeConnector
    user_id: str = "29:user-aad-1"
    aad_object_id: str = "00000000-0000-0000-0000-000000000001"
    user_name: str = "Test Representative"
    conversation_id: str = "a:personal-chat-1"
    tenant_id: str = "0a1b2c3d-0000-4000-8000-000000000001"
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.connector.join(self.conversation_id, self.user_id, self.aad_object_id)

    @property
    def person(self) -> str:
        """The id the bot stores for this user: its Entra object id, namespaced."""
        return f"aad:{self.aad_object_id.lower()}"

    def activity(self, activity_type: str = "message", **fields: Any) -> dict[str, Any]:
        return {
            "type": activity_type,
            "id": f"activity-{next(_ids)}",
            "channelId": "msteams",
            "serviceUrl": self.connector.url,
            "from": {"id": self.user_id, "name": self.user_name, "aadObjectId": self.aad_object_id},
            "recipient": {"id": "28:scr-assistant", "name": "SCR Assistant"},
            "conversation": {"id": self.conversation_id, "conversationType": "personal",
                             "tenantId": self.tenant_id},
            "channelData": {"tenant": {"id": self.tenant_id}},
            "locale": "en-GB",
            **fields,
        }

    async def post(self, activity: dict[str, Any]) -> int:
        async with aiohttp.ClientSession() as session, session.post(
            self.bot.url + "api/messages", json=activity, headers=self.headers
        ) as response:
            return response.status

    async def execute(self, data: dict[str, Any], trigger: str = "manual"
                      ) -> tuple[int, dict[str, Any], list[ReceivedActivity]]:
        """What Teams sends for a press on an Action.Execute button: an `adaptiveCard/action`
        invoke (`data` is the button's data with the card's inputs, as `tests.cards.press` gives);
        returns the HTTP status, the invoke response body and the messages the bot posted."""
        action = {"type": "Action.Execute", "verb": data.get("verb"), "data": data}
        activity = self.activity("invoke", name="adaptiveCard/action", value={"action": action, "trigger": trigger})
        async with aiohttp.ClientSession() as session, session.post(
            self.bot.url + "api/messages", json=activity, headers=self.headers
        ) as response:
            body = await response.json() if response.content_type == "application/json" else {}
            return response.status, body, self.connector.take(self.conversation_id)

    async def press_card(self, data: dict[str, Any]) -> tuple[dict[str, Any], list[ReceivedActivity]]:
        """A press on an Action.Execute button answered as Teams shows it: the card that replaces the
        pressed one (checked to be a card), and what the bot posted besides."""
        status, body, posted = await self.execute(data)
        assert status == 200 and body.get("type") == "application/vnd.microsoft.card.adaptive", (status, body)
        return body["value"], posted

    async def execute_refresh(self, data: dict[str, Any]) -> tuple[int, dict[str, Any], list[ReceivedActivity]]:
        """What Teams sends when a card with `refresh` is opened: its refresh action, automatically."""
        return await self.execute(data, trigger="automatic")

    async def say(self, text: str) -> list[ReceivedActivity]:
        status = await self.post(self.activity(text=text))
        assert status in (200, 201), status
        return self.connector.take(self.conversation_id)

    async def submit(self, value: dict[str, Any]) -> list[ReceivedActivity]:
        """What a client without Universal Actions sends for a button press: a message whose value
        is the button's data (an Action.Submit, or an Action.Execute it fell back to)."""
        status = await self.post(self.activity(value=value))
        assert status in (200, 201), status
        return self.connector.take(self.conversation_id)
