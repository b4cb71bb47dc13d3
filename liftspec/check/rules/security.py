"""LS2xx: transport, authentication, response headers and secrets."""

from __future__ import annotations

import os
from collections.abc import Iterator

from liftspec.check.context import Context, functions_phrase, grouped
from liftspec.check.rule import Docs, Finding, Fix, rule
from liftspec.check.secrets import mask, secret_kind
from liftspec.diagnostics import Path
from liftspec.model.headers import read_directives, render_headers

ONE_YEAR = 31_536_000
HEADERS = ("security", "headers")


def sent(ctx: Context, name: str) -> str | None:
    """The header the runtime sends (None: not sent): the header rules judge this, not the YAML that produced it."""
    return render_headers(ctx.spec.security.headers).get(name)


@rule(
    "LS201",
    "https-not-required",
    "HTTPS is not required",
    fixable=True,
    tags=("security",),
    docs=Docs(
        what="Reports `security.require_https: false` on a service with HTTP routes.",
        why="Without it the runtime accepts requests that reached it over plain HTTP (for example through a custom "
        "domain or proxy that does not redirect): tokens, cookies and bodies cross the network in clear text and "
        "can be read or changed on the way.",
        example="security:\n  require_https: false",
        fix="Set `security.require_https: true` (`liftspec lint --fix` does this).",
    ),
)
def https_not_required(ctx: Context) -> Iterator[Finding]:
    if ctx.serves_http and not ctx.spec.security.require_https:
        yield Finding(
            ("security", "require_https"),
            "HTTPS is not required: requests over plain HTTP are accepted",
            "set security.require_https: true",
            Fix(True),
        )


@rule(
    "LS202",
    "auth-disabled",
    "Authentication is disabled on the HTTP API",
    tags=("security",),
    docs=Docs(
        what="Reports `security.auth.enabled: false` on a service with HTTP routes.",
        why="Every route is then open to anyone on the internet. A public endpoint is sometimes intended (a webhook "
        "that verifies a signature, a public catalogue): say so with a suppression and its reason, so the next "
        "reader knows it is deliberate.",
        example="security:\n  auth:\n    enabled: false",
        fix="Enable auth with a JWT authorizer:\n\n```yaml\nsecurity:\n  auth:\n    enabled: true\n    jwt: {issuer: "
        '"https://auth.example.com/", audience: [orders-api]}\n```\n\nor, for a deliberately public endpoint, '
        '`policy.ignore: [{rule: LS202, reason: "webhook: requests are verified by their HMAC signature"}]`.',
    ),
)
def auth_disabled(ctx: Context) -> Iterator[Finding]:
    if ctx.serves_http and not ctx.spec.security.auth.enabled:
        names = functions_phrase([fn.name for fn in ctx.http_functions])
        yield Finding(
            ("security", "auth", "enabled"),
            f"authentication is disabled: anyone can call the routes of {names}",
            "enable security.auth with a jwt authorizer, or suppress with the reason the API is public",
        )


@rule(
    "LS203",
    "hsts",
    "HSTS missing, too short, or preload without its requirements",
    tags=("security", "headers"),
    docs=Docs(
        what="Reports a missing Strict-Transport-Security header, a `max_age` under one year (31536000 s), and "
        "`preload: true` without `include_subdomains: true`.",
        why="HSTS tells browsers to use HTTPS only, which defeats SSL-stripping on the first plain-HTTP request. "
        "A short max-age lapses between visits; the browsers' preload lists reject a header without "
        "includeSubDomains and a max-age of at least a year, so `preload` then promises something that never happens.",
        example="security:\n  headers:\n"
        "    strict_transport_security: {max_age: 86400, preload: true, include_subdomains: false}",
        fix="```yaml\nsecurity:\n  headers:\n    strict_transport_security: {max_age: 63072000, include_subdomains: true, "
        "preload: true}\n```",
    ),
)
def hsts(ctx: Context) -> Iterator[Finding]:
    if not ctx.serves_http:
        return
    path = (*HEADERS, "strict_transport_security")
    header = sent(ctx, "Strict-Transport-Security")
    if header is None:
        yield Finding(
            path,
            "no Strict-Transport-Security header: browsers may still try plain HTTP first",
            "remove `strict_transport_security: false` (the default is max_age 63072000 with includeSubDomains)",
        )
        return
    directives = read_directives(header)
    max_age = _max_age(directives)
    if max_age < ONE_YEAR:
        yield Finding(
            (*path, "max_age"),
            f"HSTS max_age {max_age} is under one year ({ONE_YEAR} s)",
            "use max_age: 63072000 (two years)",
        )
    if "preload" in directives and "includesubdomains" not in directives:
        yield Finding(
            (*path, "include_subdomains"),
            "HSTS preload without include_subdomains: preload lists reject this header",
            "set include_subdomains: true, or drop preload",
        )


def _max_age(directives: dict[str, list[str]]) -> int:
    """max-age=N is one token: read it from the directive names (0 when missing or malformed)."""
    for name in directives:
        key, _, value = name.partition("=")
        if key.strip() == "max-age":
            digits = value.strip().strip('"')
            return int(digits) if digits.isdigit() else 0
    return 0


_ANY_SOURCE = {"*", "http:", "https:", "data:"}


@rule(
    "LS204",
    "csp",
    "Content-Security-Policy missing, incomplete, or allowing inline/eval/any script",
    tags=("security", "headers"),
    docs=Docs(
        what="Reports a missing CSP, a CSP without `default-src` or `frame-ancestors`, and a `script-src` (or the "
        "`default-src` it falls back to) that allows `'unsafe-inline'`, `'unsafe-eval'` or any source (`*`, `http:`, "
        "`https:`, `data:`). `'unsafe-inline'` next to a nonce or hash is accepted: browsers that understand nonces "
        "ignore it (the \"strict CSP\" fallback), and with `'strict-dynamic'` the same holds for host wildcards. "
        "The rule reads the header as the runtime sends it, as a browser parses it (`script-src-elem` and "
        "`script-src-attr` included), not the YAML lists it is made from.",
        why="CSP is the last line of defence against cross-site scripting: with inline scripts or eval allowed, an "
        "injected `<script>` runs as if it were yours. Without `default-src` every directive you did not write is "
        "unrestricted; without `frame-ancestors` the page can be framed for clickjacking.",
        example="security:\n  headers:\n    content_security_policy:\n      default-src: [\"'self'\"]\n"
        "      script-src: [\"'self'\", \"'unsafe-inline'\"]",
        fix="Move inline scripts into files, or allow them by nonce or hash; replace eval; list the hosts you load "
        "from. Start from `default-src: [\"'none'\"]` and `frame-ancestors: [\"'none'\"]` and open what the pages need.",
    ),
)
def csp(ctx: Context) -> Iterator[Finding]:
    if not ctx.serves_http:
        return
    path = (*HEADERS, "content_security_policy")
    header = sent(ctx, "Content-Security-Policy")
    if header is None:
        yield Finding(
            path,
            "no Content-Security-Policy header",
            "remove `content_security_policy: false` (the default "
            "is default-src 'none'; frame-ancestors 'none') or write the directives the pages need",
        )
        return
    directives = read_directives(header, separators=";,")
    if "default-src" not in directives:
        yield Finding(
            path,
            "the CSP has no default-src: every directive not listed is unrestricted",
            "add default-src: [\"'none'\"] (or [\"'self'\"]) and open what the pages need",
        )
    if "frame-ancestors" not in directives:
        yield Finding(
            path,
            "the CSP has no frame-ancestors: any site can frame these pages (clickjacking)",
            "add frame-ancestors: [\"'none'\"] (or [\"'self'\"])",
        )
    judged = {_script_directive(directives, name) for name in ("script-src-elem", "script-src-attr")} & set(directives)
    for name in sorted(judged, key=list(directives).index):
        yield from _script_sources(ctx, name, directives[name])


def _script_directive(directives: dict[str, list[str]], name: str) -> str:
    """The directive a browser applies to <script> elements (script-src-elem) or handlers (script-src-attr)."""
    return next((d for d in (name, "script-src") if d in directives), "default-src")


def _script_sources(ctx: Context, name: str, sources: list[str]) -> Iterator[Finding]:
    lowered = [s.lower() for s in sources]
    nonce_or_hash = any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in lowered)
    strict_dynamic = "'strict-dynamic'" in lowered
    via = " (script-src falls back to default-src)" if name == "default-src" else ""
    for i, source in enumerate(lowered):
        where = _csp_source(ctx, name, i, sources[i])
        if source == "'unsafe-eval'":
            yield Finding(
                where,
                f"{name} allows 'unsafe-eval'{via}: injected strings can run as code",
                "remove 'unsafe-eval' and replace eval()/new Function() in the client code",
            )
        elif source == "'unsafe-inline'" and not nonce_or_hash:
            yield Finding(
                where,
                f"{name} allows 'unsafe-inline'{via}: an injected <script> runs",
                "remove 'unsafe-inline'; allow inline scripts by 'nonce-...' or 'sha256-...' instead",
            )
        elif source in _ANY_SOURCE and not (strict_dynamic and nonce_or_hash):
            yield Finding(
                where,
                f"{name} allows scripts from any source ({sources[i]}){via}",
                "list the hosts scripts come from, e.g. 'self' https://cdn.example.com",
            )


def _csp_source(ctx: Context, name: str, index: int, source: str) -> Path:
    """Where the i-th source of a sent directive is written: that list item, else the CSP mapping."""
    path = (*HEADERS, "content_security_policy")
    value = ctx.spec.security.headers.content_security_policy
    written = value.directives().get(name, []) if value is not False else []
    if index < len(written) and written[index] == source:
        return (*path, name, index)
    return path


@rule(
    "LS205",
    "x-frame-options",
    "X-Frame-Options is not DENY or SAMEORIGIN",
    tags=("security", "headers"),
    docs=Docs(
        what="Reports an X-Frame-Options header that is switched off or set to anything but `DENY` or `SAMEORIGIN`.",
        why="Browsers that predate CSP `frame-ancestors` rely on this header against clickjacking. `ALLOW-FROM` and "
        "other values are ignored by current browsers, which then allow framing by anyone.",
        example="security:\n  headers:\n    x_frame_options: ALLOW-FROM https://partner.example.com",
        fix="Set `x_frame_options: DENY` (or `SAMEORIGIN` when your own pages frame each other); express partner "
        "framing with CSP `frame-ancestors`.",
    ),
)
def x_frame_options(ctx: Context) -> Iterator[Finding]:
    if not ctx.serves_http:
        return
    value = sent(ctx, "X-Frame-Options")
    path = (*HEADERS, "x_frame_options")
    if value is None:
        yield Finding(path, "no X-Frame-Options header: older browsers allow framing (clickjacking)", "set x_frame_options: DENY")
    elif value.strip().upper() not in ("DENY", "SAMEORIGIN"):
        yield Finding(
            path,
            f"X-Frame-Options '{value}' is neither DENY nor SAMEORIGIN: browsers ignore it",
            "set x_frame_options: DENY (use CSP frame-ancestors to allow specific sites)",
        )


@rule(
    "LS206",
    "nosniff",
    "X-Content-Type-Options: nosniff is missing",
    fixable=True,
    tags=("security", "headers"),
    docs=Docs(
        what="Reports an X-Content-Type-Options header that is switched off or not `nosniff`.",
        why="Without `nosniff` browsers guess content types: an uploaded text file or a JSON error that contains "
        "HTML or script can be run as a page or a script.",
        example="security:\n  headers:\n    x_content_type_options: false",
        fix="Set `x_content_type_options: nosniff`, its only valid value (`liftspec lint --fix` does this).",
    ),
)
def nosniff(ctx: Context) -> Iterator[Finding]:
    if not ctx.serves_http:
        return
    value = sent(ctx, "X-Content-Type-Options")
    path = (*HEADERS, "x_content_type_options")
    if value is None:
        yield Finding(
            path,
            "no X-Content-Type-Options header: browsers may sniff responses into scripts",
            "set x_content_type_options: nosniff",
            Fix("nosniff"),
        )
    elif value.strip().lower() != "nosniff":
        yield Finding(
            path,
            f"X-Content-Type-Options '{value}' is not 'nosniff', its only valid value",
            "set x_content_type_options: nosniff",
            Fix("nosniff"),
        )


_REFERRER_VALUES = (
    "no-referrer",
    "no-referrer-when-downgrade",
    "origin",
    "origin-when-cross-origin",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)
_UNSAFE_REFERRER = ("unsafe-url", "no-referrer-when-downgrade")


@rule(
    "LS207",
    "referrer-policy",
    "Referrer-Policy leaks full URLs to other sites",
    fixable=True,
    tags=("security", "headers"),
    docs=Docs(
        what="Reports a Referrer-Policy of `unsafe-url` or `no-referrer-when-downgrade`, and values browsers do not "
        "recognise. Switching the header off is accepted: browsers then default to `strict-origin-when-cross-origin`.",
        why="These policies send the full URL, path and query string included, to every site a page links to or "
        "loads from: session ids, reset tokens and search terms in URLs end up in third-party logs.",
        example="security:\n  headers:\n    referrer_policy: unsafe-url",
        fix="Set `referrer_policy: strict-origin-when-cross-origin` (`liftspec lint --fix` does this), or "
        "`no-referrer`/`same-origin` for stricter needs.",
    ),
)
def referrer_policy(ctx: Context) -> Iterator[Finding]:
    if not ctx.serves_http:
        return
    value = sent(ctx, "Referrer-Policy")
    if value is None:
        return
    path = (*HEADERS, "referrer_policy")
    tokens = [t.strip().lower() for t in value.split(",") if t.strip()]
    unknown = [t for t in tokens if t not in _REFERRER_VALUES]
    known = [t for t in tokens if t in _REFERRER_VALUES]
    fix = Fix("strict-origin-when-cross-origin")
    if unknown:
        yield Finding(
            path,
            f"Referrer-Policy '{unknown[0]}' is not a policy browsers know; they ignore it",
            f"use one of {', '.join(_REFERRER_VALUES[:-1])}",
            fix,
        )
    elif known and known[-1] in _UNSAFE_REFERRER:
        yield Finding(
            path,
            f"Referrer-Policy '{known[-1]}' sends full URLs (paths and query strings) to other sites",
            "set referrer_policy: strict-origin-when-cross-origin",
            fix,
        )


@rule(
    "LS208",
    "secret-in-variables",
    "A plain environment variable holds what looks like a secret",
    tags=("security", "secrets"),
    docs=Docs(
        what="Reports values in `runtime.variables` and `functions.*.variables` that look like credentials: AWS "
        "access key ids, private keys, GitHub/Slack/Stripe/Google keys, JSON Web Tokens, URLs with a password, and "
        "random-looking values under names like `*PASSWORD*`, `*SECRET*`, `*TOKEN*` or `*API_KEY*`. The finding "
        "never repeats the value. ARNs, parameter paths and `{{resolve:...}}` references are not reported.",
        why="Variables are written into the CloudFormation template, the Lambda console and every deployment "
        "artifact in clear text, and they are in git with this file: anyone with read access to any of them has "
        "the secret, and rotating it means a deployment.",
        example='runtime:\n  variables:\n    DB_PASSWORD: "hunter2-Xk9s8d7f6g"',
        fix="Store the value in Secrets Manager and reference it:\n\n```yaml\nsecurity:\n  secrets:\n    - env: "
        "DB_PASSWORD_ARN\n      secret: prod/orders/db\n```\n\nthen rotate the leaked value: it is in git history.",
    ),
)
def secret_in_variables(ctx: Context) -> Iterator[Finding]:
    places: list[tuple[tuple[str, ...], dict[str, str]]] = [(("runtime", "variables"), ctx.spec.runtime.variables)]
    places += [(("functions", name, "variables"), fn.variables) for name, fn in ctx.spec.functions.items()]
    for base, variables in places:
        for name, value in variables.items():
            kind = secret_kind(name, value)
            if kind:
                yield Finding(
                    (*base, name),
                    f"variable {name} looks like {kind} ({mask(value)}): variables are stored in clear text",
                    "move it to security.secrets (Secrets Manager) and rotate it: it is in git history",
                )


@rule(
    "LS210",
    "jwt-issuer",
    "The JWT issuer is not an https URL",
    tags=("security",),
    docs=Docs(
        what="Reports a `security.auth.jwt.issuer` that is not an `https://` URL.",
        why="API Gateway's JWT authorizer fetches the issuer's signing keys over HTTPS from "
        "`<issuer>/.well-known/openid-configuration`; an http or malformed issuer either fails every request or "
        "trusts keys fetched without transport security.",
        example='security:\n  auth:\n    jwt: {issuer: "auth.example.com", audience: [orders-api]}',
        fix="Write the issuer exactly as the identity provider puts it in the `iss` claim, e.g. "
        "`https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf`.",
    ),
)
def jwt_issuer(ctx: Context) -> Iterator[Finding]:
    jwt = ctx.spec.security.auth.jwt
    if ctx.serves_http and ctx.spec.security.auth.enabled and jwt is not None and not jwt.issuer.startswith("https://"):
        yield Finding(
            ("security", "auth", "jwt", "issuer"),
            f"JWT issuer '{jwt.issuer}' is not an https:// URL",
            "use the issuer URL from the identity provider's `iss` claim, starting with https://",
        )


@rule(
    "LS211",
    "code-outside-project",
    "The code folder is outside the lift.yaml's folder",
    tags=("security",),
    docs=Docs(
        what="Reports a `runtime.code` or `functions.*.code` that leads out of the folder holding lift.yaml: "
        "`../..`, an absolute path, or a symbolic link to somewhere else.",
        why="compile packages whatever is in the code folder and deploys it. A folder outside the project is not "
        "reviewed with it, may hold other projects, credentials or a whole disk (`code: /`), and changes without "
        "the lift.yaml changing.",
        example="runtime:\n  code: ../../other-service/src",
        fix="Keep the code under the lift.yaml's folder (`code: src/`), or move lift.yaml to the root of the "
        "project the code belongs to. Code shared by several services belongs in a package they install.",
    ),
)
def code_outside_project(ctx: Context) -> Iterator[Finding]:
    base = os.path.realpath(os.path.dirname(os.path.abspath(ctx.resolved.file)))
    places = [(fn.source("code"), fn.name) for fn in ctx.functions]
    codes = {fn.name: fn.code for fn in ctx.functions}
    for path, names in grouped(places).items():
        code = codes[names[0]]
        folder = os.path.realpath(os.path.join(base, code))
        if os.path.commonpath([base, folder]) != base:
            yield Finding(
                path,
                f"code folder '{code}' of {functions_phrase(names)} is outside the folder of lift.yaml: "
                "compile would package and deploy whatever is there",
                "keep the code under the lift.yaml's folder (e.g. code: src/), or move lift.yaml to the project's root",
            )
