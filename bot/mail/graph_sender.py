"""The Microsoft Graph adapter: app-only mail from the configured sender mailbox, exactly once.

Exactly-once comes from a marker on the message itself. Each attempt:

1. looks the key up in the sender's mailbox (`GET /users/{sender}/messages?$filter=` on a
   single-value extended property in our own namespace, which covers Drafts, Outbox and Sent
   Items): a non-draft match means it was already sent, so we stop;
2. otherwise reuses a draft that carries the key, or creates one (`POST /users/{sender}/messages`);
3. sends that draft (`POST /users/{sender}/messages/{id}/send`), which saves it to Sent Items.

A crash or timeout between any two steps therefore leaves either nothing, a draft (sent by the
next attempt) or a sent message (found by the next attempt). Sending a draft always keeps a copy
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
from urllib.parse import urlsplit

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError, ServiceResponseError
from azure.identity.aio import CertificateCredential, ClientSecretCredential, ManagedIdentityCredential
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.middleware.options import RetryHandlerOption
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.body_type import BodyType
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.internet_message_header import InternetMessageHeader
from msgraph.generated.models.item_body import ItemBody
from msgraph.generated.models.message import Message
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.models.single_value_legacy_extended_property import (
    SingleValueLegacyExtendedProperty,
)
from msgraph.generated.users.item.messages.messages_request_builder import MessagesRequestBuilder
from msgraph_core import GraphClientFactory

from bot.config import SettingsError
from bot.mail.eml_outbox import NOTIFICATION_KEY_HEADER
from bot.mail.message import OutgoingEmail
from bot.mail.sender import PermanentMailError, TransientMailError
from bot.mail.settings import GraphSettings

log = logging.getLogger(__name__)

# A named string property in a namespace (GUID) of our own, so nothing else in the mailbox can
# collide with it. Graph can filter on it, which an internet header cannot offer.
MARKER_PROPERTY_ID = "String {508c2173-9220-4e59-b42e-d4b6cb5cbb98} Name X-SCR-Notification-Key"

# After a send whose outcome we could not see, give Exchange time to move the message out of
# Drafts before we look again, or we could find it still a draft and send it a second time.
DEFAULT_SETTLE_SECONDS = 120.0

_TRANSIENT_STATUSES = {408, 429, 500, 502, 503, 504}
_SAFE_CODE = re.compile(r"[A-Za-z0-9_.-]{1,80}")


def build_credential(graph: GraphSettings) -> AsyncTokenCredential:
    """National clouds sign in elsewhere: azure-identity reads AZURE_AUTHORITY_HOST for that."""
    if graph.use_managed_identity:
        # A user-assigned identity is chosen by its client id; without one, the system identity.
        return ManagedIdentityCredential(client_id=graph.client_id or None)
    if graph.certificate_path is not None:
        try:
            return CertificateCredential(
                graph.tenant_id, graph.client_id, certificate_path=str(graph.certificate_path)
            )
        except ValueError:
            # Fail at startup, naming the setting, rather than on the first email.
            raise SettingsError(
                f"GRAPH_CERTIFICATE_PATH: {graph.certificate_path} is not a PEM or PKCS12 file "
                "holding the certificate and its private key"
            ) from None
    return ClientSecretCredential(graph.tenant_id, graph.client_id, graph.client_secret)


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
    ) -> None:
        self._credential = credential
        self._settle_seconds = settle_seconds
        base = urlsplit(base_url)
        auth = AzureIdentityAuthenticationProvider(
            credential,
            # The token is for the cloud we talk to (graph.microsoft.us …), and only ever sent there.
            scopes=[f"{base.scheme}://{base.hostname}/.default"],
            allowed_hosts=[base.hostname or ""],
        )
        self._http = GraphClientFactory.create_with_default_middleware(
            client=httpx.AsyncClient(timeout=httpx.Timeout(request_timeout, connect=connect_timeout)),
            options={RetryHandlerOption.get_key(): RetryHandlerOption(max_retries=0, should_retry=False)},
        )
        adapter = GraphRequestAdapter(auth, client=self._http)
        adapter.base_url = base_url.rstrip("/")
        self._mailbox = GraphServiceClient(request_adapter=adapter).users.by_user_id(sender)

    async def send(self, email: OutgoingEmail) -> None:
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
            step = "send"
            await self._mailbox.messages.by_message_id(draft_id).send.post()
            log.info("mail %s: sent through Graph", email.key)
        except APIError as error:
            raise self._classify(error, step) from None
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
            body=ItemBody(content_type=BodyType.Html, content=email.html),
            to_recipients=[Recipient(email_address=EmailAddress(address=address)) for address in email.to],
            single_value_extended_properties=[
                SingleValueLegacyExtendedProperty(id=MARKER_PROPERTY_ID, value=email.key)
            ],
            # Recipients' copies carry the key too, as the local .eml files do.
            internet_message_headers=[InternetMessageHeader(name=NOTIFICATION_KEY_HEADER, value=email.key)],
        )
        created = await self._mailbox.messages.post(draft)
        if created is None or not created.id:
            raise TransientMailError("Graph created the draft but did not return its id", 0.0)
        log.info("mail %s: draft created", email.key)
        return created.id

    def _settle_after(self, step: str) -> float | None:
        return self._settle_seconds if step == "send" else None

    def _classify(self, error: APIError, step: str) -> TransientMailError | PermanentMailError:
        status = error.response_status_code or 0
        code = _error_code(error)
        label = f"{status} {code}".strip()
        log.warning("mail: Graph answered %s during the %s", label, step)
        if status in _TRANSIENT_STATUSES or status >= 500:
            retry_after = _retry_after(error.response_headers)
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


def _error_code(error: APIError) -> str:
    """Graph's error code (an identifier such as ErrorInvalidRecipients). Its message is not kept:
    it can quote addresses."""
    code = error.error.code if isinstance(error, ODataError) and error.error else None
    return code if code and _SAFE_CODE.fullmatch(code) else ""


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
