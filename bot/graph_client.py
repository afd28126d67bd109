"""A Microsoft Graph client as every Graph adapter here needs it (mail, the people directory).

The token is asked for the cloud the base URL names (graph.microsoft.us …) and only ever sent
there. kiota's RetryHandler is off: each caller decides what a failure means and whether to retry.
"""

from urllib.parse import urlsplit

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from kiota_authentication_azure.azure_identity_authentication_provider import (
    AzureIdentityAuthenticationProvider,
)
from kiota_http.middleware.options import RetryHandlerOption
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph_core import GraphClientFactory


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
