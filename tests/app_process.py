"""Runs app.py as a real process, as an operator would: on a port that is already taken so that
the app stops by itself right after start-up (start_and_stop), or serving until it is sent
SIGTERM (ServedApp)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

APP = Path(__file__).parents[1] / "app.py"


def start_and_stop(tmp_path: Path, app: Path = APP, **env: str) -> subprocess.CompletedProcess[str]:
    """`env` is added to (or, with an empty value, removed from) this process's environment; `app`
    is the app.py to run (a copy, for a test that breaks one of its files)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        merged = {**os.environ, "HOST": "127.0.0.1", "PORT": str(taken.getsockname()[1]),
                  "DATA_DIR": str(tmp_path / "data"), **env}
        return subprocess.run([sys.executable, str(app)], cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, env={key: value for key, value in merged.items() if value})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServedApp:
    """app.py serving on a free loopback port until stopped; its output goes to files (a pipe
    nobody reads would fill up and block it)."""

    def __init__(self, tmp_path: Path, start_at: datetime | None = None, **env: str) -> None:
        """`env` as for start_and_stop. With `start_at`, tests/instance_process.py runs instead of
        app.py: the same app, with a clock that starts then (for reminders on a working day)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = tmp_path / "app.log"
        merged = {**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port),
                  "DATA_DIR": str(tmp_path / "data"), **env}
        command = [sys.executable, str(APP)]
        if start_at is not None:
            command = [sys.executable, "-m", "tests.instance_process"]
            merged |= {"START_AT": start_at.isoformat(), "START_EPOCH": str(time.time()),
                       "PYTHONPATH": str(APP.parent)}
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=log,
                                            env={key: value for key, value in merged.items() if value})

    def wait_until_healthy(self, within: float = 60) -> "ServedApp":
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"app.py exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "healthz", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"app.py did not answer /healthz within {within} s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM, as App Service and container runtimes stop an app; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"app.py did not stop within 60 s of SIGTERM:\n{self.output()}") from None
