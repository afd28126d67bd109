"""Files a person sends the bot in a 1:1 Teams chat (the manifest's `supportsFiles`): Teams puts a
`file.download.info` attachment on the message, whose `downloadUrl` the bot fetches once."""

from typing import Any
from urllib.parse import urlsplit

import aiohttp
from botbuilder.schema import Activity

FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"
_TIMEOUT_SECONDS = 60
_CHUNK = 64 * 1024


class FileNotFetched(Exception):
    """The file could not be fetched; the message says so in words for the person."""


def sent_file(activity: Activity) -> tuple[str, str] | None:
    """The name and download address of a file sent with this message, if any."""
    for attachment in activity.attachments or ():
        content: Any = attachment.content
        if attachment.content_type == FILE_DOWNLOAD_INFO and isinstance(content, dict):
            url = content.get("downloadUrl")
            if isinstance(url, str) and isinstance(attachment.name, str):
                return attachment.name, url
    return None


async def fetch(url: str, max_bytes: int) -> bytes:
    """The file's bytes, read no further than `max_bytes` so a huge file is refused, not loaded."""
    parts = urlsplit(url)
    # Teams' download addresses are https; plain http only to this machine (local tests, Playground).
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")):
        raise FileNotFetched("That file's address is not one the bot can fetch from Teams. Send it again.")
    try:
        timeout = aiohttp.ClientTimeout(total=_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as response:
            if response.status != 200:
                raise FileNotFetched("Teams would not give the file (the link may have expired). Send it again.")
            content = bytearray()
            async for chunk in response.content.iter_chunked(_CHUNK):
                content += chunk
                if len(content) > max_bytes:
                    limit = max_bytes // (1024 * 1024)
                    raise FileNotFetched(f"That file is larger than {limit} MB, the most the emails can carry.")
            return bytes(content)
    except (TimeoutError, aiohttp.ClientError):
        raise FileNotFetched("The file could not be fetched from Teams. Send it again.") from None
