"""A stand-in for Microsoft Graph's mail endpoints and its directory of users; the real
msgraph-sdk talks to it over HTTP.

- `GET  /v1.0/users/{id}` - a user of the directory (`people`), 404 for anyone else (route "user"):
  what `GraphPeople` asks

Only what `GraphMailSender` uses is implemented, under `/v1.0/users/{sender}/`:

- `GET  messages?$filter=singleValueExtendedProperties/Any(...)` - look a marker up (route "lookup")
- `POST messages` - create a draft (route "create")
- `POST messages/{id}/send` - send a draft, which moves it to Sent Items with a new id (route "send")
- `GET  messages/{id}/attachments` - list a draft's attachments (route "list-attachments")
- `POST messages/{id}/attachments` - add a `fileAttachment` from its base64 `contentBytes` (route "attach")
- `POST messages/{id}/attachments/createUploadSession` - open an upload session (route
  "upload-session"), whose `uploadUrl` is on this server: `PUT /upload/{session}` takes the bytes
  in order, each chunk with its Content-Range and no Authorization header, answering 200 and,
  for the last, 201 once the attachment exists (route "upload-chunk")

Every request is recorded, and every attachment keeps the bytes that arrived, so tests compare
them with what was sent. Faults are queued per route (or for any route): a status with
headers, a delay before answering, a dropped connection, "hang after processing" (the change
is made but no answer ever comes, so a test can kill the client at exactly that point), or "hold"
(the request is held unanswered and never carried out: a request in flight when its client dies).
`stop()` makes connections be refused; `start()` brings the server back on the same port.
"""

import asyncio
import base64
import itertools
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from azure.core.credentials import AccessToken

TOKEN = "fake-graph-token"
MAILBOX = "scr-notifications@homeoffice.example"
API_PREFIX = "/v1.0"

_MARKER_FILTER = re.compile(r"ep/id eq '((?:[^']|'')*)' and ep/value eq '((?:[^']|'')*)'")
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
# Exchange reports an attachment's size with bytes of its own added (an 816-byte file is listed
# as 1053): the fake does too, so nothing can rely on a listed size equalling the document's.
SIZE_OVERHEAD = 237


class StaticTokenCredential:
    """An azure.core AsyncTokenCredential that hands out a fixed token, for the fake server."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.scopes_requested: list[tuple[str, ...]] = []

    async def get_token(self, *scopes: str, **_: Any) -> AccessToken:
        self.scopes_requested.append(scopes)
        return AccessToken(self.token, int(time.time()) + 3600)

    async def close(self) -> None:
        """Nothing to release."""

    async def __aenter__(self) -> "StaticTokenCredential":
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()


@dataclass
class RecordedRequest:
    method: str
    route: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: dict[str, Any] | None
    # What an upload chunk carried (a JSON request's bytes are in `body`).
    data: bytes = b""


@dataclass
class FakeAttachment:
    id: str
    name: str
    content_type: str
    content: bytes


@dataclass
class UploadSession:
    message_id: str
    name: str
    content_type: str
    size: int
    received: bytearray = field(default_factory=bytearray)
    # (first byte, last byte) of each chunk, in the order they arrived.
    chunks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class FakeMessage:
    id: str
    body: dict[str, Any]
    is_draft: bool = True
    folder: str = "drafts"
    attachments: list[FakeAttachment] = field(default_factory=list)

    @property
    def marker(self) -> tuple[str, str] | None:
        for prop in self.body.get("singleValueExtendedProperties") or []:
            return prop["id"], prop["value"]
        return None


@dataclass
class Fault:
    route: str | None
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    code: str = ""
    delay: float = 0.0
    drop: bool = False
    hang_after: asyncio.Event | None = None
    hold: asyncio.Event | None = None
    # Matching requests to let through before this fault applies.
    skip: int = 0


@dataclass
class FakeGraph:
    mailbox: str = MAILBOX
    requests: list[RecordedRequest] = field(default_factory=list)
    messages: dict[str, FakeMessage] = field(default_factory=dict)
    # Every message the send endpoint accepted, in order: the delivery record tests check.
    delivered: list[FakeMessage] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    uploads: dict[str, UploadSession] = field(default_factory=dict)
    # Entra object ids of the directory's users.
    people: set[str] = field(default_factory=set)
    # Where upload URLs point: this server unless a test says otherwise.
    upload_base: str = ""
    port: int = 0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def _root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self._root}{API_PREFIX}"

    async def start(self) -> "FakeGraph":
        # Graph refuses a request body over 4 MB (413), which is why large files need a session.
        app = web.Application(client_max_size=4 * 1024 * 1024)
        mailbox = f"{API_PREFIX}/users/{{user}}/messages"
        app.router.add_get(f"{API_PREFIX}/users/{{user}}", self._user)
        app.router.add_get(mailbox, self._lookup)
        app.router.add_post(mailbox, self._create)
        app.router.add_post(mailbox + "/{id}/send", self._send)
        app.router.add_get(mailbox + "/{id}/attachments", self._list_attachments)
        app.router.add_post(mailbox + "/{id}/attachments", self._attach)
        app.router.add_post(mailbox + "/{id}/attachments/createUploadSession", self._create_upload_session)
        app.router.add_put("/upload/{session}", self._upload_chunk)
        self._released = asyncio.Event()
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Close the port: further connections are refused until `start()`."""
        self._released.set()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    # Fault injection ----------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        route: str | None = None,
        headers: dict[str, str] | None = None,
        code: str = "",
    ) -> None:
        for _ in range(times):
            self.faults.append(Fault(route, status=status, headers=headers or {}, code=code))

    def delay_next(self, seconds: float, *, route: str | None = None) -> None:
        self.faults.append(Fault(route, delay=seconds))

    def drop_next(self, *, route: str | None = None) -> None:
        self.faults.append(Fault(route, drop=True))

    def hang_after(self, route: str, *, skip: int = 0) -> asyncio.Event:
        """The next `route` request (after `skip` of them) is carried out but never answered;
        the event says when."""
        reached = asyncio.Event()
        self.faults.append(Fault(route, hang_after=reached, skip=skip))
        return reached

    def hold_next(self, route: str) -> asyncio.Event:
        """The next `route` request is held, unanswered and not carried out, until `stop()`; the
        event says when it arrived."""
        arrived = asyncio.Event()
        self.faults.append(Fault(route, hold=arrived))
        return arrived

    # What tests look at -------------------------------------------------------------------

    def delivered_keys(self) -> list[str]:
        return [marker[1] for message in self.delivered if (marker := message.marker)]

    def routes(self) -> list[str]:
        return [request.route for request in self.requests]

    def delivered_attachments(self) -> list[list[tuple[str, str, bytes]]]:
        """(name, content type, bytes) of each attachment, per delivered message."""
        return [
            [(attachment.name, attachment.content_type, attachment.content) for attachment in message.attachments]
            for message in self.delivered
        ]

    # Handlers -----------------------------------------------------------------------------

    async def _user(self, request: web.Request) -> web.StreamResponse:
        async def handle(_: dict[str, Any] | None) -> web.StreamResponse:
            wanted = request.match_info["user"].lower()
            if wanted not in self.people:
                return _error(404, "Request_ResourceNotFound")
            # Only what $select asked for, as Graph does; a user has more than an id.
            fields = {"id": wanted, "displayName": "Megan Bowen", "mail": "megan.bowen@example.gov.uk"}
            chosen = request.query.get("$select", "").split(",")
            return web.json_response({key: value for key, value in fields.items() if key in chosen or not chosen[0]})

        return await self._handle(request, "user", handle, mailbox=False)

    async def _lookup(self, request: web.Request) -> web.StreamResponse:
        async def handle(_: dict[str, Any] | None) -> web.StreamResponse:
            match = _MARKER_FILTER.search(request.query.get("$filter", ""))
            if not match:
                return _error(400, "BadRequest")
            wanted = (match[1].replace("''", "'"), match[2].replace("''", "'"))
            found = [
                {"id": message.id, "isDraft": message.is_draft}
                for message in self.messages.values()
                if message.marker == wanted
            ]
            return web.json_response({"value": found})

        return await self._handle(request, "lookup", handle)

    async def _create(self, request: web.Request) -> web.StreamResponse:
        async def handle(body: dict[str, Any] | None) -> web.StreamResponse:
            body = body or {}
            addresses = [r["emailAddress"]["address"] for r in body.get("toRecipients") or []]
            if not addresses or any(address.endswith("@invalid.example") for address in addresses):
                return _error(400, "ErrorInvalidRecipients")
            message = FakeMessage(f"draft-{next(self._ids)}", body)
            self.messages[message.id] = message
            return web.json_response({"id": message.id, "isDraft": True, **body}, status=201)

        return await self._handle(request, "create", handle)

    async def _send(self, request: web.Request) -> web.StreamResponse:
        async def handle(_: dict[str, Any] | None) -> web.StreamResponse:
            message = self._draft(request.match_info["id"])
            if message is None:
                return _error(404, "ErrorItemNotFound")
            # Exchange gives the copy in Sent Items a new id, as here.
            del self.messages[message.id]
            message.id, message.is_draft, message.folder = f"sent-{next(self._ids)}", False, "sentitems"
            self.messages[message.id] = message
            self.delivered.append(message)
            return web.Response(status=202)

        return await self._handle(request, "send", handle)

    async def _list_attachments(self, request: web.Request) -> web.StreamResponse:
        async def handle(_: dict[str, Any] | None) -> web.StreamResponse:
            message = self.messages.get(request.match_info["id"])
            if message is None:
                return _error(404, "ErrorItemNotFound")
            listed = [
                {
                    "@odata.type": "#microsoft.graph.fileAttachment",
                    "id": attachment.id,
                    "name": attachment.name,
                    "size": len(attachment.content) + SIZE_OVERHEAD,
                }
                for attachment in message.attachments
            ]
            return web.json_response({"value": listed})

        return await self._handle(request, "list-attachments", handle)

    async def _attach(self, request: web.Request) -> web.StreamResponse:
        async def handle(body: dict[str, Any] | None) -> web.StreamResponse:
            message = self._draft(request.match_info["id"])
            if message is None:
                return _error(404, "ErrorItemNotFound")
            body = body or {}
            if body.get("@odata.type") != "#microsoft.graph.fileAttachment" or "contentBytes" not in body:
                return _error(400, "ErrorInvalidAttachment")
            attachment = self._add_attachment(
                message, body["name"], body["contentType"], base64.b64decode(body["contentBytes"], validate=True)
            )
            return web.json_response(
                {"@odata.type": "#microsoft.graph.fileAttachment", "id": attachment.id, "name": attachment.name},
                status=201,
            )

        return await self._handle(request, "attach", handle)

    async def _create_upload_session(self, request: web.Request) -> web.StreamResponse:
        async def handle(body: dict[str, Any] | None) -> web.StreamResponse:
            message = self._draft(request.match_info["id"])
            if message is None:
                return _error(404, "ErrorItemNotFound")
            item = (body or {}).get("AttachmentItem") or {}
            if item.get("attachmentType") != "file" or not item.get("size"):
                return _error(400, "ErrorInvalidAttachment")
            session_id = f"session-{next(self._ids)}"
            self.uploads[session_id] = UploadSession(
                message.id, item["name"], item.get("contentType", "application/octet-stream"), item["size"]
            )
            return web.json_response(
                {
                    # Pre-authenticated, like Outlook's: the token is in the URL.
                    "uploadUrl": f"{self.upload_base or self._root}/upload/{session_id}?authtoken=fake-upload-token",
                    "expirationDateTime": "2030-01-01T00:00:00Z",
                    "nextExpectedRanges": ["0-"],
                },
                status=201,
            )

        return await self._handle(request, "upload-session", handle)

    async def _upload_chunk(self, request: web.Request) -> web.StreamResponse:
        async def handle(_: dict[str, Any] | None) -> web.StreamResponse:
            session = self.uploads.get(request.match_info["session"])
            if session is None or request.query.get("authtoken") != "fake-upload-token":
                return _error(404, "ErrorItemNotFound")
            if "Authorization" in request.headers:
                # Outlook refuses a bearer token beside the one in the URL.
                return _error(401, "InvalidAuthenticationToken")
            match = _CONTENT_RANGE.fullmatch(request.headers.get("Content-Range", ""))
            data = await request.read()
            if (
                match is None
                or int(match[1]) != len(session.received)
                or int(match[3]) != session.size
                or int(match[2]) - int(match[1]) + 1 != len(data)
            ):
                return _error(416, "InvalidRange")
            session.received += data
            session.chunks.append((int(match[1]), int(match[2])))
            if len(session.received) < session.size:
                return web.json_response({"nextExpectedRanges": [f"{len(session.received)}-"]})
            message = self._draft(session.message_id)
            if message is None:
                return _error(404, "ErrorItemNotFound")
            attachment = self._add_attachment(message, session.name, session.content_type, bytes(session.received))
            location = f"{self.base_url}/users/{self.mailbox}/messages/{message.id}/attachments/{attachment.id}"
            return web.Response(status=201, headers={"Location": location})

        return await self._handle(request, "upload-chunk", handle, graph_api=False)

    def _draft(self, message_id: str) -> FakeMessage | None:
        """The draft with that id; a sent message, like a missing one, cannot be changed."""
        message = self.messages.get(message_id)
        return message if message is not None and message.is_draft else None

    def _add_attachment(self, message: FakeMessage, name: str, content_type: str, content: bytes) -> FakeAttachment:
        attachment = FakeAttachment(f"attachment-{next(self._ids)}", name, content_type, content)
        message.attachments.append(attachment)
        return attachment

    async def _handle(
        self,
        request: web.Request,
        route: str,
        handle: Callable[[dict[str, Any] | None], Awaitable[web.StreamResponse]],
        *,
        graph_api: bool = True,
        mailbox: bool = True,
    ) -> web.StreamResponse:
        """`graph_api` False: an upload URL, which carries its own token and names no user;
        `mailbox` False: a request about a user of the directory, not the sender's mailbox."""
        json_body = request.content_type == "application/json"
        data = await request.read() if request.can_read_body else b""
        body = await request.json() if data and json_body else None
        self.requests.append(
            RecordedRequest(
                request.method,
                route,
                request.path,
                dict(request.query),
                dict(request.headers),
                body,
                b"" if json_body else data,
            )
        )
        fault = next((f for f in self.faults if f.route in (None, route)), None)
        if fault is not None and fault.skip:
            fault.skip -= 1
            fault = None
        if fault is not None:
            self.faults.remove(fault)
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.hold is not None:
                fault.hold.set()
                await self._released.wait()
                return _error(503, "ServiceUnavailable")
            if fault.drop:
                assert request.transport is not None
                request.transport.abort()
                await self._released.wait()
            if fault.status:
                return _error(fault.status, fault.code or f"Fault{fault.status}", fault.headers)
        if graph_api and request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _error(401, "InvalidAuthenticationToken")
        if graph_api and mailbox and request.match_info["user"] != self.mailbox:
            return _error(404, "ErrorInvalidUser")
        response = await handle(body)
        if fault is not None and fault.hang_after is not None:
            fault.hang_after.set()
            await self._released.wait()
        return response


def _error(status: int, code: str, headers: dict[str, str] | None = None) -> web.Response:
    # Like Graph, the message quotes what was wrong (here an address): the bot must not keep it.
    body = {"error": {"code": code, "message": f"{code}: 'someone@homeoffice.example' was involved"}}
    return web.json_response(body, status=status, headers=headers)
