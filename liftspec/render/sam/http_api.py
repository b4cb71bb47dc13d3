"""The one AWS::Serverless::HttpApi: authorizers, CORS, stage throttling from rate_limit, the health route."""

from __future__ import annotations

import json
import re
from typing import Any

from liftspec import codes
from liftspec.model.spec import Auth, Cors, Domain, RateLimit, Route
from liftspec.render import runtime_files
from liftspec.render.sam.context import HTTP_API_ID, RenderContext
from liftspec.render.sam.intrinsics import get_att, sub, tag_list
from liftspec.render.sam.registry import Renderer

AUTHORIZER = "JwtAuthorizer"
LAMBDA_AUTHORIZER = "LambdaAuthorizer"
ACCESS_LOG_GROUP_ID = "HttpApiAccessLogs"
# One JSON object per request; $context variables of HTTP APIs (what the issue and checkov CKV_AWS_95 ask for).
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "responseLatency": "$context.responseLatency",
        "integrationLatency": "$context.integrationLatency",
        "integrationError": "$context.integrationErrorMessage",
        "authorizerError": "$context.authorizer.error",
    },
    separators=(",", ":"),
)
AUTHORIZER_IDS = {"jwt": AUTHORIZER, "lambda": LAMBDA_AUTHORIZER}
_IDENTITY_KINDS = {"$request.header.": "Headers", "$request.querystring.": "QueryStrings", "$context.": "Context"}


def per_second(rate_limit: RateLimit) -> float:
    """Requests per second, as HTTP API throttling takes them: 1000 per minute -> 16.67."""
    return round(rate_limit.max / rate_limit.window.total_seconds(), 2)


def authorizer_enabled(ctx: RenderContext) -> bool:
    auth = ctx.spec.security.auth
    return auth.enabled and auth.default_authorizer() is not None


def route_auth_none() -> dict[str, Any]:
    return {"Authorizer": "NONE"}


def route_auth(ctx: RenderContext, route: Route) -> dict[str, Any] | None:
    """A route's own Auth: NONE when public, its authorizer when not the default one, its scopes. None: the default."""
    if not authorizer_enabled(ctx):
        return None
    if route.public:
        return route_auth_none()
    default = ctx.spec.security.auth.default_authorizer()
    kind = route.authorizer or default
    if kind == default and not route.scopes:
        return None
    assert kind is not None
    auth: dict[str, Any] = {"Authorizer": AUTHORIZER_IDS[kind]}
    if route.scopes:
        auth["AuthorizationScopes"] = list(route.scopes)
    return auth


def _authorizers(auth: Auth) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if auth.jwt is not None:
        out[AUTHORIZER] = {
            "IdentitySource": auth.jwt.identity_source,
            "JwtConfiguration": {"audience": list(auth.jwt.audience), "issuer": auth.jwt.issuer},
        }
    if auth.lambda_ is not None:
        identity: dict[str, Any] = {}
        for source in auth.lambda_.identity_sources:
            prefix = next((p for p in _IDENTITY_KINDS if source.startswith(p)), "$stageVariables.")
            identity.setdefault(_IDENTITY_KINDS.get(prefix, "StageVariables"), []).append(source[len(prefix) :])
        identity["ReauthorizeEvery"] = round(auth.lambda_.result_ttl.total_seconds())
        out[LAMBDA_AUTHORIZER] = {
            "FunctionArn": auth.lambda_.function_arn,
            "AuthorizerPayloadFormatVersion": "2.0",
            "EnableSimpleResponses": True,
            "EnableFunctionDefaultPermissions": True,
            "Identity": identity,
        }
    return out


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
    elif spec.rate_limit.enabled and spec.rate_limit.scope == "service":  # the stage throttle counts all clients together
        props["DefaultRouteSettings"] = {
            "ThrottlingBurstLimit": runtime_files.rate_limit_burst(spec.rate_limit),
            "ThrottlingRateLimit": per_second(spec.rate_limit),
        }
    if authorizer_enabled(ctx):
        default = spec.security.auth.default_authorizer()
        assert default is not None
        props["Auth"] = {"Authorizers": _authorizers(spec.security.auth), "DefaultAuthorizer": AUTHORIZER_IDS[default]}
    cors = spec.http.cors
    if cors is not None:
        props["CorsConfiguration"] = cors_configuration(ctx, cors)
    if spec.http.domain is not None:
        props["Domain"] = domain(spec.http.domain)
    if spec.http.access_logs.enabled:
        props["AccessLogSettings"] = {"DestinationArn": get_att(ACCESS_LOG_GROUP_ID, "Arn"), "Format": ACCESS_LOG_FORMAT}
        _render_access_log_group(ctx)
    props["Tags"] = dict(sorted(ctx.tags().items()))
    ctx.add(HTTP_API_ID, {"Type": "AWS::Serverless::HttpApi", "Properties": props}, ("functions", http[0].name, "http"))
    ctx.origin(HTTP_API_ID, "DefaultRouteSettings", ("rate_limit",))
    ctx.origin(HTTP_API_ID, "Auth", ("security", "auth"))
    ctx.origin(HTTP_API_ID, "CorsConfiguration", ("http", "cors"))
    ctx.origin(HTTP_API_ID, "Domain", ("http", "domain"))
    ctx.origin(HTTP_API_ID, "AccessLogSettings", ("http", "access_logs"))
    if spec.http.domain is not None:
        # SAM names what it generates for Domain with these prefixes and a hash: findings on them point at http.domain.
        ctx.origins.add(("ApiGatewayDomainNameV2",), ("http", "domain"))
        ctx.origins.add(("RecordSetGroup",), ("http", "domain", "hosted_zone_id"))
        ctx.outputs["CustomDomainUrl"] = {
            "Description": "URL of the HTTP API on its custom domain",
            "Value": f"https://{spec.http.domain.name}/{spec.http.domain.base_path or ''}",
        }
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
        for i, entry in enumerate(fn.spec.http.entries()):
            if entry.route in (f"GET {path}", f"ANY {path}"):
                return (fn.name, i)
    for fn in ctx.http_functions():
        assert fn.spec.http is not None
        if any(_catches(entry.route, path) for entry in fn.spec.http.entries()):
            return (fn.name, None)
    return None


def _catches(route: str, path: str) -> bool:
    if route == "$default":
        return True
    method, pattern = route.split(" ", 1)
    greedy = re.search(r"\{[A-Za-z0-9_]+\+\}$", pattern)
    return method in ("ANY", "GET") and greedy is not None and path.startswith(pattern[: greedy.start()])


def cors_configuration(ctx: RenderContext, cors: Cors) -> dict[str, Any]:
    """CorsConfiguration; without allow_methods, the methods the routes use (all of them behind ANY or $default)."""
    methods = list(cors.allow_methods) if cors.allow_methods is not None else route_methods(ctx)
    out: dict[str, Any] = {"AllowOrigins": list(cors.allow_origins), "AllowMethods": methods}
    if cors.allow_headers:
        out["AllowHeaders"] = list(cors.allow_headers)
    if cors.expose_headers:
        out["ExposeHeaders"] = list(cors.expose_headers)
    out["AllowCredentials"] = cors.allow_credentials
    if cors.max_age is not None:
        out["MaxAge"] = round(cors.max_age.total_seconds())
    return out


def route_methods(ctx: RenderContext) -> list[str]:
    methods: set[str] = set()
    for fn in ctx.http_functions():
        assert fn.spec.http is not None
        for route in fn.spec.http.entries():
            method = "ANY" if route.route == "$default" else route.route.split(" ", 1)[0]
            if method == "ANY":
                return ["*"]
            methods.add(method)
    return sorted(methods)


def domain(config: Domain) -> dict[str, Any]:
    """SAM's HttpApi Domain: a regional DomainName, its ApiMapping and, with a hosted zone, the Route 53 alias."""
    out: dict[str, Any] = {
        "DomainName": config.name,
        "CertificateArn": config.certificate_arn,
        "EndpointConfiguration": "REGIONAL",
        "SecurityPolicy": "TLS_1_2" if config.minimum_tls == "1.2" else "TLS_1_0",
    }
    if config.base_path is not None:
        out["BasePath"] = [config.base_path]
    if config.hosted_zone_id is not None:
        out["Route53"] = {"HostedZoneId": config.hosted_zone_id}
    return out


def _render_access_log_group(ctx: RenderContext) -> None:
    logs = ctx.spec.http.access_logs
    retention = logs.retention_days if logs.retention_days is not None else ctx.spec.logging.retention_days
    props: dict[str, Any] = {"LogGroupName": sub("/aws/apigateway/${AWS::StackName}/access")}
    if retention is not None:
        props["RetentionInDays"] = retention
    props["Tags"] = tag_list(ctx.tags())
    ctx.add(ACCESS_LOG_GROUP_ID, {"Type": "AWS::Logs::LogGroup", "Properties": props}, ("http", "access_logs"))
    where = ("http", "access_logs", "retention_days") if logs.retention_days is not None else ("logging", "retention_days")
    ctx.origin(ACCESS_LOG_GROUP_ID, "RetentionInDays", where)


RENDERERS = (Renderer("http_api", render_http_api),)
