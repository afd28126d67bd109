"""HTTP routes: the Bot Framework messages endpoint, liveness (/healthz) and readiness (/readyz).

The SDK's own `process` answers 500 for a missing content type, a body that is not JSON or a
token it cannot parse (some malformed tokens fail deep in its validator with a bare KeyError);
here those get the 4xx a caller can act on, as does JSON that is not an activity
(bot/teams/inbound.py).
"""

import json
import logging
from collections.abc import Mapping

from aiohttp import web
from botbuilder.core import Bot
from botbuilder.integration.aiohttp import CloudAdapter

from bot.operations import metrics
from bot.operations.readiness import Check, add_readiness_route
from bot.teams.inbound import problem_with

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024


def create_web_app(adapter: CloudAdapter, bot: Bot, *, secured: bool,
                   readiness: Mapping[str, Check] | None = None) -> web.Application:
    """`readiness` names the checks /readyz runs (see bot/operations/readiness.py)."""

    async def messages(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise web.HTTPUnsupportedMediaType(text="Send the activity as application/json.")
        try:
            body = json.loads(await request.read())
        except (ValueError, RecursionError):
            raise web.HTTPBadRequest(text="The body is not valid JSON.") from None
        problem = problem_with(body)
        if problem:
            raise web.HTTPBadRequest(text=problem)
        metrics.turns.add(1)
        try:
            with metrics.tracer.start_as_current_span("turn"):
                response = await adapter.process(request, bot)
        except web.HTTPException:
            raise
        except Exception as error:  # noqa: BLE001 - see below
            # Errors inside a turn are handled by the adapter's on_turn_error, so whatever
            # escapes here is the SDK refusing the request before the bot ran.
            log.warning("Rejected an activity before the turn: %s", type(error).__name__)
            if secured:
                raise web.HTTPUnauthorized(text="The request is not authenticated.") from None
            raise web.HTTPBadRequest(text="The activity could not be processed.") from None
        return response or web.Response(status=201)

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    if readiness is not None:
        add_readiness_route(app, readiness)

    async def announce_shutdown(_: web.Application) -> None:
        # By now the server takes no new connections; turns under way still finish (aiohttp
        # waits for them), then on_cleanup stops the workers (the mail worker drains).
        log.info("Stopping: finishing the turns and email sends under way")

    app.on_shutdown.append(announce_shutdown)
    return app
