"""LS80x: guarantees that only a liftspec runtime gives, asked of a function that no liftspec runtime wraps.

Python functions run behind the lift_runtime layer and Go functions with `build: go` link liftspec's Go
runtime; any other runtime (`provided.*` without `build: go`) runs the user's handler bare. For such a
function every setting below is compiled into the config and silently not enforced: each rule says so
at the line that chose the runtime, instead of letting lint pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from liftspec.check.context import Context, functions_phrase, grouped
from liftspec.check.rule import Docs, Finding, rule
from liftspec.model.effective import EffectiveFunction

Applies = Callable[[Context, EffectiveFunction], bool]

_WHY = (
    " For a function on `provided.al2023` or `provided.al2` without `build: go`, no liftspec runtime runs around "
    "the handler: the setting is compiled into lift_config.json and then enforced by nobody, while lint and the "
    "template look as if it were."
)
_FIX = (
    "Write the service in Go with `runtime.build: go` and call `liftruntime.Start` (docs/go.md), or Python; or "
    "implement it in your own code and suppress the finding with the reason (`policy.ignore: [{rule: {id}, "
    'reason: "..."}]`).'
)
_EXAMPLE = "runtime:\n  lambda: provided.al2023   # a custom runtime, no build: go\nfunctions:\n  api:\n    handler: bootstrap\n"


@dataclass(frozen=True)
class Guarantee:
    id: str
    name: str
    summary: str
    applies: Applies
    lost: str  # what happens instead, after "...which no liftspec runtime wraps: "
    what: str
    why: str
    example: str


def _http(ctx: Context, fn: EffectiveFunction) -> bool:
    return fn.invocation == "http"


GUARANTEES = (
    Guarantee(
        "LS801",
        "unwrapped-security-headers",
        "Security headers are configured, but no liftspec runtime adds them",
        lambda ctx, fn: _http(ctx, fn) and _headers_configured(ctx),
        "nothing adds the security headers (HSTS, CSP, X-Frame-Options...) to its responses",
        "Reports an HTTP function on a runtime liftspec does not wrap while `security.headers` sends any header.",
        "The headers are set by the runtime on every response.",
        "security:\n  headers: {x_frame_options: DENY}",
    ),
    Guarantee(
        "LS802",
        "unwrapped-https",
        "HTTPS is required, but no liftspec runtime refuses plain HTTP",
        lambda ctx, fn: _http(ctx, fn) and ctx.spec.security.require_https,
        "nothing refuses a request that a proxy (CloudFront, ALB) forwarded from plain HTTP",
        "Reports an HTTP function on a runtime liftspec does not wrap while `security.require_https` is true.",
        "The runtime answers 403 when X-Forwarded-Proto or CloudFront-Forwarded-Proto says http.",
        "security:\n  require_https: true",
    ),
    Guarantee(
        "LS803",
        "unwrapped-rate-limit",
        "A rate limit is configured, but no liftspec runtime applies it per container",
        lambda ctx, fn: _http(ctx, fn) and ctx.spec.rate_limit.enabled,
        "only the API's stage throttling applies: no per-container limit, no 429 with Retry-After",
        "Reports an HTTP function on a runtime liftspec does not wrap while `rate_limit.enabled` is true.",
        "The runtime applies a token bucket per container and answers 429 with Retry-After and X-RateLimit-* headers.",
        "rate_limit: {enabled: true, window: 1m, max: 600}",
    ),
    Guarantee(
        "LS804",
        "unwrapped-errors",
        "Error responses are not guarded: a crash may send internals to the client",
        _http,
        "nothing turns a crash into a 500 without internals; whatever the handler returns or prints goes out",
        "Reports an HTTP function on a runtime liftspec does not wrap (`errors.detailed` is only honoured by the runtime).",
        "The runtime turns an unhandled error or panic into a 500 that carries a request id and no stack trace.",
        "errors:\n  detailed: false",
    ),
    Guarantee(
        "LS805",
        "unwrapped-metrics",
        "Metrics are enabled, but no liftspec runtime writes them",
        lambda ctx, fn: ctx.spec.metrics.enabled,
        "no EMF metrics (Requests, Errors, Latency) are written to the namespace",
        "Reports a function on a runtime liftspec does not wrap while `metrics.enabled` is true.",
        "The runtime writes one CloudWatch Embedded Metric Format line per invocation.",
        "metrics: {enabled: true, namespace: Orders}",
    ),
    Guarantee(
        "LS806",
        "unwrapped-deadline",
        "The request deadline is not enforced",
        lambda ctx, fn: True,
        "nothing enforces the request deadline; a slow request runs until Lambda kills it, with no 504",
        "Reports a function on a runtime liftspec does not wrap: `timeouts.request` is only enforced by the runtime.",
        "The runtime gives the handler min(request timeout, remaining time - margin) and answers 504 past it.",
        "timeouts: {function: 30s, request: 29s}",
    ),
    Guarantee(
        "LS807",
        "unwrapped-auth",
        "Auth is required, but no liftspec runtime refuses requests without verified claims",
        lambda ctx, fn: _http(ctx, fn) and ctx.spec.security.auth.enabled and ctx.spec.security.auth.jwt is not None,
        "a route left without the authorizer reaches the handler unauthenticated; nothing fails closed",
        "Reports an HTTP function on a runtime liftspec does not wrap while a JWT authorizer is required.",
        "The runtime answers 401 to an HTTP request that reached it without verified JWT claims (fail closed).",
        'security:\n  auth: {enabled: true, jwt: {issuer: "https://auth.example.com/", audience: [api]}}',
    ),
    Guarantee(
        "LS808",
        "unwrapped-sqs",
        "SQS partial batch failures are not reported",
        lambda ctx, fn: fn.invocation == "sqs",
        "its handler must return batchItemFailures itself; an error retries the whole batch",
        "Reports an SQS function on a runtime liftspec does not wrap (ReportBatchItemFailures is on in the template).",
        "The runtime calls the handler once per record and reports only the failed ones.",
        'functions:\n  worker:\n    handler: bootstrap\n    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs"}',
    ),
    Guarantee(
        "LS809",
        "unwrapped-health",
        "The health route is sent to the handler without auth",
        _http,
        "the health route (no authorizer) reaches the handler itself, which must answer it",
        "Reports an HTTP function on a runtime liftspec does not wrap: compile routes `health.path` to it without an authorizer.",
        "The runtime answers the health path itself; a bare handler receives unauthenticated requests on it.",
        "health: {path: /health}",
    ),
)


def _headers_configured(ctx: Context) -> bool:
    from liftspec.model.headers import render_headers

    try:
        return bool(render_headers(ctx.spec.security.headers))
    except ValueError:
        return True


def _check(guarantee: Guarantee) -> Callable[[Context], Iterator[Finding]]:
    def check(ctx: Context) -> Iterator[Finding]:
        bare = [
            (fn.source("lambda_runtime"), fn.name) for fn in ctx.functions if fn.wrapper is None and guarantee.applies(ctx, fn)
        ]
        for where, names in grouped(bare).items():
            runtime = ctx.function(names[0]).lambda_runtime
            verb = "runs" if len(names) == 1 else "run"
            yield Finding(
                where,
                f"{functions_phrase(names)} {verb} on {runtime}, which no liftspec runtime wraps: {guarantee.lost}",
                f"use runtime.build: go with liftruntime (docs/go.md), or enforce it in your code and suppress "
                f"{guarantee.id} with the reason",
            )

    check.__name__ = guarantee.name.replace("-", "_")
    return check


for _g in GUARANTEES:
    rule(
        _g.id,
        _g.name,
        _g.summary,
        tags=("runtime",),
        docs=Docs(what=_g.what, why=_g.why + _WHY, example=_EXAMPLE + _g.example, fix=_FIX.replace("{id}", _g.id)),
    )(_check(_g))
