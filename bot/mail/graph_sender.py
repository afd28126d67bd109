"""The Microsoft Graph adapter: app-only mail from the configured sender mailbox, exactly once.

Exactly-once comes from a marker on the message itself. Each attempt:

1. looks the key up in the sender's mailbox (`GET /users/{sender}/messages?$filter=` on a
   single-value extended property in our own namespace, which covers Drafts, Outbox and Sent
   Items): a non-draft match means it was already sent, so we stop;
2. otherwise reuses a draft that carries the key, or creates one (`POST /users/{sender}/messages`);
3. puts on the draft each attachment it does not already have (`GET .../messages/{id}/attachments`,
   then a `fileAttachment` POST under 3 MB, or an upload session in chunks up to Graph's 150 MB);
4. sends that draft (`POST /users/{sender}/messages/{id}/send`), which saves it to Sent Items.

A crash or timeout between any two steps therefore leaves either nothing, a draft with some of
its attachments (completed by the next attempt, which adds only the missing ones) or a sent
message (found by the next attempt). An attachment is recognised by its name, which is unique
within an email: Graph reports an attachment's size with some bytes of its own added, so a
size never matches the document's. Sending a draft always keeps a copy
in Sent Items, so no `SaveToSentItems` flag is involved (that flag belongs to `sendMail`, which
cannot carry a marker we could look up before sending). This needs the Mail.ReadWrite and
Mail.Send application permissions, limited to the sender mailbox by an access policy.

kiota's RetryHandler is switched off: retries belong to the durable queue, which records them,
backs off across restarts and shows them on the review card; an in-process retry would instead
hold the queue's claim while sleeping, and would re-POST a create or send whose outcome it cannot
know.
"""

import logging
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError, ServiceResponseError
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.attachment_item import AttachmentItem
from msgraph.generated.models.attachment_type import AttachmentType
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.file_attachment import FileAttachment
from msgraph.generated.models.internet_message_header import InternetMessageHeader
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.message import Message
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.models.single_value_legacy_extended_property import (
    SingleValueLegacyExtendedProperty,
)
from msgraph.generated.users.item.messages.item.attachments.attachments_request_builder import (
    AttachmentsRequestBuilder,
)
from msgraph.generated.users.item.messages.item.attachments.create_upload_session.create_upload_session_post_request_body import (  # noqa: E501
    CreateUploadSessionPostRequestBody,
)
from msgraph.generated.users.item.messages.item.message_item_request_builder import MessageItemRequestBuilder
from msgraph.generated.users.item.messages.messages_request_builder import MessagesRequestBuilder

from bot.documents import DocumentRef, DocumentStore
from bot.documents.store import MEGABYTE
from bot.graph_client import graph_http, graph_service
from bot.mail.attachments import read_attachment
from bot.mail.eml_outbox import NOTIFICATION_KEY_HEADER
from bot.mail.message import SENDER_NAME, OutgoingEmail
from bot.mail.sender import PermanentMailError, TransientMailError
from bot.mail.settings import GRAPH_MAX_ATTACHMENT_MB, is_secure_url

log = logging.getLogger(__name__)

# A named string property in a namespace (GUID) of our own, so nothing else in the mailbox can
# collide with it. Graph can filter on it, which an internet header cannot offer.
MARKER_PROPERTY_ID = "String {508c2173-9220-4e59-b42e-d4b6cb5cbb98} Name X-SCR-Notification-Key"

# After a send whose outcome we could not see, give Exchange time to move the message out of
# Drafts before we look again, or we could find it still a draft and send it a second time.
DEFAULT_SETTLE_SECONDS = 120.0

# learn.microsoft.com/graph/outlook-large-attachments: one POST for a file under 3 MB; above
# that an upload session, fed in PUTs of at most 4 MB each, up to 150 MB. 3,000,000 bytes in
# base64 (4,000,000) still fit Graph's 4 MB limit on a request; 3 MiB would not.
SMALL_ATTACHMENT_BYTES = 3_000_000
MAX_ATTACHMENT_BYTES = GRAPH_MAX_ATTACHMENT_MB * MEGABYTE
DEFAULT_UPLOAD_CHUNK_BYTES = 3 * MEGABYTE

_TRANSIENT_STATUSES = {408, 429, 500, 502, 503, 504}
_SAFE_CODE = re.compile(r"[A-Za-z0-9_.-]{1,80}")


class GraphMailSender:
    """Owns `credential` and closes it in `close()`."""

    def __init__(
        self,
        sender: str,
        credential: AsyncTokenCredential,
        *,
        base_url: str,
        request_timeout: float = 30.0,
        connect_timeout: float = 10.0,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
        documents: DocumentStore | None = None,
        upload_chunk_bytes: int = DEFAULT_UPLOAD_CHUNK_BYTES,
    ) -> None:
        """`documents` is where attachments are read from; an email carrying one fails without it."""
        self._sender = sender
        self._credential = credential
        self._settle_seconds = settle_seconds
        self._documents = documents
        self._chunk = upload_chunk_bytes
        self._http = graph_http(request_timeout, connect_timeout)
        self._mailbox = graph_service(credential, base_url, self._http).users.by_user_id(sender)
        # Upload URLs are pre-authenticated (a token in the URL, on another host) and are used
        # exactly as given, with no Authorization header: a plain client, because the Graph
        # client's middleware rewrites URLs and query names meant for Graph itself.
        self._uploads = httpx.AsyncClient(
            timeout=httpx.Timeout(request_timeout, connect=connect_timeout), follow_redirects=False
        )

    async def send(self, email: OutgoingEmail) -> None:
        for number, document in enumerate(email.attachments, 1):
            if document.size > MAX_ATTACHMENT_BYTES:
                # Refused before anything is made, so no draft is left behind.
                raise PermanentMailError(
                    f"Attachment {number} is {document.size_label}: Graph attaches at most "
                    f"{GRAPH_MAX_ATTACHMENT_MB} MB"
                )
        step = "look-up"
        try:
            found = await self._find(email.key)
            if any(message.is_draft is False for message in found):
                log.info("mail %s: already in Sent Items, not sending again", email.key)
                return
            draft_id = next((message.id for message in found if message.id), None)
            if draft_id is None:
                step = "create"
                draft_id = await self._create_draft(email)
            else:
                log.info("mail %s: sending the draft left by an earlier attempt", email.key)
            if email.attachments:
                step = "attach"
                await self._attach_missing(self._mailbox.messages.by_message_id(draft_id), email)
            step = "send"
            await self._mailbox.messages.by_message_id(draft_id).send.post()
            log.info("mail %s: sent through Graph", email.key)
        except APIError as error:
            status = error.response_status_code or 0
            raise self._classify(status, _error_code(error), error.response_headers, step) from None
        except _UploadRefused as refused:
            raise self._classify(refused.status, refused.code, refused.headers, step) from None
        except httpx.ConnectError as error:
            # Nothing reached Graph, so there is nothing to let settle.
            raise TransientMailError(f"Could not reach Graph ({type(error).__name__})") from None
        except (httpx.TransportError, ServiceRequestError, ServiceResponseError) as error:
            raise TransientMailError(
                f"Graph did not answer the {step} ({type(error).__name__})", self._settle_after(step)
            ) from None
        except ClientAuthenticationError:
            raise PermanentMailError(
                "Could not sign in to Graph: check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the credential"
            ) from None

    async def close(self) -> None:
        await self._uploads.aclose()
        await self._http.aclose()
        await self._credential.close()

    async def _find(self, key: str) -> list[Message]:
        escaped = key.replace("'", "''")
        query = MessagesRequestBuilder.MessagesRequestBuilderGetQueryParameters(
            filter=(
                "singleValueExtendedProperties/Any("
                f"ep: ep/id eq '{MARKER_PROPERTY_ID}' and ep/value eq '{escaped}')"
            ),
            select=["id", "isDraft"],
            top=10,
        )
        page = await self._mailbox.messages.get(RequestConfiguration(query_parameters=query))
        return list(page.value or []) if page else []

    async def _create_draft(self, email: OutgoingEmail) -> str:
        # Graph carries one body; Exchange derives the plain-text part from the HTML itself.
        draft = Message(
            subject=email.subject,
            body=ItemBody(content_type=BodyType.Html, content=email.html_body),
            to_recipients=[Recipient(email_address=EmailAddress(address=address)) for address in email.to],
            single_value_extended_properties=[
                SingleValueLegacyExtendedProperty(id=MARKER_PROPERTY_ID, value=email.key)
            ],
            # Recipients' copies carry the key too, as the local .eml files do.
            internet_message_headers=[InternetMessageHeader(name=NOTIFICATION_KEY_HEADER, value=email.key)],
            # The address must be the sender mailbox itself; the name is what recipients see.
            from_=Recipient(email_address=EmailAddress(address=self._sender, name=SENDER_NAME)),
            reply_to=[Recipient(email_address=EmailAddress(address=address)) for address in email.reply_to],
        )
        created = await self._mailbox.messages.post(draft)
        if created is None or not created.id:
            raise TransientMailError("Graph created the draft but did not return its id", 0.0)
        log.info("mail %s: draft created", email.key)
        return created.id

    async def _attach_missing(self, draft: MessageItemRequestBuilder, email: OutgoingEmail) -> None:
        """Attach what an earlier attempt did not: a retry never attaches a document twice."""
        query = AttachmentsRequestBuilder.AttachmentsRequestBuilderGetQueryParameters(
            select=["name"], top=len(email.attachments)
        )
        page = await draft.attachments.get(RequestConfiguration(query_parameters=query))
        present = {attachment.name for attachment in ((page.value or []) if page else [])}
        total = len(email.attachments)
        for number, document in enumerate(email.attachments, 1):
            if document.name in present:
                continue
            label = f"attachment {number} of {total}"
            content = await read_attachment(self._documents, document, label)
            if document.size < SMALL_ATTACHMENT_BYTES:
                await draft.attachments.post(
                    FileAttachment(name=document.name, content_type=document.content_type, content_bytes=content)
                )
            else:
                await self._upload(draft, document, content, label)
            log.info("mail %s: %s added to the draft (%s)", email.key, label, document.size_label)

    async def _upload(
        self, draft: MessageItemRequestBuilder, document: DocumentRef, content: bytes, label: str
    ) -> None:
        """A large attachment through an upload session: PUT the bytes in order, each with its
        Content-Range; Graph answers 200 to each chunk and 201 once the attachment exists."""
        session = await draft.attachments.create_upload_session.post(
            CreateUploadSessionPostRequestBody(
                attachment_item=AttachmentItem(
                    attachment_type=AttachmentType.File,
                    name=document.name,
                    size=document.size,
                    content_type=document.content_type,
                )
            )
        )
        url = session.upload_url if session else None
        if not url or not is_secure_url(url):
            # The document's bytes go only over https (or to this machine, in tests).
            raise TransientMailError(f"Graph returned no usable upload URL for {label}")
        for start in range(0, document.size, self._chunk):
            chunk = content[start : start + self._chunk]
            end = start + len(chunk) - 1
            response = await self._uploads.put(
                url,
                content=chunk,
                headers={
                    "Content-Range": f"bytes {start}-{end}/{document.size}",
                    "Content-Type": "application/octet-stream",
                },
            )
            expected = 201 if end == document.size - 1 else 200
            if response.status_code != expected:
                raise _UploadRefused(response)

    def _settle_after(self, step: str) -> float | None:
        return self._settle_seconds if step == "send" else None

    def _classify(
        self, status: int, code: str, headers: Mapping[str, str] | None, step: str
    ) -> TransientMailError | PermanentMailError:
        label = f"{status} {code}".strip()
        log.warning("mail: Graph answered %s during the %s", label, step)
        if status in _TRANSIENT_STATUSES or status >= 500:
            retry_after = _retry_after(headers)
            settle = self._settle_after(step)
            # A 429 was turned away before anything happened; any other failure of the send
            # may have come after Exchange took the message.
            if settle is not None and status != 429:
                retry_after = max(retry_after or 0.0, settle)
            if status == 429:
                return TransientMailError(f"Graph is throttling the sender mailbox ({label})", retry_after)
            return TransientMailError(f"Graph is unavailable ({label})", retry_after)
        if status == 404 and step == "send":
            # The draft has gone: most likely an earlier send went through and moved it to Sent
            # Items. The next attempt's look-up will tell.
            return TransientMailError(f"The draft was no longer there ({label})", self._settle_seconds)
        if status in (404, 410) and step == "attach":
            # The draft or the upload session went away (a session expires): the next attempt
            # looks the key up again and attaches what is missing.
            return TransientMailError(f"The draft or its upload session was no longer there ({label})")
        if status == 413:
            return PermanentMailError(
                f"Graph refused an attachment as too large ({label}): Exchange limits a message to 35 MB "
                "unless an administrator raises the sender mailbox's limit"
            )
        if status == 400 and step == "attach":
            return PermanentMailError(f"Graph refused an attachment ({label})")
        if status == 400:
            return PermanentMailError(f"Graph refused the message ({label}): check the recipient addresses")
        if status == 401:
            return PermanentMailError(
                f"Graph refused the app's token ({label}): "
                "check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the credential"
            )
        if status == 403:
            return PermanentMailError(
                f"The app may not use the sender mailbox ({label}): grant Mail.ReadWrite and Mail.Send "
                "for MAIL_SENDER"
            )
        if status == 404:
            return PermanentMailError(f"The sender mailbox (MAIL_SENDER) was not found ({label})")
        return PermanentMailError(f"Graph refused the request ({label})")


class _UploadRefused(Exception):
    """An upload URL answered other than expected; carries what `_classify` needs."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.status = response.status_code
        self.headers = response.headers
        try:
            body = response.json()
        except ValueError:  # not JSON (a proxy's page): no code to show
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        self.code = _safe_code(error.get("code") if isinstance(error, dict) else None)


def _error_code(error: APIError) -> str:
    """Graph's error code (an identifier such as ErrorInvalidRecipients). Its message is not kept:
    it can quote addresses."""
    return _safe_code(error.error.code if isinstance(error, ODataError) and error.error else None)


def _safe_code(code: object) -> str:
    return code if isinstance(code, str) and _SAFE_CODE.fullmatch(code) else ""


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Retry-After in seconds, given as a number or an HTTP date (kiota passes httpx's
    case-insensitive headers)."""
    raw = (headers or {}).get("Retry-After", "").strip()
    if raw.isdigit():
        return float(raw)
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
