"""A review's full history, as a file for the member who asks (issue 12: take it away before
retention removes it).

In Teams a bot gives a person a file in a 1:1 chat by asking their consent: a file consent card,
whose acceptance (a `fileConsent/invoke`) carries an upload address in their OneDrive; the bot puts
the file there and posts a file card. With no Teams (local mode and the Agents Playground) the file
is written to the data directory's `exports` folder instead, as emails go to the local outbox.
Either way the history records the export once the file is the person's.
"""

import asyncio
import logging
import os
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.review_service import ReviewExport, ReviewNotFound, ReviewService
from bot.teams.admission import user_id_of

log = logging.getLogger(__name__)

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
CONSENT_INVOKE = "fileConsent/invoke"
_TIMEOUT_SECONDS = 60

NOT_FOUND = "I can't find that review among yours, so nothing was exported. Type **my reviews** to see them."
NOT_UPLOADED = ("The file could not be put in your OneDrive, so nothing was exported. Press **Export the history** "
                "on the review card to try again.")
DECLINED = "Not exported: nothing was saved anywhere."


class ReviewExports:
    def __init__(self, service: ReviewService, local_folder: Path | None, upload_hosts: tuple[str, ...]) -> None:
        """`local_folder` set: write files there (no Teams to upload to); `upload_hosts` are the hosts
        an upload address may name (OneDrive for Business: sharepoint.com), so an invoke cannot
        make the bot send a review's data anywhere else."""
        self._service = service
        self._local_folder = local_folder
        self._upload_hosts = upload_hosts

    async def offer(self, context: TurnContext, review_id: str) -> None:
        user_id = user_id_of(context)
        try:
            export = await self._service.export_review(user_id, review_id)
        except ReviewNotFound:
            await context.send_activity(NOT_FOUND)
            return
        if self._local_folder is not None:
            path = await _write_new_file(self._local_folder, export)
            await self._service.export_delivered(user_id, export)
            await context.send_activity(
                f"The full history of {export.reference} is saved as **{path}** (this bot runs without Teams, "
                "so files go to its data folder). The export is recorded in the review's history.")
            return
        consent = {"description": f"The full history of review {export.reference} (JSON)",
                   "sizeInBytes": len(export.content),
                   "acceptContext": {"review_id": review_id}, "declineContext": {"review_id": review_id}}
        await context.send_activity(Activity(type=ActivityTypes.message, attachments=[
            Attachment(content_type=FILE_CONSENT, name=export.file_name, content=consent)]))

    async def on_consent(self, context: TurnContext) -> InvokeResponse:
        """Teams' answer to the consent card. The card's context comes back from the client, so the
        review is checked again as the person's, and the upload address against `upload_hosts`."""
        value: Any = context.activity.value
        if not isinstance(value, dict) or value.get("action") not in ("accept", "decline"):
            return InvokeResponse(status=HTTPStatus.BAD_REQUEST)
        if value["action"] == "decline":
            await context.send_activity(DECLINED)
            return InvokeResponse(status=HTTPStatus.OK)
        card_context: Any = value.get("context")
        review_id = card_context.get("review_id") if isinstance(card_context, dict) else None
        upload: Any = value.get("uploadInfo")
        if not isinstance(review_id, str) or not isinstance(upload, dict) or not all(
                isinstance(upload.get(field), str) for field in ("uploadUrl", "contentUrl", "name", "uniqueId")):
            return InvokeResponse(status=HTTPStatus.BAD_REQUEST)
        user_id = user_id_of(context)
        try:
            export = await self._service.export_review(user_id, review_id)
        except ReviewNotFound:
            await context.send_activity(NOT_FOUND)
            return InvokeResponse(status=HTTPStatus.OK)
        if not self._may_upload_to(upload["uploadUrl"]) or not await _put(upload["uploadUrl"], export.content):
            await context.send_activity(NOT_UPLOADED)
            return InvokeResponse(status=HTTPStatus.OK)
        await self._service.export_delivered(user_id, export)
        file_card = Attachment(content_type=FILE_INFO, name=upload["name"], content_url=upload["contentUrl"],
                               content={"uniqueId": upload["uniqueId"], "fileType": upload.get("fileType", "json")})
        await context.send_activity(Activity(type=ActivityTypes.message, attachments=[file_card], text=(
            f"The full history of {export.reference} is in your OneDrive. The export is recorded in the "
            "review's history.")))
        return InvokeResponse(status=HTTPStatus.OK)

    def _may_upload_to(self, url: str) -> bool:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        listed = any(host == allowed or host.endswith("." + allowed) for allowed in self._upload_hosts)
        # Plain http only to a loopback host a deployer listed on purpose (tests).
        return listed and (parts.scheme == "https" or (parts.scheme == "http" and host in ("127.0.0.1", "localhost")))


async def _put(url: str, content: bytes) -> bool:
    headers = {"Content-Range": f"bytes 0-{len(content) - 1}/{len(content)}"}
    try:
        timeout = aiohttp.ClientTimeout(total=_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session, \
                session.put(url, data=content, headers=headers) as response:
            if response.status in (HTTPStatus.OK, HTTPStatus.CREATED):
                return True
            log.warning("Export upload refused with HTTP %d", response.status)
    except (TimeoutError, aiohttp.ClientError) as error:
        log.warning("Export upload failed: %s", type(error).__name__)
    return False


async def _write_new_file(folder: Path, export: ReviewExport) -> Path:
    """A new file (never over another export), readable by this account only: it holds a review."""
    def write() -> Path:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stem, suffix = export.file_name.rsplit(".", 1)
        for number in range(1, 1000):
            path = folder / (export.file_name if number == 1 else f"{stem}-{number}.{suffix}")
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(export.content)
            return path
        raise FileExistsError(folder / export.file_name)

    return await asyncio.to_thread(write)
