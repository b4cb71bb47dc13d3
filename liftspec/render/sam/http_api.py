"""The one AWS::Serverless::HttpApi: JWT authorizer, stage throttling from rate_limit, the health route."""

from __future__ import annotations

import re
from typing import Any

from liftspec import codes
from liftspec.model.spec import RateLimit
from liftspec.render import runtime_files
from liftspec.render.sam.context import HTTP_API_ID, RenderContext

AUTHORIZER = "JwtAuthorizer"


def per_second(rate_limit: RateLimit) -> float:
    """Requests per second, as HTTP API throttling takes them: 1000 per minute -> 16.67."""
    return round(rate_limit.max / rate_limit.window.total_seconds(), 2)


def authorizer_enabled(ctx: RenderContext) -> bool:
    auth = ctx.spec.security.auth
    return auth.enabled and auth.jwt is not None


def route_auth_none() -> dict[str, Any]:
    return {"Authorizer": "NONE"}


def render_http_api(ctx: RenderContext) -> None:
    http = ctx.http_functions()
    if not http:
        return
    spec = ctx.spec
    props: dict[str, Any] = {"Description": f"{spec.service} HTTP API", "FailOnWarnings": True}
    if spec.rate_limit.enabled and spec.rate_limit.window.total_seconds() <= 0:
        ctx.problem(
            codes.ZERO_RATE_LIMIT_WINDOW,
            ("rate_limit", "window"),
            "rate_limit.window must be longer than zero",
            "write the window the limit counts requests over, e.g. 1s or 1m",
        )
    elif spec.rate_limit.enabled:
        props["DefaultRouteSettings"] = {
            "ThrottlingBurstLimit": runtime_files.rate_limit_burst(spec.rate_limit),
            "ThrottlingRateLimit": per_second(spec.rate_limit),
        }
    if authorizer_enabled(ctx):
        jwt = spec.security.auth.jwt
        assert jwt is not None
        props["Auth"] = {
            "Authorizers": {
                AUTHORIZER: {
                    "IdentitySource": jwt.identity_source,
                    "JwtConfiguration": {"audience": list(jwt.audience), "issuer": jwt.issuer},
                }
            },
            "DefaultAuthorizer": AUTHORIZER,
        }
    props["Tags"] = dict(sorted(ctx.tags().items()))
    ctx.add(HTTP_API_ID, {"Type": "AWS::Serverless::HttpApi", "Properties": props}, ("functions", http[0].name, "http"))
    ctx.origin(HTTP_API_ID, "DefaultRouteSettings", ("rate_limit",))
    ctx.origin(HTTP_API_ID, "Auth", ("security", "auth"))
    ctx.outputs["HttpApiUrl"] = {
        "Description": "Base URL of the HTTP API",
        "Value": {"Fn::Sub": "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"},
    }


def health_route(ctx: RenderContext) -> tuple[str, int | None] | None:
    """Where the health path is served without the authorizer, so that health checks need no token.

    (function, route index) when a route names the path exactly; (function, None) when a catch-all route
    serves it and a dedicated GET route is added; None when there is no authorizer or nothing serves it.
    """
    if not authorizer_enabled(ctx):
        return None
    path = ctx.spec.health.path
    for fn in ctx.http_functions():
        assert fn.spec.http is not None
        for i, route in enumerate(fn.spec.http.routes):
            if route in (f"GET {path}", f"ANY {path}"):
                return (fn.name, i)
    for fn in ctx.http_functions():
        assert fn.spec.http is not None
        if any(_catches(route, path) for route in fn.spec.http.routes):
            return (fn.name, None)
    return None


def _catches(route: str, path: str) -> bool:
    if route == "$default":
        return True
    method, pattern = route.split(" ", 1)
    greedy = re.search(r"\{[A-Za-z0-9_]+\+\}$", pattern)
    return method in ("ANY", "GET") and greedy is not None and path.startswith(pattern[: greedy.start()])
