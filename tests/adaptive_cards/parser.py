"""Cards checked by Microsoft's own parser: the `adaptivecards` npm package, run in one Node
process for the whole test session and fed one card per line, so checking every card the bot
sends costs a pipe round trip, not a Node start-up."""

import atexit
import json
import subprocess
import threading
from pathlib import Path
from typing import Any

_SCRIPT = Path(__file__).with_name("parser.js")
_ROOT = _SCRIPT.parents[2]


class _Parser:
    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None
        # The fake connector and in-process tests may check cards from more than one thread.
        self._lock = threading.Lock()

    def problems(self, card: dict[str, Any]) -> list[str]:
        with self._lock:
            process = self._running()
            assert process.stdin and process.stdout
            process.stdin.write(json.dumps(card) + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
        if not answer:
            raise RuntimeError("the Adaptive Cards parser stopped; is `npm ci` done (scripts/setup)?")
        return list(json.loads(answer))

    def _running(self) -> "subprocess.Popen[str]":
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                ["node", str(_SCRIPT)], cwd=_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
        return self._process

    def close(self) -> None:
        if self._process and self._process.poll() is None:
            assert self._process.stdin
            self._process.stdin.close()
            self._process.wait(timeout=10)


_parser = _Parser()
atexit.register(_parser.close)


def parser_problems(card: dict[str, Any]) -> list[str]:
    """What Microsoft's parser reports about `card` (unknown elements or actions, values outside
    an enum, duplicate ids, required inputs without label or error message…)."""
    return _parser.problems(card)
