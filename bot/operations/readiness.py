"""GET /readyz: whether this instance can do its work — its store answers, its mail worker runs
and its reminder scheduler runs (or is switched off). 200 when all are well; 503 naming each part
that is not, so an operator (or App Service's health check) knows what to look at.

/healthz stays a liveness check: it answers while the process serves HTTP at all, so a platform
restarts only a process that is truly stuck, not one whose store is briefly busy.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from aiohttp import web

# A check returns None when healthy, or what is wrong in a few words.
Check = Callable[[], Awaitable[str | None]]

STORE_TIMEOUT_SECONDS = 5.0


class Transactional(Protocol):
    def transaction(self) -> AbstractContextManager[Any]: ...


# Looked up by the probe: one indexed read, whether it exists or not.
_PROBE = ("readiness", "probe")


def store_check(store: Transactional) -> Check:
    """Opens and ends one transaction, off the event loop; a store that does not answer within a
    few seconds (a lock held by a stuck instance, a hung disk) counts as unhealthy."""

    def probe() -> None:
        # A read, not an empty transaction: PostgreSQL's pool lends a connection without asking
        # the server anything, so only a query finds out that the database is gone.
        with store.transaction() as session:
            session.get(*_PROBE)

    async def check() -> str | None:
        try:
            await asyncio.wait_for(asyncio.to_thread(probe), STORE_TIMEOUT_SECONDS)
        except TimeoutError:
            return f"not answering within {STORE_TIMEOUT_SECONDS:.0f} s"
        except Exception as error:  # noqa: BLE001 - any failure to read is the answer
            return f"cannot be read ({type(error).__name__})"
        return None

    return check


def task_check(is_running: Callable[[], bool]) -> Check:
    async def check() -> str | None:
        return None if is_running() else "stopped"

    return check


def add_readiness_route(app: web.Application, checks: Mapping[str, Check]) -> None:
    async def readyz(_: web.Request) -> web.Response:
        results = dict(zip(checks, await asyncio.gather(*(check() for check in checks.values())), strict=True))
        unhealthy = {name: problem for name, problem in results.items() if problem is not None}
        body = {
            "status": "unhealthy" if unhealthy else "ok",
            "checks": {name: problem or "ok" for name, problem in results.items()},
        }
        return web.json_response(body, status=503 if unhealthy else 200)

    app.router.add_get("/readyz", readyz)
