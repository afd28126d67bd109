"""A Microsoft Graph client as every Graph adapter here needs it (mail, the people directory), and
the credential it signs in with.

The token is asked for the cloud the base URL names (graph.microsoft.us …) and only ever sent
there. kiota's RetryHandler is off: each caller decides what a failure means and whether to retry.
"""

from urllib.parse import urlsplit

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from azure.identity.aio import CertificateCredential, ClientSecretCredential, ManagedIdentityCredential
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.middleware.options import RetryHandlerOption
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph_core import GraphClientFactory

from bot.config import SettingsError
from bot.mail.settings import GraphSettings


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


def graph_http(request_timeout: float, connect_timeout: float) -> httpx.AsyncClient:
    """The HTTP client a GraphServiceClient runs on (its owner closes it)."""
    return GraphClientFactory.create_with_default_middleware(
        client=httpx.AsyncClient(timeout=httpx.Timeout(request_timeout, connect=connect_timeout)),
        options={RetryHandlerOption.get_key(): RetryHandlerOption(max_retries=0, should_retry=False)},
    )


def graph_service(credential: AsyncTokenCredential, base_url: str, http: httpx.AsyncClient) -> GraphServiceClient:
    base = urlsplit(base_url)
    auth = AzureIdentityAuthenticationProvider(
        credential, scopes=[f"{base.scheme}://{base.hostname}/.default"], allowed_hosts=[base.hostname or ""]
    )
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = base_url.rstrip("/")
    return GraphServiceClient(request_adapter=adapter)
