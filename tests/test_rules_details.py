"""The finer points of individual rules: variants, false positives that must not happen, and messages."""

from __future__ import annotations

import pytest
from fixtures.policy.lintkit import GOOD, at, lint_text, where

from liftspec.check.schedule import check_cron, check_expression, check_timezone
from liftspec.check.secrets import mask, secret_kind


def _found(text: str, rule: str) -> list[tuple[str, int, int]]:
    return [where(d) for d in lint_text(text, "production").diagnostics if d.id == rule]


def _messages(text: str, rule: str) -> list[str]:
    return [d.message for d in lint_text(text, "production").diagnostics if d.id == rule]


HEADERS = "security:\n  require_https: true\n"


def _headers(body: str) -> str:
    return GOOD.replace(HEADERS, HEADERS + "  headers:\n" + "".join(f"    {line}\n" for line in body.splitlines()))


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("rate(5 minutes)", None),
        ("rate(1 minute)", None),
        ("rate(1 hours)", "write rate(1 hour)"),
        ("rate(2 hour)", "write rate(2 hours)"),
        ("rate(0 minutes)", "at least 1"),
        ("rate(5 weeks)", "unknown rate unit"),
        ("cron(0 8 ? * MON-FRI *)", None),
        ("cron(0/15 * * * ? *)", None),
        ("cron(0 12 L * ? 2030)", None),
        ("cron(0 10 ? * 6#3 *)", None),
        ("cron(0 8 * * MON *)", "one (and only one)"),
        ("cron(0 8 ? * * )", "6 fields"),
        ("cron(61 8 ? * * *)", "61 is outside 0..59"),
        ("cron(0 8 ? FOO * *)", "not a number or a name"),
        ("every day", "expected rate(...) or cron(...)"),
        ("at(2030-01-01T10:00:00)", "expected rate(...) or cron(...)"),
    ],
)
def test_schedule_expressions(expression: str, problem: str | None) -> None:
    found = check_expression(expression)
    assert (found is None) if problem is None else (found is not None and problem in found), found


def test_scaling_schedules_also_take_at() -> None:
    assert check_expression("at(2030-01-01T10:00:00)", allow_at=True) is None
    assert "not a valid date" in str(check_expression("at(2030-02-30T10:00:00)", allow_at=True))
    assert check_cron("0 8 ? * MON-FRI *") is None


def test_time_zones() -> None:
    assert check_timezone("America/New_York") is None
    assert "unknown time zone" in str(check_timezone("Mars/Olympus"))


def test_scaling_schedule_problems_each_have_their_line() -> None:
    text = GOOD.replace(
        "    concurrency: {reserved: 50}\n",
        "    concurrency:\n      reserved: 50\n      provisioned: 5\n"
        '      schedule:\n        - {name: peak, cron: "cron(0 8 * * MON *)", timezone: Mars/Base, min: 60, max: 55}\n',
    )
    assert sorted(_found(text, "LS403")) == sorted(
        [
            ("LS403", *at(text, 'cron: |"cron(0 8')),
            ("LS403", *at(text, "timezone: |Mars")),
            ("LS403", *at(text, "min: |60")),
            ("LS403", *at(text, "max: |55")),
        ]
    )


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("UPLOAD_KEY", "AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
        ("ANYTHING", "-----BEGIN RSA PRIVATE KEY-----MIIE", "a private key"),
        ("GH", "ghp_" + "a1B2" * 9, "a GitHub token"),
        ("DATABASE_URL", "postgres://app:s3cretPw@db.internal:5432/app", "a URL with a password"),
        ("API_TOKEN", "q8Zr2Lx9Vw4Tn7Ps", "a credential"),
        ("DB_PASSWORD", "hunter2-Xk9s8d7f6gQ", "a credential"),
    ],
)
def test_secret_like_values(name: str, value: str, kind: str) -> None:
    assert kind in str(secret_kind(name, value))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TOKEN_TTL", "3600"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x"),
        ("API_KEY_PARAM", "/prod/orders/api-key"),
        ("AUTH_URL", "https://auth.example.com/token"),
        ("FEATURE_FLAGS", "orders-v2"),
        ("SECRET_NAME", "prod/orders/jwt"),
        ("TOKEN_AUDIENCE", "orders-api"),
        ("DB_PASSWORD", "{{resolve:secretsmanager:prod/db:SecretString:password}}"),
    ],
)
def test_harmless_values_are_not_secrets(name: str, value: str) -> None:
    assert secret_kind(name, value) is None


def test_secret_findings_never_print_the_value() -> None:
    text = GOOD.replace("  memory: 512\n", '  memory: 512\n  variables: {DB_PASSWORD: "hunter2-Xk9s8d7f6gQ"}\n')
    (message,) = _messages(text, "LS208")
    assert "hunter2-Xk9s8d7f6gQ" not in message and mask("hunter2-Xk9s8d7f6gQ") in message


def test_hsts_variants() -> None:
    assert _messages(_headers("strict_transport_security: false"), "LS203") == [
        "no Strict-Transport-Security header: browsers may still try plain HTTP first"
    ]
    text = _headers("strict_transport_security: {max_age: 63072000, include_subdomains: false, preload: true}")
    assert _found(text, "LS203") == [("LS203", *at(text, "include_subdomains: |false"))]
    assert _found(_headers("strict_transport_security: {max_age: 31536000, preload: true}"), "LS203") == []


@pytest.mark.parametrize(
    ("csp", "expected"),
    [
        ("{frame-ancestors: [\"'none'\"]}", ["the CSP has no default-src: every directive not listed is unrestricted"]),
        ("{default-src: [\"'self'\"]}", ["the CSP has no frame-ancestors: any site can frame these pages (clickjacking)"]),
        (
            "{default-src: [\"'self'\", \"'unsafe-inline'\"], frame-ancestors: [\"'none'\"]}",
            ["default-src allows 'unsafe-inline' (script-src falls back to default-src): an injected <script> runs"],
        ),
        (
            '{default-src: ["\'none\'"], frame-ancestors: ["\'none\'"], script-src: ["https:"]}',
            ["script-src allows scripts from any source (https:)"],
        ),
        ("{default-src: [\"'none'\"], frame-ancestors: [\"'none'\"], script-src: [\"'nonce-r4nd0m'\", \"'unsafe-inline'\"]}", []),
        (
            "{default-src: [\"'none'\"], frame-ancestors: [\"'none'\"], script-src: [\"'nonce-r4nd0m'\", \"'strict-dynamic'\", "
            '"https:", "\'unsafe-inline\'"]}',
            [],
        ),
        ("{default-src: [\"'none'\"], frame-ancestors: [\"'none'\"], style-src: [\"'unsafe-inline'\"]}", []),
        ("false", ["no Content-Security-Policy header"]),
    ],
)
def test_csp_variants(csp: str, expected: list[str]) -> None:
    assert _messages(_headers(f"content_security_policy: {csp}"), "LS204") == expected


def test_headers_are_not_checked_for_a_service_without_http_routes() -> None:
    text = GOOD.replace('    http:\n      routes: ["ANY /{proxy+}"]\n', "").replace("require_https: true", "require_https: false")
    text = text.replace(
        HEADERS.replace("true", "false"), HEADERS.replace("true", "false") + "  headers: {x_frame_options: false}\n"
    )
    assert {d.id for d in lint_text(text).diagnostics} == set()


def test_referrer_policy_with_fallbacks() -> None:
    assert _messages(_headers('referrer_policy: "no-referrer, unsafe-url"'), "LS207") == [
        "Referrer-Policy 'unsafe-url' sends full URLs (paths and query strings) to other sites"
    ]
    assert _messages(_headers('referrer_policy: "unsafe-url, strict-origin"'), "LS207") == []
    assert _messages(_headers("referrer_policy: nope"), "LS207") == [
        "Referrer-Policy 'nope' is not a policy browsers know; they ignore it"
    ]
    assert _messages(_headers("referrer_policy: false"), "LS207") == []


def test_sampling_rule_duplicates_and_limits() -> None:
    rules = (
        "[{name: a, rate: 0.01, priority: 10}, {name: a, rate: 0.01, priority: 10}, "
        "{name: " + "b" * 40 + ", rate: 0.01, priority: 20, method: VERYLONGMETHOD}]"
    )
    text = GOOD.replace("tracing: {enabled: true}", f"tracing: {{enabled: true, sampling_rules: {rules}}}")
    assert _messages(text, "LS502") == [
        "sampling rule name 'a' is used twice",
        "sampling rules 'a' and 'a' share priority 10: which one matches first is undefined",
        "sampling rule 'b" + "b" * 39 + "': method is over X-Ray's 10 characters",
    ]


def test_health_sampling_uses_the_first_matching_rule_by_priority() -> None:
    rules = "[{name: all, rate: 0.5, priority: 9000}, {name: health, method: GET, path: /health, rate: 0.01, priority: 100}]"
    assert _found(GOOD.replace("tracing: {enabled: true}", f"tracing: {{sampling_rules: {rules}}}"), "LS503") == []
    rules = "[{name: all, rate: 0.5, priority: 9000}, {name: health, method: POST, path: /health, rate: 0.01, priority: 100}]"
    assert len(_found(GOOD.replace("tracing: {enabled: true}", f"tracing: {{sampling_rules: {rules}}}"), "LS503")) == 1
    rules = '[{name: all, rate: 0.5, priority: 9000, path: "/api/*"}]'
    assert _found(GOOD.replace("tracing: {enabled: true}", f"tracing: {{sampling_rules: {rules}}}"), "LS503") == []


def test_alarm_datapoints_and_long_periods() -> None:
    text = GOOD.replace(
        "errors: {threshold: 5, period: 1m, evaluation_periods: 3}",
        "errors: {threshold: 5, period: 1h, evaluation_periods: 100, datapoints_to_alarm: 101}",
    )
    assert _messages(text, "LS506") == ["alarm 'errors': datapoints_to_alarm 101 is above evaluation_periods 100"]
    text = GOOD.replace(
        "errors: {threshold: 5, period: 1m, evaluation_periods: 3}", "errors: {threshold: 5, period: 1h, evaluation_periods: 200}"
    )
    assert _messages(text, "LS506") == ["alarm 'errors': 200 × 1h covers 200 h, over CloudWatch's 168 h"]


def test_a_shared_default_gives_one_finding_for_all_functions() -> None:
    text = GOOD.replace("memory: 512", "memory: 100000")
    assert _messages(text, "LS304") == ["functions 'api', 'nightly': memory 100000 MB is outside Lambda's 128..10240 MB"]


def test_request_deadline_derived_from_a_function_timeout_points_at_the_timeout() -> None:
    text = GOOD.replace("timeouts:\n  function: 10s\n  request: 9s\n", "timeouts:\n  function: 500ms\n")
    assert ("LS303", *at(text, "function: |500ms")) in _found(text, "LS303")
