"""rate_limit.scope client (issue 13 item 9): a fixed-window counter per client in DynamoDB, shared by containers.

Run against moto's DynamoDB-compatible server (tests/moto_server.py says why moto), started once per
test process on a free local port; the runtime reaches it through LIFT_DYNAMODB_ENDPOINT, signing
every call with its own SigV4. Nothing here talks to AWS.
"""

from __future__ import annotations

import calendar
import itertools
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from moto_server import CREDENTIALS, client, create_table, free_port
from test_runtime_support import Context, emf, event, example_config, header, logs

from lift_runtime import counter, sigv4
from lift_runtime.middleware import RateLimit
from lift_runtime.ratelimit import ClientBuckets
from lift_runtime.wrapper import Wrapper

WINDOW_START = 1_800_000_000.0  # a fixed clock, at the start of a window of any length up to an hour
_tables = itertools.count()


def ok(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": "{}"}


@pytest.fixture
def table(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh counter table, and the environment the compiled template gives the function (endpoint: moto)."""
    name = f"limits-{next(_tables)}"
    create_table(moto_url, name)
    for key, value in {**CREDENTIALS, "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv(counter.TABLE_ENV, name)
    monkeypatch.setenv(counter.ENDPOINT_ENV, moto_url)
    return name


def limited(max_: int = 3, clock: float = WINDOW_START, **changes: Any) -> Wrapper:
    """The example's api function with a client limit of max_ a minute (the local bucket out of the way)."""
    config = example_config()
    rate = config.rate_limit.replace(max=max_, burst=100_000, window=60.0, **{"key": "source_ip", **changes})
    wrapper = Wrapper(ok, config=config.replace(rate_limit=rate), function="api")
    layer = wrapper.layer(RateLimit)
    assert layer is not None and layer.clients is not None
    layer.clients.clock = lambda: clock
    return wrapper


def request(ip: str = "198.51.100.1", **headers: str) -> dict[str, Any]:
    ev = event("http-api-post")
    ev["requestContext"]["http"]["sourceIp"] = ip
    ev["headers"] = {"x-forwarded-proto": "https", **headers}
    return ev


def statuses(wrapper: Wrapper, events: list[dict[str, Any]]) -> list[int]:
    return [wrapper(ev, Context())["statusCode"] for ev in events]  # type: ignore[index]


# --- SigV4 -----------------------------------------------------------------------------------------


def test_sigv4_matches_the_aws_test_suite_vector() -> None:
    """get-vanilla from the AWS Signature Version 4 test suite."""
    creds = sigv4.Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "us-east-1")
    now = calendar.timegm(time.strptime("20150830T123600Z", "%Y%m%dT%H%M%SZ"))
    signed = sigv4.sign(creds, "service", "GET", "example.amazonaws.com", "/", {}, b"", now)
    assert signed["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


def test_sigv4_signs_a_dynamodb_call_as_botocore_does() -> None:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    body = b'{"TableName":"t"}'
    headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.UpdateItem"}
    now = 1_700_000_000
    ours = sigv4.sign(
        sigv4.Credentials("AKID", "SECRET", "TOKEN", "eu-west-1"), "dynamodb", "POST", "db.local:8000", "/", headers, body, now
    )
    theirs = AWSRequest(method="POST", url="http://db.local:8000/", data=body, headers=dict(headers))
    theirs.context["timestamp"] = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    auth = SigV4Auth(Credentials("AKID", "SECRET", "TOKEN"), "dynamodb", "eu-west-1")
    auth._modify_request_before_signing(theirs)  # what add_auth does, at our timestamp
    expected = auth.signature(auth.string_to_sign(theirs, auth.canonical_request(theirs)), theirs)
    assert ours["Authorization"].endswith(f"Signature={expected}")
    assert ours["X-Amz-Security-Token"] == "TOKEN"


# --- one container ---------------------------------------------------------------------------------


def test_each_client_gets_max_a_window_then_429_with_the_usual_headers(table: str) -> None:
    wrapper = limited(max_=3, clock=WINDOW_START + 15)
    answers = [wrapper(request("198.51.100.1"), Context()) for _ in range(4)]
    assert [a["statusCode"] for a in answers] == [200, 200, 200, 429]  # type: ignore[index]
    assert [header(a, "X-RateLimit-Remaining") for a in answers] == ["2", "1", "0", "0"]  # type: ignore[arg-type]
    refused: dict[str, Any] = answers[-1]  # type: ignore[assignment]
    assert header(refused, "X-RateLimit-Limit") == "3"
    assert header(refused, "Retry-After") == header(refused, "X-RateLimit-Reset") == "45"  # the window ends in 45 s
    assert statuses(wrapper, [request("198.51.100.2")]) == [200]  # another client: its own counter
    # the next window starts again from zero
    later = limited(max_=3, clock=WINDOW_START + 60)
    assert statuses(later, [request("198.51.100.1")]) == [200]


def test_the_counter_item_expires_at_the_window_end_and_holds_no_identity(table: str, moto_url: str) -> None:
    statuses(limited(max_=5), [request("203.0.113.7")] * 2)
    items = client(moto_url).scan(TableName=table)["Items"]
    assert len(items) == 1
    (item,) = items
    assert item["count"] == {"N": "2"} and item["expires_at"] == {"N": str(int(WINDOW_START) + 60)}
    assert "203.0.113.7" not in str(item)


def test_jwt_sub_and_header_keys(table: str) -> None:
    by_sub = limited(max_=1, key="jwt_sub")
    first, second = request(), request()
    second["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = "other-user"
    assert statuses(by_sub, [first, first, second]) == [200, 429, 200]  # same IP, two subjects
    by_header = limited(max_=1, key="header:x-api-key", clock=WINDOW_START + 120)
    assert statuses(
        by_header, [request(**{"X-Api-Key": "k1"}), request(**{"x-api-key": "k1"}), request(**{"X-API-KEY": "k2"})]
    ) == [
        200,
        429,
        200,
    ]
    # a request without the header counts under its source IP
    assert statuses(by_header, [request("192.0.2.1"), request("192.0.2.1"), request("192.0.2.2")]) == [200, 429, 200]


# --- many containers, many clients -----------------------------------------------------------------


def test_two_wrapper_instances_share_one_limit(table: str) -> None:
    one, two = limited(max_=4), limited(max_=4)  # two containers of the function
    answers = [w(request("198.51.100.9"), Context())["statusCode"] for w in (one, two) * 3]  # type: ignore[index]
    assert answers == [200, 200, 200, 200, 429, 429]


def test_many_concurrent_clients_each_get_exactly_max(table: str, capsys: pytest.CaptureFixture[str]) -> None:
    # a generous store timeout: on a loaded test machine a slow answer would be a store error, not a count
    containers = [limited(max_=5, store_timeout=10.0, on_store_error="deny") for _ in range(2)]
    clients = [f"10.0.0.{n}" for n in range(12)]
    jobs = [(ip, containers[n % 2]) for ip in clients for n in range(8)]  # 8 requests per client, over both
    lock = threading.Lock()
    served: Counter[str] = Counter()
    refused: Counter[str] = Counter()

    def send(job: tuple[str, Wrapper]) -> None:
        ip, wrapper = job
        status = wrapper(request(ip), Context())["statusCode"]  # type: ignore[index]
        with lock:
            assert status in (200, 429), status
            (served if status == 200 else refused)[ip] += 1

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(send, jobs))
    assert [line for line in logs(capsys.readouterr().out) if line.get("message") == "rate limit store error"] == []
    assert served == {ip: 5 for ip in clients}
    assert refused == {ip: 3 for ip in clients}


# --- store errors ----------------------------------------------------------------------------------


@pytest.fixture
def down(table: str, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv(counter.ENDPOINT_ENV, url)
    return url


def test_store_down_allow_serves_logs_and_counts_the_error(down: str, capsys: pytest.CaptureFixture[str]) -> None:
    wrapper = limited(max_=1, on_store_error="allow")
    capsys.readouterr()
    assert statuses(wrapper, [request(), request()]) == [200, 200]
    out = capsys.readouterr().out
    errors = [line for line in logs(out) if line.get("message") == "rate limit store error"]
    assert len(errors) == 2 and errors[0]["on_store_error"] == "allow" and "ConnectionRefusedError" in errors[0]["reason"]
    assert [line.get(counter.STORE_ERRORS_METRIC) for line in emf(out)] == [1, 1]


def test_a_store_error_answer_is_a_store_error(
    table: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(counter.TABLE_ENV, "no-such-table")  # the server answers 400 ResourceNotFoundException
    assert statuses(limited(max_=1, on_store_error="allow"), [request(), request()]) == [200, 200]
    errors = [line for line in logs(capsys.readouterr().out) if line.get("message") == "rate limit store error"]
    assert len(errors) == 2 and "ResourceNotFoundException" in errors[0]["reason"]
    assert statuses(limited(max_=1, on_store_error="deny"), [request()]) == [429]


def test_store_down_deny_answers_429(down: str) -> None:
    response: dict[str, Any] = limited(max_=100, on_store_error="deny")(request(), Context())  # type: ignore[assignment]
    assert response["statusCode"] == 429 and header(response, "Retry-After") == "1"


@pytest.fixture
def silent(table: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    monkeypatch.setenv(counter.ENDPOINT_ENV, f"http://127.0.0.1:{listener.getsockname()[1]}")
    yield table
    listener.close()


def test_a_slow_store_costs_at_most_store_timeout(silent: str) -> None:
    wrapper = limited(max_=100, on_store_error="deny", store_timeout=0.2)
    started = time.monotonic()
    response: dict[str, Any] = wrapper(request(), Context())  # type: ignore[assignment]
    assert response["statusCode"] == 429
    assert time.monotonic() - started < 1.5


def test_without_the_table_variable_only_the_local_buckets_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(counter.TABLE_ENV, raising=False)
    config = example_config()
    rate = config.rate_limit.replace(max=1, burst=2, key="source_ip")
    wrapper = Wrapper(ok, config=config.replace(rate_limit=rate), function="api")
    layer = wrapper.layer(RateLimit)
    assert layer is not None and layer.clients is None and layer.buckets is not None
    assert statuses(wrapper, [request("192.0.2.1")] * 3) == [200, 200, 429]  # one client's burst of 2
    assert statuses(wrapper, [request("192.0.2.2")]) == [200]  # another client: its own bucket


def test_the_local_guard_refuses_a_burst_before_it_costs_a_store_call(table: str, moto_url: str) -> None:
    wrapper = limited(max_=100)
    layer = wrapper.layer(RateLimit)
    assert layer is not None and layer.buckets is not None
    layer.buckets.burst = 2
    assert statuses(wrapper, [request("203.0.113.50")] * 4) == [200, 200, 429, 429]
    (item,) = client(moto_url).scan(TableName=table)["Items"]
    assert item["count"] == {"N": "2"}  # the refused two never reached the table


def test_client_buckets_keep_the_clients_seen_last() -> None:
    buckets = ClientBuckets(limit=1, window=60.0, burst=1, size=2, clock=lambda: 0.0)
    assert [buckets.take(c).allowed for c in ("a", "b", "a", "c")] == [True, True, False, True]  # c drops b
    assert list(buckets.buckets) == ["a", "c"]
    assert buckets.take("b").allowed is True  # b starts over; a (least recent) goes
    assert list(buckets.buckets) == ["c", "b"]


def test_a_kept_alive_connection_the_server_closed_is_reopened_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """DynamoDB closes idle connections while a function is frozen: the next call must not be a store error."""
    for key, value in {**CREDENTIALS, "AWS_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    answer = b'{"Attributes":{"count":{"N":"1"}}}'
    reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: %d\r\n\r\n%s" % (len(answer), answer)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    accepted: list[int] = []

    def serve() -> None:
        for n in range(2):  # each connection answers one request, then the server closes it (no Connection: close)
            conn, _ = listener.accept()
            accepted.append(n)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")))
            while len(body) < length:
                body += conn.recv(65536)
            conn.sendall(reply)
            conn.close()

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    store = counter.DynamoStore("t", timeout=2.0, endpoint=f"http://127.0.0.1:{listener.getsockname()[1]}")
    try:
        assert store.increment("k#1", 10, 60) == 1
        time.sleep(0.1)  # the server has closed the first connection by now
        assert store.increment("k#1", 10, 60) == 1  # on a second connection, not a StoreError
        assert accepted == [0, 1]
    finally:
        listener.close()
        server.join(timeout=5)
