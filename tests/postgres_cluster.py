"""A throw-away PostgreSQL server for the tests: `initdb` into a temporary directory, listening
only on a Unix socket inside it (no TCP port at all), removed when the tests end.

Debian's `postgresql` package provides the binaries (scripts/setup installs it). initdb refuses to
run as root, so as root the server runs as the package's `postgres` user.
"""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg

MISSING = ("POSTGRESQL IS NOT INSTALLED: the PostgreSQL adapter is NOT tested here. "
           "Run scripts/setup as root (it installs Debian's postgresql package), or install it yourself.")


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


class Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self._bin = bin_dir
        self.directory = Path(tempfile.mkdtemp(prefix="scr-pg-"))
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        self.url = f"postgresql://scr@/postgres?host={self.directory}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> "Cluster":
        data = self.directory / "data"
        self._run(str(self._bin / "initdb"), "-D", str(data), "-U", "scr", "--auth=trust",
                  "--no-sync", "-E", "UTF8", "--locale=C")
        options = f"-k {self.directory} -c listen_addresses='' -c fsync=off -c max_connections=200"
        self._run(str(self._bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.directory / "log"),
                  "-w", "start")
        return self

    def new_database(self) -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return f"postgresql://scr@/{name}?host={self.directory}"

    def drop_database(self, url: str) -> None:
        name = url.split("?")[0].rsplit("/", 1)[-1]
        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError):
            self._run(str(self._bin / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster | None]:
    """A started cluster, or None where PostgreSQL is not installed."""
    bin_dir = binaries()
    if bin_dir is None:
        yield None
        return
    cluster = Cluster(bin_dir).start()
    try:
        yield cluster
    finally:
        cluster.stop()
