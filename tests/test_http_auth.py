"""With an app id configured, unauthenticated callers are refused with 401, never 500."""

from collections.abc import AsyncIterator, Callable

import pytest

from bot.config import Settings
from tests.conftest import RunningBot
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient


@pytest.fixture
async def secured_bot(make_settings: Callable[..., Settings]) -> AsyncIterator[RunningBot]:
    bot = await RunningBot(
        make_settings(MicrosoftAppId="11111111-2222-3333-4444-555555555555",
                      MicrosoftAppPassword="not-a-real-secret",
                      MicrosoftAppType="SingleTenant",
                      MicrosoftAppTenantId="tenant-1")
    ).start()
    yield bot
    await bot.stop()


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not.a.jwt", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic abc"],
    ids=["no-header", "garbage-token", "unsigned-token", "wrong-scheme"],
)
async def test_unauthenticated_requests_get_401(
    secured_bot: RunningBot, connector: FakeConnector, authorization: str | None
) -> None:
    client = TeamsClient(secured_bot, connector)
    if authorization:
        client.headers["Authorization"] = authorization

    status = await client.post(client.activity(text="help"))

    assert status == 401
    assert connector.take() == []
