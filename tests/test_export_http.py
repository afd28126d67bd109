"""A member exports a review's full history as a file (issue 12), from the review card, before
retention removes it: in Teams through a file consent card and their OneDrive (here a fake upload
server on real HTTP), in local mode into the data folder. The export is recorded in the history;
nobody else can export the review."""

import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.cards import any_button, press
from tests.conftest import RunningBot, stored_review
from tests.dialogs_flow import open_and_show
from tests.fakes.fake_connector import FakeConnector
from tests.teams_client import TeamsClient

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
EXPORTED = "Full history exported as a file"


class FakeOneDrive:
    """Where Teams' upload address points: takes one PUT of the whole file, as OneDrive does."""

    def __init__(self) -> None:
        self.uploads: list[tuple[str, bytes]] = []
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> "FakeOneDrive":
        app = web.Application()
        app.router.add_put("/upload/{name}", self._put)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def _put(self, request: web.Request) -> web.Response:
        content = await request.read()
        self.uploads.append((request.headers.get("Content-Range", ""), content))
        return web.json_response({"id": "file-1"}, status=201)


@pytest.fixture
async def onedrive() -> AsyncIterator[FakeOneDrive]:
    drive = await FakeOneDrive().start()
    yield drive
    await drive.stop()


@pytest.fixture
def authenticated_env() -> dict[str, str]:
    return {"FILE_UPLOAD_HOSTS": "127.0.0.1"}


def _consent_answer(teams: TeamsClient, consent: dict[str, Any], action: str, upload_url: str) -> dict[str, Any]:
    """What Teams sends when the person presses Allow (or Decline) on the file consent card."""
    context = consent["content"]["acceptContext" if action == "accept" else "declineContext"]
    return teams.activity("invoke", name="fileConsent/invoke", value={
        "type": "fileUpload", "action": action, "context": context,
        "uploadInfo": {"name": consent["name"], "uploadUrl": upload_url, "contentUrl": "https://contoso-my.sharepoint.com/f",
                       "uniqueId": "unique-1", "fileType": "json"},
    })


async def _export_offered(teams: TeamsClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """Opens a review, presses its card's Export the history; the card and the file consent card offered."""
    card = await open_and_show(teams)
    [offer] = await teams.submit(press(card, any_button(card, "Export the history")))
    [consent] = [a for a in offer.body["attachments"] if a["contentType"] == FILE_CONSENT]
    return card, consent


async def test_in_teams_the_history_goes_to_the_persons_onedrive_and_the_export_is_recorded(
    authenticated_bot: RunningBot, connector: FakeConnector, onedrive: FakeOneDrive
) -> None:
    teams = TeamsClient(authenticated_bot, connector)

    _, consent = await _export_offered(teams)
    assert consent["name"].startswith("LSCB-2026-014-history-") and consent["name"].endswith(".json")
    assert "LSCB-2026-014" in consent["content"]["description"]

    status = await teams.post(_consent_answer(teams, consent, "accept", f"{onedrive.url}/upload/x"))

    assert status == 200
    [(content_range, content)] = onedrive.uploads
    assert content_range == f"bytes 0-{len(content) - 1}/{len(content)}"
    exported = json.loads(content)
    assert exported["format"] == "SCR Assistant review export"
    assert exported["exported_by"] == teams.person
    assert exported["review"]["reference"] == "LSCB-2026-014"
    assert exported["review"]["history"][0]["detail"].startswith("Review opened")
    [told] = connector.take()
    assert [a["contentType"] for a in told.body["attachments"]] == [FILE_INFO]
    assert "in your OneDrive" in told.text
    review, _ = stored_review(authenticated_bot, teams.person)
    # The mail worker may record the review's first email as sent just after: look for the export.
    assert [entry.actor for entry in review.history if entry.detail == EXPORTED] == [teams.person]


async def test_an_upload_address_outside_onedrive_or_a_decline_exports_nothing(
    authenticated_bot: RunningBot, connector: FakeConnector, onedrive: FakeOneDrive
) -> None:
    teams = TeamsClient(authenticated_bot, connector)
    _, consent = await _export_offered(teams)

    elsewhere = onedrive.url.replace("127.0.0.1", "localhost") + "/upload/x"
    assert await teams.post(_consent_answer(teams, consent, "accept", elsewhere)) == 200
    assert "could not be put in your OneDrive" in connector.take()[0].text
    assert await teams.post(_consent_answer(teams, consent, "decline", onedrive.url)) == 200
    assert "Not exported" in connector.take()[0].text

    assert onedrive.uploads == []
    review, _ = stored_review(authenticated_bot, teams.person)
    assert EXPORTED not in [entry.detail for entry in review.history]


@pytest.mark.parametrize("value", [
    None, "accept", {"action": "accept"}, {"action": "accept", "context": ["not", "a", "dict"], "uploadInfo": {}},
    {"action": "accept", "context": {"review_id": 7}, "uploadInfo": {"uploadUrl": "x"}}, {"action": "delete"},
], ids=["none", "string", "no-context", "context-list", "wrong-types", "unknown-action"])
async def test_a_malformed_consent_answer_gets_400_and_exports_nothing(
    authenticated_bot: RunningBot, connector: FakeConnector, onedrive: FakeOneDrive, value: Any
) -> None:
    teams = TeamsClient(authenticated_bot, connector)
    await open_and_show(teams)

    status = await teams.post(teams.activity("invoke", name="fileConsent/invoke", value=value))

    assert status == 400
    assert connector.take() == []
    assert onedrive.uploads == []
    review, _ = stored_review(authenticated_bot, teams.person)
    assert EXPORTED not in [entry.detail for entry in review.history]


async def test_someone_not_on_the_review_cannot_export_it(
    authenticated_bot: RunningBot, connector: FakeConnector, onedrive: FakeOneDrive
) -> None:
    teams = TeamsClient(authenticated_bot, connector)
    card, consent = await _export_offered(teams)
    stranger = TeamsClient(authenticated_bot, connector, aad_object_id="00000000-0000-0000-0000-000000000009",
                           user_id="29:user-aad-9", conversation_id="a:personal-chat-9")

    # Their own copy of the button, and Teams' consent answer with the review's id in it.
    [refused] = await stranger.submit(press(card, any_button(card, "Export the history")))
    assert await stranger.post(_consent_answer(stranger, consent, "accept", f"{onedrive.url}/upload/x")) == 200

    assert "can't find that review" in refused.text
    assert "can't find that review" in connector.take()[0].text
    assert onedrive.uploads == []


async def test_in_local_mode_the_history_is_written_to_the_data_folder(
    running_bot: RunningBot, connector: FakeConnector
) -> None:
    teams = TeamsClient(running_bot, connector)
    card = await open_and_show(teams)

    [reply] = await teams.submit(press(card, any_button(card, "Export the history")))

    [path] = (Path(running_bot.settings.data_dir) / "exports").iterdir()
    assert str(path) in reply.text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_bytes())["review"]["reference"] == "LSCB-2026-014"
    review, _ = stored_review(running_bot, teams.person)
    assert [entry.actor for entry in review.history if entry.detail == EXPORTED] == [teams.person]
