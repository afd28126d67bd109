"""/api/messages takes a body of at most MAX_BODY_BYTES: Teams' activities are far smaller, and a
larger body is refused with 413 before the bot reads it, so nobody can make it hold huge requests."""

import json
from typing import Any

import aiohttp

from bot.web import MAX_BODY_BYTES
from tests.cards import texts
from tests.teams_client import TeamsClient


def _help_of_size(teams: TeamsClient, size: int) -> bytes:
    """A `help` message padded, in a field the bot ignores, to exactly `size` bytes."""
    activity: dict[str, Any] = teams.activity(text="help", channelData={"tenant": {"id": "tenant-1"}, "pad": ""})
    activity["channelData"]["pad"] = "x" * (size - len(json.dumps(activity).encode()))
    body = json.dumps(activity).encode()
    assert len(body) == size
    return body


async def _post(teams: TeamsClient, body: bytes) -> int:
    headers = {**teams.headers, "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as session, session.post(
        teams.bot.url + "api/messages", data=body, headers=headers
    ) as response:
        return response.status


async def test_a_body_at_the_limit_is_answered(teams: TeamsClient) -> None:
    assert await _post(teams, _help_of_size(teams, MAX_BODY_BYTES)) in (200, 201)
    [reply] = teams.connector.take()
    assert "7.4.1" in texts(reply.cards[0])  # the help card


async def test_a_body_one_byte_over_the_limit_is_refused_before_the_bot_sees_it(teams: TeamsClient) -> None:
    assert await _post(teams, _help_of_size(teams, MAX_BODY_BYTES + 1)) == 413
    assert teams.connector.take() == []
