"""A local DynamoDB for the client rate limit tests: moto's server (``moto_server`` from PyPI, in the dev extra).

Why moto: the limit is a conditional UpdateItem against DynamoDB's HTTP API, and the test must see
real requests, signed and sent by the runtime, answered by a server with DynamoDB's semantics
(condition checks, ADD, error types). moto's server is the only DynamoDB-compatible server that
installs from a package registry and runs offline without Java or Docker (DynamoDB Local is a
Java download from AWS; LocalStack needs Docker). It listens on 127.0.0.1 only, on a free port.

One difference matters here: DynamoDB applies each UpdateItem atomically, while moto's server runs
requests on threads with no lock around an item's read-modify-write, so two concurrent conditional
increments can lose one. ``python moto_server.py HOST PORT`` (what ``running`` starts) serves moto's
own WSGI app on threads, one connection each as ``moto_server`` does, but calls the app under one
lock: every request is atomic, as DynamoDB's are, and the concurrency tests test the runtime.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Unavailable(RuntimeError):
    pass


def _check() -> None:
    if importlib.util.find_spec("moto") is None or importlib.util.find_spec("werkzeug") is None:
        raise Unavailable("moto's server is not installed (pip install 'moto[server]', part of the dev extra)")


@contextmanager
def running(log: Path) -> Iterator[str]:
    """A moto server on a free port; yields its URL. Stopped (its process group) on exit."""
    _check()
    port = free_port()
    env = {**os.environ, **CREDENTIALS, "AWS_DEFAULT_REGION": REGION, "MOTO_ALLOW_NONEXISTENT_REGION": "true"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, __file__, "127.0.0.1", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise Unavailable(f"moto_server did not start: {log.read_text(errors='replace')[-2000:]}") from None
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def client(url: str) -> Any:
    import boto3  # moto's own dependency: the tests use it to set up and inspect the table, never the runtime

    return boto3.client("dynamodb", endpoint_url=url, region_name=REGION, **{k.lower(): v for k, v in CREDENTIALS.items()})


def create_table(url: str, name: str) -> None:
    """The table as the template compiles it (liftspec.render.sam.ratelimit): key pk, TTL on expires_at."""
    dynamodb = client(url)
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        SSESpecification={"Enabled": True},
    )
    dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={"AttributeName": "expires_at", "Enabled": True})


def _serve(host: str, port: int) -> None:
    import threading

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import run_simple

    app = DomainDispatcherApplication(create_backend_app)
    lock = threading.Lock()

    def atomic(environ: Any, start_response: Any) -> list[bytes]:
        with lock:
            return list(app(environ, start_response))

    run_simple(host, port, atomic, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    _serve(sys.argv[1], int(sys.argv[2]))
