"""LS25x and LS32x: the HTTP API as a whole: CORS, per-route access, custom domain, access logs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from liftspec.check.context import Context
from liftspec.check.rule import Docs, Finding, rule
from liftspec.model.units import format_duration

CORS = ("http", "cors")
CORS_MAX_AGE = timedelta(seconds=86400)  # API Gateway's limit on CorsConfiguration.MaxAge
AUTHORIZER_TTL_MAX = timedelta(hours=1)  # API Gateway's limit on a Lambda authorizer's result TTL
_WRITE_METHODS = ("ANY", "POST", "PUT", "PATCH", "DELETE")


@rule(
    "LS250",
    "cors-credentials-any-origin",
    "CORS allows credentials from any origin",
    tags=("security",),
    docs=Docs(
        what="Reports `http.cors.allow_credentials: true` together with `'*'` in `http.cors.allow_origins`.",
        why="Browsers refuse credentialed responses whose Access-Control-Allow-Origin is `*`, so the configuration "
        "does not work; the usual 'fix' of echoing whatever origin asks lets every web page on the internet call the "
        "API with the user's cookies or token.",
        example="http:\n  cors:\n    allow_origins: ['*']\n    allow_credentials: true",
        fix="List the origins that may call the API with credentials: `allow_origins: [https://shop.example.com]`.",
    ),
)
def cors_credentials_any_origin(ctx: Context) -> Iterator[Finding]:
    cors = ctx.spec.http.cors
    if cors is None or not ctx.serves_http or not cors.allow_credentials or "*" not in cors.allow_origins:
        return
    yield Finding(
        (*CORS, "allow_origins", cors.allow_origins.index("*")),
        "CORS allows credentials from any origin ('*'): browsers refuse it, and echoing the origin would let any "
        "site call the API as the user",
        "list the allowed origins, e.g. https://shop.example.com",
    )


@rule(
    "LS251",
    "cors-any-origin",
    "CORS allows any origin",
    tags=("security",),
    docs=Docs(
        what="Reports `'*'` in `http.cors.allow_origins` (without credentials; with them, LS250 reports it).",
        why="Any web page can then read the API's responses from a visitor's browser. That is right for a truly "
        "public API, and a leak for one whose responses depend on who is asking (IP allow-lists, intranet-only "
        "data).",
        example="http:\n  cors:\n    allow_origins: ['*']",
        fix="List the origins of your front ends, or keep `'*'` for a public API and suppress this rule with that reason.",
    ),
)
def cors_any_origin(ctx: Context) -> Iterator[Finding]:
    cors = ctx.spec.http.cors
    if cors is None or not ctx.serves_http or cors.allow_credentials or "*" not in cors.allow_origins:
        return
    yield Finding(
        (*CORS, "allow_origins", cors.allow_origins.index("*")),
        "CORS allows any origin: every web page can read the API's responses from a visitor's browser",
        "list the origins of your front ends, or suppress with the reason the API is public",
    )


@rule(
    "LS252",
    "public-write-route",
    "A public route accepts writes",
    tags=("security",),
    docs=Docs(
        what="Reports a route marked `public: true` whose method changes data: ANY, POST, PUT, PATCH, DELETE or `$default`.",
        why="Public reads (a product catalogue) are common; a public write lets anyone on the internet create, "
        "change or delete data, and a public `ANY` route usually exposes writes by accident.",
        example='functions:\n  api:\n    http:\n      routes: [{route: "POST /orders", public: true}]',
        fix="Remove `public: true` (the route then uses the service's authorizer), give it `scopes`, or, for a "
        "deliberately open endpoint (a signed webhook), suppress this rule with that reason.",
    ),
)
def public_write_route(ctx: Context) -> Iterator[Finding]:
    if not ctx.spec.security.auth.enabled:
        return  # LS202 reports the whole API as open
    for fn in ctx.http_functions:
        assert fn.spec.http is not None
        for i, route in enumerate(fn.spec.http.entries()):
            method = "ANY" if route.route == "$default" else route.route.split(" ", 1)[0]
            if route.public and method in _WRITE_METHODS:
                yield Finding(
                    ("functions", fn.name, "http", "routes", i, "public"),
                    f"route '{route.route}' is public and accepts writes: anyone can call it",
                    "remove public: true, or suppress with the reason it is open (e.g. a signed webhook)",
                )


@rule(
    "LS253",
    "domain-tls",
    "The custom domain accepts TLS below 1.2",
    tags=("security",),
    docs=Docs(
        what="Reports `http.domain.minimum_tls` below 1.2.",
        why="TLS 1.0 and 1.1 are deprecated (RFC 8996) and have known weaknesses; HTTP API custom domains support "
        "only the TLS_1_2 security policy, so the deploy fails as well.",
        example="http:\n  domain:\n    name: api.example.com\n    certificate_arn: arn:aws:acm:...\n    minimum_tls: '1.0'",
        fix="Remove `minimum_tls` (the default is 1.2) or set it to `'1.2'`.",
    ),
)
def domain_tls(ctx: Context) -> Iterator[Finding]:
    domain = ctx.spec.http.domain
    if domain is not None and ctx.serves_http and domain.minimum_tls != "1.2":
        yield Finding(
            ("http", "domain", "minimum_tls"),
            f"custom domain {domain.name} accepts TLS {domain.minimum_tls}; HTTP APIs support 1.2 and up only",
            "remove minimum_tls, or set it to '1.2'",
        )


@rule(
    "LS254",
    "access-logs",
    "The HTTP API has no access logs",
    tags=("observability", "security"),
    docs=Docs(
        what="Reports `http.access_logs.enabled: false` on a service with HTTP routes (checkov CKV_AWS_95).",
        why="Function logs only see requests that reached a function. Requests refused by the authorizer, "
        "throttled by the stage or failed in the integration leave no trace anywhere else: without access logs an "
        "attack or an outage at the edge is invisible.",
        example="http:\n  access_logs: {enabled: false}",
        fix="Remove `enabled: false`: access logs are on by default, one JSON line per request with request id, "
        "route, status, latency and client IP.",
    ),
)
def access_logs(ctx: Context) -> Iterator[Finding]:
    if ctx.serves_http and not ctx.spec.http.access_logs.enabled:
        yield Finding(
            ("http", "access_logs", "enabled"),
            "the HTTP API has no access logs: refused, throttled and failed requests leave no trace",
            "remove http.access_logs.enabled: false",
        )


@rule(
    "LS255",
    "cors-preflight-authorized",
    "CORS preflight requests hit the authorizer",
    tags=("reliability",),
    docs=Docs(
        what="Reports, when `http.cors` is set and an authorizer is on, each route that is `ANY ...` or `$default` and "
        "not public.",
        why="API Gateway answers CORS preflight (OPTIONS) requests itself only when no route matches them. An ANY "
        "route (or $default) matches OPTIONS too, so the preflight goes through the authorizer; browsers send "
        "preflights without the Authorization header, get 401, and block every cross-origin call.",
        example="http:\n  cors: {allow_origins: [https://shop.example.com]}\nfunctions:\n  api:\n"
        '    http: {routes: ["ANY /{proxy+}"]}',
        fix="Write the methods the route serves (`GET /{proxy+}`, `POST /{proxy+}`...) so that OPTIONS matches no "
        "route and API Gateway answers it.",
    ),
)
def cors_preflight_authorized(ctx: Context) -> Iterator[Finding]:
    auth = ctx.spec.security.auth
    if ctx.spec.http.cors is None or not auth.enabled or auth.default_authorizer() is None:
        return
    for fn in ctx.http_functions:
        assert fn.spec.http is not None
        for i, route in enumerate(fn.spec.http.entries()):
            if not route.public and (route.route == "$default" or route.route.startswith("ANY ")):
                yield Finding(
                    ("functions", fn.name, "http", "routes", i),
                    f"route '{route.route}' also matches CORS preflight (OPTIONS) requests, which then need a token "
                    "they never carry: browsers block every cross-origin call",
                    "list the methods instead of ANY, e.g. GET /{proxy+} and POST /{proxy+}",
                )


@rule(
    "LS320",
    "cors-max-age",
    "CORS max_age is over API Gateway's 86400 s",
    tags=("limits",),
    docs=Docs(
        what="Reports `http.cors.max_age` over one day (86400 seconds).",
        why="API Gateway rejects a CorsConfiguration with MaxAge above 86400 when the stack deploys (and browsers cap "
        "the preflight cache lower anyway: Chrome at 2 hours).",
        example="http:\n  cors:\n    allow_origins: [https://shop.example.com]\n    max_age: 7d",
        fix="Use at most `1d`; `2h` is what Chrome honours.",
    ),
)
def cors_max_age(ctx: Context) -> Iterator[Finding]:
    cors = ctx.spec.http.cors
    if cors is not None and ctx.serves_http and cors.max_age is not None and cors.max_age > CORS_MAX_AGE:
        yield Finding(
            (*CORS, "max_age"),
            f"CORS max_age {format_duration(cors.max_age)} is over API Gateway's limit of 1d (86400s)",
            "use at most 1d; browsers cache preflights for 2h at most anyway",
        )


@rule(
    "LS321",
    "authorizer-ttl",
    "A Lambda authorizer's result TTL is over one hour",
    tags=("limits",),
    docs=Docs(
        what="Reports `security.auth.lambda.result_ttl` over one hour.",
        why="API Gateway caches an authorizer's answer for at most 3600 seconds and rejects a longer "
        "AuthorizerResultTtlInSeconds at deploy time.",
        example="security:\n  auth:\n    lambda: {function_arn: 'arn:aws:lambda:...', result_ttl: 2h}",
        fix="Use at most `1h`; shorter is safer, since a revoked credential stays valid for the whole TTL.",
    ),
)
def authorizer_ttl(ctx: Context) -> Iterator[Finding]:
    authorizer = ctx.spec.security.auth.lambda_
    if authorizer is not None and ctx.serves_http and authorizer.result_ttl > AUTHORIZER_TTL_MAX:
        yield Finding(
            ("security", "auth", "lambda", "result_ttl"),
            f"Lambda authorizer result_ttl {format_duration(authorizer.result_ttl)} is over API Gateway's limit of 1h",
            "use at most 1h",
        )


@rule(
    "LS322",
    "domain-certificate-region",
    "The custom domain's certificate is in another region",
    tags=("limits",),
    docs=Docs(
        what="Reports an `http.domain.certificate_arn` whose region is not the service's `region`.",
        why="A regional custom domain needs an ACM certificate in its own region: the DomainName is rejected at deploy time.",
        example="region: eu-west-1\nhttp:\n  domain:\n    name: api.example.com\n"
        "    certificate_arn: arn:aws:acm:us-east-1:123456789012:certificate/0b6d2c4e",
        fix="Request or import the certificate in the service's region and use that ARN.",
    ),
)
def domain_certificate_region(ctx: Context) -> Iterator[Finding]:
    domain, region = ctx.spec.http.domain, ctx.spec.region
    if domain is None or region is None or not ctx.serves_http:
        return
    cert_region = domain.certificate_arn.split(":")[3]
    if cert_region != region:
        yield Finding(
            ("http", "domain", "certificate_arn"),
            f"certificate is in {cert_region}, but the service (and its regional custom domain) is in {region}",
            f"use an ACM certificate from {region}",
        )
