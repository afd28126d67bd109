"""The tenant wall (issue 12): with ALLOWED_TENANT_IDS set, another organisation's users are
refused once, politely, and change nothing; over real HTTP, as Teams sends activities."""

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.app_process import start_and_stop
from tests.conftest import RunningBot, stored_tables
from tests.dialogs_flow import open_review
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient

OURS = "0A1B2C3D-0000-4000-8000-000000000001"  # the TeamsClient default, in capitals
THEIRS = "9f9f9f9f-0000-4000-8000-000000000002"


@pytest.fixture
def authenticated_env() -> dict[str, str]:
    return {"ALLOWED_TENANT_IDS": f" {OURS} , 11111111-0000-4000-8000-000000000003"}


async def test_the_allowed_tenants_people_are_served(authenticated_bot: RunningBot, connector: FakeConnector) -> None:
    opened = await open_review(TeamsClient(authenticated_bot, connector))
    assert "LSCB-2026-014" in str(opened)


def _from_tenant(activity: dict[str, Any], channel_data: str | None, conversation: str | None) -> dict[str, Any]:
    activity["channelData"] = {"tenant": {"id": channel_data}} if channel_data else {}
    # botbuilder 4.17 reads the conversation's tenant from "tenantID" (and drops Teams' "tenantId"):
    # send both so the wall is tested on what the bot actually sees.
    activity["conversation"] = {**activity["conversation"], "tenantId": conversation, "tenantID": conversation}
    return activity


@pytest.mark.parametrize(("channel_data", "conversation"), [
    (THEIRS, THEIRS), (THEIRS, None), (None, THEIRS), (None, None), (OURS, THEIRS), (THEIRS, OURS),
], ids=["theirs", "channel-data-only", "conversation-only", "none", "mixed-1", "mixed-2"])
async def test_another_tenant_is_refused_once_logged_without_personal_data_and_changes_nothing(
    authenticated_bot: RunningBot, connector: FakeConnector, caplog: pytest.LogCaptureFixture,
    channel_data: str | None, conversation: str | None,
) -> None:
    stranger = TeamsClient(authenticated_bot, connector, user_name="Alex Stranger")
    before = stored_tables(authenticated_bot)

    with caplog.at_level(logging.INFO):
        for activity in (stranger.activity("installationUpdate", action="add"),
                         stranger.activity(text="open review LSCB-2026-014")):
            assert await stranger.post(_from_tenant(activity, channel_data, conversation)) in (200, 201)

    [reply] = connector.take()
    assert "only available to Home Office staff" in reply.text and reply.cards == []
    assert stored_tables(authenticated_bot) == before
    logged = caplog.text
    assert "tenant not allowed" in logged
    for personal in ("Alex", stranger.aad_object_id, stranger.user_id, "LSCB"):
        assert personal not in logged


def test_a_tenant_id_that_is_not_a_guid_stops_the_bot_naming_the_setting(tmp_path: Path) -> None:
    done = start_and_stop(tmp_path, ALLOWED_TENANT_IDS="contoso.onmicrosoft.com")
    assert "Configuration error: ALLOWED_TENANT_IDS" in done.stderr and "Traceback" not in done.stderr


def test_with_authentication_and_no_allow_list_the_start_up_log_warns(tmp_path: Path) -> None:
    done = start_and_stop(tmp_path, MicrosoftAppId="11111111-2222-3333-4444-555555555555", ALLOWED_TENANT_IDS="")
    assert "WARNING" in done.stderr and "ALLOWED_TENANT_IDS is not set" in done.stderr
