"""The Dockerfile, checked where no container engine runs (`docker build` needs one): the files
the image would hold (the build context less .dockerignore) are copied to a folder, and the
image's own start command and HEALTHCHECK run there with the image's environment."""

import fnmatch
import json
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.app_process import free_port

ROOT = Path(__file__).parents[1]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined."""
    joined = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def one(name: str) -> str:
    found = [arguments for instruction, arguments in instructions() if instruction == name]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def image_environment() -> dict[str, str]:
    pairs = [pair for instruction, arguments in instructions() if instruction == "ENV"
             for pair in shlex.split(arguments)]
    return dict(pair.split("=", 1) for pair in pairs)


def ignored(path: str, patterns: list[str]) -> bool:
    parts = path.split("/")
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        if fnmatch.fnmatch(path, pattern) or any(fnmatch.fnmatch(part, bare) for part in parts) \
                or any(fnmatch.fnmatch("/".join(parts[:depth]), pattern) for depth in range(1, len(parts))):
            return True
    return False


def image_files() -> list[str]:
    """What `COPY . .` puts in the image: the repository's files less .dockerignore."""
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    tracked = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    return [path for path in tracked if (ROOT / path).is_file() and not ignored(path, patterns)]


def test_the_image_is_slim_locked_non_root_with_a_data_volume_and_a_readiness_healthcheck() -> None:
    assert one("FROM").startswith("python:") and one("FROM").endswith("-slim")
    runs = [arguments for instruction, arguments in instructions() if instruction == "RUN"]
    installs = [arguments for arguments in runs if "pip install" in arguments]
    assert installs == ["python -m pip install --require-hashes --no-deps -r requirements.lock"]
    assert one("USER") not in ("root", "0")
    assert json.loads(one("VOLUME")) == [image_environment()["DATA_DIR"]]
    assert "/readyz" in one("HEALTHCHECK")
    assert json.loads(one("CMD")) == ["python", "app.py"]
    assert one("STOPSIGNAL") == "SIGTERM"


def test_the_image_holds_the_app_and_nothing_of_the_developer_s() -> None:
    files = image_files()
    assert "app.py" in files and "requirements.lock" in files
    assert any(path.startswith("bot/") for path in files) and any(path.startswith("cards/") for path in files)
    assert "config/address_book.example.json" in files
    for unwanted in ("tests/", "node_modules/", ".venv/", "data/", "docs/", ".git/", "infra/", "env/"):
        assert not any(path.startswith(unwanted) for path in files), unwanted
    assert ".env" not in files and not any(path.endswith(".md") for path in files)


def test_the_image_s_start_command_serves_and_its_healthcheck_passes(tmp_path: Path) -> None:
    app_dir = tmp_path / "app"
    for path in image_files():
        (app_dir / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, app_dir / path)
    port = str(free_port())
    # The image's environment, but on loopback: local mode (no app id) listens on nothing else,
    # and tests bind 127.0.0.1 only.
    env = {**image_environment(), "HOST": "127.0.0.1", "PORT": port, "DATA_DIR": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin"}
    command = json.loads(one("CMD"))
    healthcheck = json.loads(one("HEALTHCHECK").split(" CMD ", 1)[1])
    # The image's python is the one with the locked packages; here that is this interpreter.
    command[0] = healthcheck[0] = sys.executable
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen(command, cwd=app_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while subprocess.run(healthcheck, cwd=app_dir, env=env, capture_output=True).returncode != 0:
            assert process.poll() is None, (tmp_path / "app.log").read_text()
            assert time.monotonic() < deadline, "the HEALTHCHECK never passed:\n" + (tmp_path / "app.log").read_text()
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            assert json.load(response)["status"] == "ok"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0, (tmp_path / "app.log").read_text()
        log.close()
