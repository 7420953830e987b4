"""A throw-away Redis server for tests (a Celery broker): Debian's redis-server, loopback only, nothing on disk."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from tests.postgres_server import _free_port


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Yield the server's URL (redis://127.0.0.1:<port>); the server is stopped and its directory removed after."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found: install Debian's redis-server (make test does)")
    directory = Path(tempfile.mkdtemp(prefix="hankkeet-redis-"))
    port = _free_port()
    # No snapshots, no append-only file: the broker's queues live only as long as the test.
    args = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(directory)]
    process = subprocess.Popen([binary, *args, "--logfile", str(directory / "redis.log")])
    try:
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start: {(directory / 'redis.log').read_text()}") from None
                time.sleep(0.1)
        client.close()
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)
