"""HTTP requests as Lambda receives them: API Gateway HTTP API (payload 2.0), REST API (1.0) and ALB.

``read_headers`` is the one place that reads a request's headers, in every form they arrive in:
``headers`` (v2, v1, ALB), ``multiValueHeaders`` (v1, ALB with multi-value headers on), names in
any case. Every check that reads a header goes through ``Request.header``.
"""

from __future__ import annotations

from lift_runtime.jsonline import dumps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    Response = dict[str, object]

# The HTTP kinds of event, named after the response form their caller accepts (response.finish writes them).
V2 = "v2"  # HTTP API payload 2.0: headers (one string each) and cookies
V1 = "v1"  # REST API payload 1.0: headers and multiValueHeaders
ALB = "alb"  # ALB, multi-value headers off: headers only, one value each
ALB_MULTI = "alb-multi"  # ALB, multi-value headers on: multiValueHeaders only


HTTP_FORMS = (V2, V1, ALB, ALB_MULTI)


def kind_of(event: object) -> str:
    """The kind of event: an HTTP request's response form (V2, V1, ALB, ALB_MULTI), 'sqs' or 'other'."""
    if not isinstance(event, dict):
        return "other"
    context = event.get("requestContext")
    if isinstance(context, dict):
        if event.get("version") == "2.0" and isinstance(context.get("http"), dict):
            return V2
        if "httpMethod" in event:
            if "elb" in context:
                # ALB sends multiValueHeaders (and no headers) exactly when multi-value headers are on
                return ALB_MULTI if isinstance(event.get("multiValueHeaders"), dict) else ALB
            return V1
    records = event.get("Records")
    if isinstance(records, list) and records and isinstance(records[0], dict) and records[0].get("eventSource") == "aws:sqs":
        return "sqs"
    return "other"


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


def read_headers(event: Mapping[str, object]) -> dict[str, list[str]]:
    """Every header of the request by lowercase name; each occurrence is kept apart, never merged away.

    A name may come several times: in both ``headers`` and ``multiValueHeaders`` (REST sends both),
    or in two spellings (``X-Forwarded-Proto`` and ``x-forwarded-proto``). The values of one
    ``multiValueHeaders`` entry are joined with ", ", as HTTP joins repeated header lines.
    """
    single = event.get("headers")
    out: dict[str, list[str]] = {}
    if isinstance(single, dict):
        out = {str(name).lower(): [value if isinstance(value, str) else _text(value)] for name, value in single.items()}
        if len(out) != len(single):  # two spellings of one name: keep both values
            out = {}
            for name, value in single.items():
                out.setdefault(str(name).lower(), []).append(_text(value))
    multi = event.get("multiValueHeaders")
    if isinstance(multi, dict):
        for name, values in multi.items():
            out.setdefault(str(name).lower(), []).append(_text(values))
    return out


class Request:
    """What the runtime needs to know about an HTTP request."""

    __slots__ = ("authorized", "form", "headers", "method", "path")

    def __init__(self, event: dict[str, object], form: str) -> None:
        self.form = form
        context = event.get("requestContext")
        context = context if isinstance(context, dict) else {}
        self.headers = read_headers(event)
        if form == V2:
            http = context.get("http") or {}
            method = http.get("method") or "GET"
            self.method = (method if isinstance(method, str) else _text(method)).upper()
            path = event.get("rawPath") or http.get("path") or "/"
            path = path if isinstance(path, str) else _text(path)
            stage = context.get("stage")
            if isinstance(stage, str) and stage and stage != "$default" and path.startswith(f"/{stage}/"):
                path = path[len(stage) + 1 :]  # a named stage is part of rawPath
            self.path = path
            authorizer = context.get("authorizer")
            self.authorized = isinstance(authorizer, dict) and bool(authorizer.get("jwt") or authorizer.get("lambda"))
        else:
            self.method = _text(event.get("httpMethod") or "GET").upper()
            self.path = _text(event.get("path") or "/")
            self.authorized = bool(context.get("authorizer"))  # ALB has none: with JWT auth required it is refused

    def header(self, name: str) -> list[str]:
        """Every value the request carries for `name` (lowercase), in any form and spelling."""
        return self.headers.get(name, [])

    def is_plain_http(self) -> bool:
        """True when a proxy in front says the client used plain HTTP (no header: API Gateway, so HTTPS).

        In a comma-separated list the first hop is the client's. Any occurrence of the header that does
        not say https refuses the request: conflicting copies are not resolved in the client's favour.
        """
        for name in ("cloudfront-forwarded-proto", "x-forwarded-proto"):
            for value in self.headers.get(name, ()):
                if value.split(",", 1)[0].strip().lower() != "https":
                    return True
        return False

    def accepts_gzip(self) -> bool:
        value = ",".join(self.headers.get("accept-encoding", ()))
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


def response(status: int, payload: dict[str, object] | None, headers: dict[str, str] | None = None) -> Response:
    """A JSON response the runtime writes itself (health, errors, limits)."""
    out: Response = {"statusCode": status, "headers": {"Content-Type": "application/json", **(headers or {})}}
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
) -> Response:
    payload: dict[str, object] = {"error": code, "message": message, "request_id": request_id}
    if detail is not None:
        payload["detail"] = detail
    return response(status, payload, headers)
