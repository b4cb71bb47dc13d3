"""rate_limit.scope client: one fixed-window counter per client in DynamoDB, shared by every container.

Each request adds 1 to the item of its client and window with a conditional UpdateItem
(``ADD count :one`` if ``count < max``); a failed condition is the 429. The item expires by
DynamoDB TTL at the window's end. The client's identity is hashed into the key, never stored.

The table is named by LIFT_RATE_LIMIT_TABLE (the compiled template sets it; without it, in a local run
or a unit test, only the per-client buckets of the container apply). Calls are signed with SigV4
(lift_runtime.sigv4) and wait at most ``store_timeout`` for the connection and for each read; a store
that cannot answer in time gets ``on_store_error``: allow (logged, counted as the RateLimitStoreErrors
metric) or deny (429).
LIFT_DYNAMODB_ENDPOINT points the calls at a local DynamoDB-compatible server, for tests only.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time

from lift_runtime import metrics, sigv4
from lift_runtime.log import logger
from lift_runtime.ratelimit import Decision

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from http.client import HTTPConnection

    from lift_runtime.config_types import RateLimit

TABLE_ENV = "LIFT_RATE_LIMIT_TABLE"
ENDPOINT_ENV = "LIFT_DYNAMODB_ENDPOINT"
STORE_ERRORS_METRIC = "RateLimitStoreErrors"
_TARGET = "DynamoDB_20120810.UpdateItem"
_CONDITION_FAILED = "ConditionalCheckFailedException"
_UPDATE = "ADD #count :one SET #expires = :expires"
_CONDITION = "attribute_not_exists(#count) OR #count < :max"


class LimitReached(Exception):
    """The client's counter is at max for this window."""


class StoreError(Exception):
    """The store did not give an answer: unreachable, too slow, refused the call, or answered nonsense."""


def _ceil(value: float) -> int:
    return -int(-value // 1)


class DynamoStore:
    """Conditional increments of one table through the DynamoDB JSON API; one kept-alive connection per thread."""

    def __init__(self, table: str, *, timeout: float, endpoint: str | None = None) -> None:
        from urllib.parse import urlsplit

        self.table = table
        self.timeout = timeout
        region = os.environ.get("AWS_REGION") or "us-east-1"
        url = urlsplit(endpoint or f"https://dynamodb.{region}.amazonaws.com")
        self.secure = url.scheme == "https"
        self.host = url.netloc
        self.path = url.path or "/"
        self.local = threading.local()

    def _connection(self) -> HTTPConnection:
        conn: HTTPConnection | None = getattr(self.local, "conn", None)
        if conn is None:
            import http.client

            kind = http.client.HTTPSConnection if self.secure else http.client.HTTPConnection
            conn = self.local.conn = kind(self.host, timeout=self.timeout)
        return conn

    def _drop(self) -> None:
        conn = getattr(self.local, "conn", None)
        self.local.conn = None
        if conn is not None:
            conn.close()

    def increment(self, item: str, limit: int, expires: int) -> int:
        """The item's count after adding 1; LimitReached when it is at `limit` already."""
        credentials = sigv4.Credentials.from_environment()  # read per call: cheap, and never stale
        if credentials is None:
            raise StoreError("no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION)")
        body = json.dumps(
            {
                "TableName": self.table,
                "Key": {"pk": {"S": item}},
                "UpdateExpression": _UPDATE,
                "ConditionExpression": _CONDITION,
                "ExpressionAttributeNames": {"#count": "count", "#expires": "expires_at"},
                "ExpressionAttributeValues": {
                    ":one": {"N": "1"},
                    ":max": {"N": str(limit)},
                    ":expires": {"N": str(expires)},
                },
                "ReturnValues": "UPDATED_NEW",
            },
            separators=(",", ":"),
        ).encode("utf-8")
        headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": _TARGET}
        headers = sigv4.sign(credentials, "dynamodb", "POST", self.host, self.path, headers, body)
        try:
            status, data = self._post(body, headers)
        except Exception as exc:  # OSError, timeouts, http.client's protocol errors
            self._drop()
            raise StoreError(f"{type(exc).__name__}: {exc}") from None
        return _count(status, data)

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        import http.client

        reused = getattr(self.local, "conn", None) is not None
        try:
            conn = self._connection()
            conn.request("POST", self.path, body=body, headers=headers)
            resp = conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            if not reused:
                raise
            # The server closed the kept-alive connection while the function was frozen: once more, on a new one.
            self._drop()
            conn = self._connection()
            conn.request("POST", self.path, body=body, headers=headers)
            resp = conn.getresponse()
        data = resp.read(65536)
        if resp.will_close:
            self._drop()
        return resp.status, data


def _count(status: int, data: bytes) -> int:
    try:
        answer = json.loads(data) if data else {}
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise StoreError(f"HTTP {status}: not a JSON object")
    if status == 400 and str(answer.get("__type", "")).endswith(_CONDITION_FAILED):
        raise LimitReached
    if status != 200:
        raise StoreError(f"HTTP {status}: {answer.get('__type', '')} {answer.get('message') or answer.get('Message') or ''}")
    try:
        return int(answer["Attributes"]["count"]["N"])
    except (KeyError, TypeError, ValueError):
        raise StoreError("the answer carries no count") from None


class Store:
    """What ClientLimiter needs of a store (DynamoStore, or a fake in a test)."""

    def increment(self, item: str, limit: int, expires: int) -> int:
        raise NotImplementedError


class ClientLimiter:
    """max requests per client and fixed window, counted in the store; windows start at multiples of `window`."""

    __slots__ = ("clock", "deny_on_error", "limit", "store", "window")

    def __init__(
        self,
        store: Store | DynamoStore,
        *,
        limit: int,
        window: float,
        deny_on_error: bool,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.limit = limit
        self.window = window
        self.deny_on_error = deny_on_error
        self.clock = clock

    def take(self, client: str) -> Decision | None:
        """The decision for one request of `client`; None when the store failed and on_store_error is allow."""
        now = self.clock()
        index = int(now // self.window)
        end = (index + 1) * self.window
        reset = max(1, _ceil(end - now))
        digest = hashlib.sha256(client.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        try:
            count = self.store.increment(f"{digest}#{index}", self.limit, _ceil(end))
        except LimitReached:
            return Decision(False, self.limit, 0, reset, reset)
        except StoreError as exc:
            metrics.add(STORE_ERRORS_METRIC, 1)
            action = "deny" if self.deny_on_error else "allow"
            logger.error("rate limit store error", reason=str(exc), on_store_error=action)
            return Decision(False, self.limit, 0, 1, 1) if self.deny_on_error else None
        return Decision(True, self.limit, max(0, self.limit - count), reset, 0)


def client_limiter(config: RateLimit) -> ClientLimiter | None:
    """None without LIFT_RATE_LIMIT_TABLE (a local run or a unit test; the template always sets it): the bucket only."""
    table = os.environ.get(TABLE_ENV, "")
    if not table:
        return None
    store = DynamoStore(table, timeout=config.store_timeout, endpoint=os.environ.get(ENDPOINT_ENV) or None)
    deny = config.on_store_error == "deny"
    return ClientLimiter(store, limit=config.max, window=config.window, deny_on_error=deny)
