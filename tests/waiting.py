"""Waiting for what the app does in the background (its mail worker, its reminder loop)."""

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(condition: Callable[[], T], within: float = 10, what: str = "the condition") -> T:
    """What ``condition`` returns, once it is truthy; fails the test, naming ``what``, after ``within`` s.

    Polls every 20 ms, yielding to the event loop in between so the app's tasks can run.
    """
    try:
        async with asyncio.timeout(within):
            # Polling, not an Event: what is awaited (a file written, a row sent) announces nothing.
            while not (result := condition()):  # noqa: ASYNC110
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"{what} did not happen within {within} s") from None
    return result
