"""A stand-in for App Service's managed identity endpoint, so that app.py run as a real process
signs in to the fake Graph exactly as it does on App Service: azure-identity finds
IDENTITY_ENDPOINT and IDENTITY_HEADER in the environment and asks the endpoint for a token.

`environment()` gives the variables App Service sets; the token handed out is the one the fake
Graph accepts. Each request's query is recorded.
"""

import time
from dataclasses import dataclass, field

from aiohttp import web

from tests.fakes.fake_graph import TOKEN, FakeGraph

# The user-assigned identity's client id, as the Bicep passes it in GRAPH_CLIENT_ID.
CLIENT_ID = "11111111-2222-4333-8444-555555555555"
# App Service puts a fresh secret here on every start; a request without it is refused.
IDENTITY_HEADER = "fake-identity-header-secret"


@dataclass
class FakeIdentityEndpoint:
    token: str = TOKEN
    queries: list[dict[str, str]] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None

    async def start(self) -> "FakeIdentityEndpoint":
        app = web.Application()
        app.router.add_get("/msi/token", self._token)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/msi/token"
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    def environment(self) -> dict[str, str]:
        return {"IDENTITY_ENDPOINT": self.url, "IDENTITY_HEADER": IDENTITY_HEADER}

    async def _token(self, request: web.Request) -> web.Response:
        self.queries.append(dict(request.query))
        if request.headers.get("X-IDENTITY-HEADER") != IDENTITY_HEADER:
            return web.json_response({"statusCode": 400, "message": "missing or wrong X-IDENTITY-HEADER"},
                                     status=400)
        return web.json_response({
            "access_token": self.token,
            "expires_on": str(int(time.time()) + 3600),
            "resource": request.query.get("resource", ""),
            "token_type": "Bearer",
        })


def mail_through_graph(graph: FakeGraph, identity: FakeIdentityEndpoint) -> dict[str, str]:
    """The settings for app.py to send mail as on App Service (as the Bicep sets them): through
    `graph`, signed in with the managed identity `identity` stands in for."""
    return {"GRAPH_USE_MANAGED_IDENTITY": "true", "GRAPH_CLIENT_ID": CLIENT_ID, "MAIL_SENDER": graph.mailbox,
            "GRAPH_BASE_URL": graph.base_url, **identity.environment()}
