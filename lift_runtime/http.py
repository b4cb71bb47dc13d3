"""API Gateway requests and responses: HTTP API (payload 2.0) and REST API / ALB (payload 1.0)."""

from __future__ import annotations

from lift_runtime.jsonline import dumps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

# Bodies that are already compressed: gzip would only cost time.
_COMPRESSED_TYPES = (
    "image/",
    "audio/",
    "video/",
    "font/woff",
    "application/zip",
    "application/gzip",
    "application/x-gzip",
    "application/x-7z",
    "application/x-bzip",
    "application/x-xz",
    "application/zstd",
    "application/pdf",
)


def kind_of(event: object) -> str:
    """'http2', 'http1', 'sqs' or 'other'."""
    if not isinstance(event, dict):
        return "other"
    context = event.get("requestContext")
    if isinstance(context, dict):
        if event.get("version") == "2.0" and isinstance(context.get("http"), dict):
            return "http2"
        if "httpMethod" in event:
            return "http1"
    records = event.get("Records")
    if isinstance(records, list) and records and isinstance(records[0], dict) and records[0].get("eventSource") == "aws:sqs":
        return "sqs"
    return "other"


class Request:
    """What the runtime needs to know about an HTTP request."""

    __slots__ = ("authorized", "headers", "method", "path", "version")

    def __init__(self, event: dict[str, object], version: int) -> None:
        self.version = version
        context = event.get("requestContext")
        context = context if isinstance(context, dict) else {}
        raw_headers = event.get("headers")
        self.headers: dict[str, str] = (
            {str(name).lower(): str(value) for name, value in raw_headers.items()} if isinstance(raw_headers, dict) else {}
        )
        if version == 2:
            http = context.get("http") or {}
            self.method = str(http.get("method", "GET")).upper()
            path = str(event.get("rawPath") or http.get("path") or "/")
            stage = context.get("stage")
            if stage and stage != "$default" and path.startswith(f"/{stage}/"):
                path = path[len(stage) + 1 :]  # a named stage is part of rawPath
            self.path = path
            authorizer = context.get("authorizer")
            self.authorized = isinstance(authorizer, dict) and bool(authorizer.get("jwt") or authorizer.get("lambda"))
        else:
            self.method = str(event.get("httpMethod") or "GET").upper()
            self.path = str(event.get("path") or "/")
            self.authorized = bool(context.get("authorizer"))

    def is_plain_http(self) -> bool:
        """True when a proxy in front says the client used plain HTTP (no header: API Gateway, so HTTPS)."""
        for name in ("cloudfront-forwarded-proto", "x-forwarded-proto"):
            value = self.headers.get(name)
            if value is not None and value.split(",", 1)[0].strip().lower() != "https":
                return True
        return False

    def accepts_gzip(self) -> bool:
        value = self.headers.get("accept-encoding")
        if not value:
            return False
        star = False
        for item in value.split(","):
            name, _, params = item.partition(";")
            name = name.strip().lower()
            if name not in ("gzip", "*"):
                continue
            q = 1.0
            params = params.strip().lower()
            if params.startswith("q="):
                try:
                    q = float(params[2:])
                except ValueError:
                    q = 0.0
            if name == "gzip":
                return q > 0
            star = q > 0
        return star


def response(status: int, payload: dict[str, object] | None, headers: dict[str, str] | None = None) -> dict[str, object]:
    """A JSON response the runtime writes itself (health, errors, limits)."""
    out: dict[str, object] = {"statusCode": status, "headers": {"Content-Type": "application/json", **(headers or {})}}
    out["body"] = dumps(payload) if payload is not None else ""
    out["isBase64Encoded"] = False
    return out


def error(
    status: int,
    code: str,
    message: str,
    request_id: str,
    headers: dict[str, str] | None = None,
    detail: dict[str, object] | None = None,
) -> dict[str, object]:
    payload: dict[str, object] = {"error": code, "message": message, "request_id": request_id}
    if detail is not None:
        payload["detail"] = detail
    return response(status, payload, headers)


def normalize(result: object) -> dict[str, object]:
    """The handler's return value as a proxy response, copied so that the runtime never mutates the handler's objects.

    A dict with statusCode is a response; anything else becomes a 200 JSON body, as API Gateway does for payload 2.0.
    """
    if isinstance(result, dict) and "statusCode" in result:
        out = dict(result)
        headers = out.get("headers")
        if headers is not None and not isinstance(headers, dict):
            raise TypeError(f"response headers must be a mapping, not {type(headers).__name__}")
        out["headers"] = dict(headers) if headers else {}
        return out
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": dumps(result), "isBase64Encoded": False}


def _present(resp: dict[str, object]) -> set[str]:
    names = {str(name).lower() for name in resp["headers"]}  # type: ignore[attr-defined]
    multi = resp.get("multiValueHeaders")
    if isinstance(multi, dict):
        names.update(str(name).lower() for name in multi)
    return names


def add_headers(resp: dict[str, object], extra: Iterable[tuple[str, str]]) -> None:
    """Add headers the response does not already have (case-insensitively): the handler's choice wins."""
    headers: dict[str, object] = resp["headers"]  # type: ignore[assignment]
    present = _present(resp)
    for name, value in extra:
        if name.lower() not in present:
            headers[name] = value


def _header(resp: dict[str, object], lower_name: str) -> str | None:
    for name, value in resp["headers"].items():  # type: ignore[attr-defined]
        if str(name).lower() == lower_name:
            return str(value)
    multi = resp.get("multiValueHeaders")
    if isinstance(multi, dict):
        for name, values in multi.items():
            if str(name).lower() == lower_name and values:
                return ",".join(str(v) for v in values)
    return None


def compress(resp: dict[str, object], request: Request, min_size: int) -> bool:
    """Gzip the body in place when it is larger than min_size bytes, compressible and the client accepts gzip."""
    status = resp.get("statusCode")
    body = resp.get("body")
    if not body or not isinstance(body, str) or status in (204, 304) or request.method == "HEAD":
        return False
    if _header(resp, "content-encoding") is not None:
        return False
    content_type = (_header(resp, "content-type") or "").lower()
    if content_type.startswith(_COMPRESSED_TYPES) and "svg" not in content_type:
        return False
    if not request.accepts_gzip():
        return False
    import binascii  # C modules, loaded on the first response worth compressing
    import zlib

    data = binascii.a2b_base64(body) if resp.get("isBase64Encoded") else body.encode("utf-8")
    if len(data) <= min_size:
        return False
    packed = zlib.compress(data, 6, 31)  # wbits 31: a gzip stream (mtime 0, so the same input gives the same bytes)
    if len(packed) >= len(data):
        return False
    resp["body"] = binascii.b2a_base64(packed, newline=False).decode("ascii")
    resp["isBase64Encoded"] = True
    headers: dict[str, object] = resp["headers"]  # type: ignore[assignment]
    headers["Content-Encoding"] = "gzip"
    vary = _header(resp, "vary")
    if vary is None:
        headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower() and vary.strip() != "*":
        for name in list(headers):
            if str(name).lower() == "vary":
                headers[name] = f"{headers[name]}, Accept-Encoding"
                break
        else:
            headers["Vary"] = f"{vary}, Accept-Encoding"
    return True
