"""A throw-away PostgreSQL server for tests: Debian's binaries, a temporary data directory, loopback only."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    database: str


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} not found: install Debian's postgresql (make test does)")
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; CI and `make test` run as root, a developer usually not.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def postgres_server() -> Iterator[Server]:
    # Its own directory: pytest's temporary directories are private to root, and the server runs as postgres.
    directory = Path(tempfile.mkdtemp(prefix="hankkeet-pg-"))
    data = directory / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(_as_postgres([_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "dagster"]), **run)
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1"
    log = directory / "postgres.log"
    subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]), **run)
    try:
        create = [_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "dagster", "dagster"]
        subprocess.run(_as_postgres(create), **run)
        yield Server("127.0.0.1", port, "dagster", "dagster")
    finally:
        stop = [_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
        subprocess.run(_as_postgres(stop), check=False, capture_output=True, timeout=120)
        shutil.rmtree(directory, ignore_errors=True)
