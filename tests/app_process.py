"""Runs app.py as a real process, as an operator would, on a port that is already taken so that
the app stops by itself right after start-up; returns what it printed."""

import os
import socket
import subprocess
import sys
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
