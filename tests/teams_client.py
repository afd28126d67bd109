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

    async def say(self, text: str) -> list[ReceivedActivity]:
        status = await self.post(self.activity(text=text))
        assert status in (200, 201), status
        return self.connector.take(self.conversation_id)

    async def submit(self, value: dict[str, Any]) -> list[ReceivedActivity]:
        """What Teams sends when a user presses an Action.Submit button on a card."""
        status = await self.post(self.activity(value=value))
        assert status in (200, 201), status
        return self.connector.take(self.conversation_id)
