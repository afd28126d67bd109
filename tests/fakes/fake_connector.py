"""A stand-in for the Teams connector service: the bot's adapter really posts replies here.

Replies arrive at `/v3/conversations/{id}/activities[/{activityId}]`, as in Bot Framework's
REST API. Each is recorded; `fail_next` makes the next posts answer with a given status
(Teams' 429 with Retry-After, 403 for an uninstalled bot …). A conversation's roster holds whoever
`join`ed it (each TeamsClient joins its own chat), looked up by chat id or Entra object id as
Teams does; anyone else is 404 MemberNotFoundInConversation; `member_failures` makes the next
look-ups fail with a given status.
"""

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.card_rules import named_problems


@dataclass
class ReceivedActivity:
    conversation_id: str
    reply_to_id: str | None
    body: dict[str, Any]

    @property
    def text(self) -> str:
        return self.body.get("text") or ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            a["content"]
            for a in self.body.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


@dataclass
class FakeConnector:
    received: list[ReceivedActivity] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    member_email: str = "rep@example.gov.uk"
    # Every card received is checked against what Teams renders; the fixture fails on any problem.
    card_problems: list[str] = field(default_factory=list)
    # The benchmark turns the check off: it is Teams's work, not the bot's, and costs a parser run a card.
    check_cards: bool = True
    # Conversation id -> its members' (chat id, Entra object id).
    rosters: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    # Statuses the next member look-ups answer with, instead of the roster's answer.
    member_failures: list[int] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def fail_next(self, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
        self.failures.extend([(status, headers or {})] * times)

    def join(self, conversation_id: str, user_id: str, aad_object_id: str) -> None:
        self.rosters.setdefault(conversation_id, set()).add((user_id, aad_object_id))

    async def start(self) -> "FakeConnector":
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._post)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _post(self, request: web.Request) -> web.Response:
        if self.failures:
            status, headers = self.failures.pop(0)
            return web.json_response({"error": {"code": str(status)}}, status=status, headers=headers)
        received = ReceivedActivity(
            request.match_info["conversation"], request.match_info.get("activity"), await request.json()
        )
        for card in received.cards if self.check_cards else ():
            self.card_problems.extend(named_problems(card))
        self.received.append(received)
        self._arrived.set()
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    async def _member(self, request: web.Request) -> web.Response:
        """The Teams profile of a chat member, as TeamsInfo.get_member reads it."""
        if self.member_failures:
            return web.json_response({"error": {"code": "ServiceError"}}, status=self.member_failures.pop(0))
        wanted = request.match_info["member"]
        roster = self.rosters.get(request.match_info["conversation"], set())
        found = next(((user_id, aad) for user_id, aad in roster if wanted in (user_id, aad)), None)
        if found is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation",
                                                "message": "Member not found in conversation"}}, status=404)
        return web.json_response(
            {
                "id": found[0],
                "aadObjectId": found[1],
                "name": "Test Representative",
                "email": self.member_email,
                "userPrincipalName": self.member_email,
            }
        )

    def take(self, conversation_id: str | None = None) -> list[ReceivedActivity]:
        """What arrived since the last take (for one conversation, or for all)."""
        taken = [a for a in self.received if conversation_id in (None, a.conversation_id)]
        self.received = [a for a in self.received if a not in taken]
        return taken
