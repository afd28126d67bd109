"""The organisation's directory through Microsoft Graph: is this Entra object id a real person?

`GET /users/{id}?$select=id` asks for nothing but the id, so no name or address ever reaches the
bot. It needs the User.Read.All application permission (Graph's least privileged one for reading
another user without a signed-in user).
"""

import logging

import httpx
from azure.core.credentials_async import AsyncTokenCredential
from azure.core.exceptions import AzureError, ClientAuthenticationError
from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder

from bot.directory import DirectoryUnavailable
from bot.graph_client import graph_http, graph_service

log = logging.getLogger(__name__)

_ONLY_THE_ID = RequestConfiguration(
    query_parameters=UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(select=["id"]))


class GraphPeople:
    """Owns `credential` and closes it in `close()`."""

    # Short: a person waits on the form, and Teams gives up on a card press after about 15 s
    # (the chat's roster, asked first, may take 5 of them).
    def __init__(self, credential: AsyncTokenCredential, *, base_url: str,
                 request_timeout: float = 5.0, connect_timeout: float = 3.0) -> None:
        self._credential = credential
        self._http = graph_http(request_timeout, connect_timeout)
        self._users = graph_service(credential, base_url, self._http).users

    async def is_person(self, object_id: str) -> bool:
        """Whether the directory holds a user with this object id; DirectoryUnavailable when it
        cannot tell. Logged without the id: it identifies a person."""
        try:
            found = await self._users.by_user_id(object_id).get(_ONLY_THE_ID)
        except APIError as error:
            status = error.response_status_code or 0
            if status in (400, 404):  # 400: Graph's answer to an id no user can have
                return False
            log.warning("Directory look-up refused or failed: Graph answered %s", status)
            raise DirectoryUnavailable(refused=status in (401, 403)) from None
        except ClientAuthenticationError:
            log.warning("Directory look-up failed: could not sign in to Graph")
            raise DirectoryUnavailable(refused=True) from None
        except (httpx.TransportError, AzureError) as error:
            log.warning("Directory look-up failed: %s", type(error).__name__)
            raise DirectoryUnavailable(refused=False) from None
        return found is not None and (found.id or "").lower() == object_id.lower()

    async def close(self) -> None:
        await self._http.aclose()
        await self._credential.close()
