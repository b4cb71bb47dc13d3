"""Every rule: triggered in the base and through an overlay, at the exact line:col; silent on a good file."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fixtures.policy.lintkit import GOOD, at, lint_text, where, with_overlay

from liftspec.check.codes import all_codes


@dataclass
class Case:
    rule: str
    old: str  # text of the good file to replace ...
    new: str  # ... with this
    mark: str  # where the finding points: the char after '|' in the edited text
    overlay: str = ""  # the same problem written in an overlay of a production-pack environment (`prod`)
    overlay_mark: str = ""  # where it points then (searched after `environments:`; '^' prefix: searched from the top)

    def __str__(self) -> str:
        return self.rule


HEADERS = "security:\n  require_https: true\n"
WORKER = (
    "functions:\n",
    "functions:\n  worker:\n    handler: worker.handler\n"
    '    sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:jobs", batch_size: 100}\n    concurrency: {reserved: 5}\n',
)
SAMPLING = ("tracing: {enabled: true}", "tracing: {enabled: true, sampling_rules: [{name: default, rate: 0.5, priority: 9000}]}")

RATE = "rate_limit: {enabled: true, window: 1m, max: 6000}\n"
JWT = '    jwt: {issuer: "https://auth.example.com/", audience: [shop]}\n'
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0b6d2c4e-1f3a-4b5c"
AUTHZ = "arn:aws:lambda:us-east-1:123456789012:function:shop-authorizer"

CASES = [
    Case("LS101", "level: info", "level: debug", "level: |debug", "logging: {level: debug}", "level: |debug"),
    Case("LS102", "detailed: false", "detailed: true", "detailed: |true", "errors: {detailed: true}", "detailed: |true"),
    Case("LS103", "  retention_days: 30\n", "", "|logging:", "logging: {retention_days: null}", "retention_days: |null"),
    Case(
        "LS201",
        "require_https: true",
        "require_https: false",
        "require_https: |false",
        "security: {require_https: false}",
        "require_https: |false",
    ),
    Case(
        "LS202",
        "    enabled: true\n    jwt",
        "    enabled: false\n    jwt",
        "enabled: |false",
        "security: {auth: {enabled: false}}",
        "enabled: |false",
    ),
    Case(
        "LS203",
        HEADERS,
        HEADERS + "  headers: {strict_transport_security: {max_age: 86400}}\n",
        "max_age: |86400",
        "security: {headers: {strict_transport_security: {max_age: 86400}}}",
        "max_age: |86400",
    ),
    Case(
        "LS204",
        HEADERS,
        HEADERS + "  headers:\n    content_security_policy:\n      default-src: [\"'self'\"]\n"
        "      frame-ancestors: [\"'none'\"]\n      script-src: [\"'self'\", \"'unsafe-inline'\"]\n",
        "|\"'unsafe-inline'\"",
        "security: {headers: {content_security_policy: {default-src: [\"'none'\"], frame-ancestors: [\"'none'\"], "
        "script-src: [\"'unsafe-eval'\"]}}}",
        "|\"'unsafe-eval'\"",
    ),
    Case(
        "LS205",
        HEADERS,
        HEADERS + "  headers: {x_frame_options: ALLOW-FROM https://partner.example.com}\n",
        "x_frame_options: |ALLOW-FROM",
        "security: {headers: {x_frame_options: false}}",
        "x_frame_options: |false",
    ),
    Case(
        "LS206",
        HEADERS,
        HEADERS + "  headers: {x_content_type_options: false}\n",
        "x_content_type_options: |false",
        "security: {headers: {x_content_type_options: sniff}}",
        "x_content_type_options: |sniff",
    ),
    Case(
        "LS207",
        HEADERS,
        HEADERS + "  headers: {referrer_policy: unsafe-url}\n",
        "referrer_policy: |unsafe-url",
        "security: {headers: {referrer_policy: no-referrer-when-downgrade}}",
        "referrer_policy: |no-referrer",
    ),
    Case(
        "LS208",
        "  memory: 512\n",
        '  memory: 512\n  variables: {DB_PASSWORD: "hunter2-Xk9s8d7f6gQ"}\n',
        'DB_PASSWORD: |"hunter2',
        "functions: {api: {variables: {UPLOAD_KEY: AKIAIOSFODNN7EXAMPLE}}}",
        "UPLOAD_KEY: |AKIA",
    ),
    Case(
        "LS210",
        'issuer: "https://auth.example.com/"',
        'issuer: "http://auth.example.com/"',
        'issuer: |"http:',
        "security: {auth: {jwt: {issuer: auth.example.com, audience: [shop]}}}",
        "issuer: |auth",
    ),
    Case(
        "LS211",
        "  memory: 512\n",
        "  memory: 512\n  code: ../shared/\n",
        "code: |../shared/",
        "functions: {nightly: {code: /srv/jobs}}",
        "code: |/srv/jobs",
    ),
    # --- the HTTP API as a whole (LS25x, LS32x) ---
    Case(
        "LS250",
        RATE,
        'http: {cors: {allow_origins: ["*"], allow_credentials: true}}\n' + RATE,
        'allow_origins: [|"*"',
        'http: {cors: {allow_origins: ["https://a.example.com", "*"], allow_credentials: true}}',
        '"https://a.example.com", |"*"',
    ),
    Case(
        "LS251",
        RATE,
        'http: {cors: {allow_origins: ["*"]}}\n' + RATE,
        'allow_origins: [|"*"',
        'http: {cors: {allow_origins: ["https://a.example.com", "*"]}}',
        '"https://a.example.com", |"*"',
    ),
    Case(
        "LS252",
        'routes: ["ANY /{proxy+}"]',
        'routes: ["GET /{proxy+}", {route: "POST /orders", public: true}]',
        "public: |true",
        'functions: {api: {http: {routes: [{route: "DELETE /carts/{id}", public: true}]}}}',
        "public: |true",
    ),
    Case(
        "LS253",
        RATE,
        f'http: {{domain: {{name: api.example.com, certificate_arn: "{CERT}", minimum_tls: "1.0"}}}}\n' + RATE,
        'minimum_tls: |"1.0"',
        f'http: {{domain: {{name: api.example.com, certificate_arn: "{CERT}", minimum_tls: "1.0"}}}}',
        'minimum_tls: |"1.0"',
    ),
    Case(
        "LS254",
        RATE,
        "http: {access_logs: {enabled: false}}\n" + RATE,
        "enabled: |false",
        "http: {access_logs: {enabled: false}}",
        "enabled: |false",
    ),
    Case(
        "LS255",
        RATE,
        'http: {cors: {allow_origins: ["https://a.example.com"]}}\n' + RATE,
        '|"ANY /{proxy+}"',
        'http: {cors: {allow_origins: ["https://a.example.com"]}}\nfunctions: {api: {http: {routes: ["GET /a", "$default"]}}}',
        '"GET /a", |"$default"',
    ),
    Case(
        "LS320",
        RATE,
        'http: {cors: {allow_origins: ["https://a.example.com"], max_age: 2d}}\n' + RATE,
        "max_age: |2d",
        'http: {cors: {allow_origins: ["https://a.example.com"], max_age: 86401}}',
        "max_age: |86401",
    ),
    Case(
        "LS321",
        JWT,
        JWT + f'    lambda: {{function_arn: "{AUTHZ}", result_ttl: 2h}}\n',
        "result_ttl: |2h",
        f'security: {{auth: {{lambda: {{function_arn: "{AUTHZ}", result_ttl: 3601}}}}}}',
        "result_ttl: |3601",
    ),
    Case(
        "LS322",
        RATE,
        f'http: {{domain: {{name: api.example.com, certificate_arn: "{CERT.replace("us-east-1", "eu-west-1")}"}}}}\n' + RATE,
        'certificate_arn: |"arn',
        f'http: {{domain: {{name: api.example.com, certificate_arn: "{CERT.replace("us-east-1", "eu-west-1")}"}}}}',
        'certificate_arn: |"arn',
    ),
    Case(
        "LS323",
        WORKER[0],
        WORKER[1].replace(":jobs", ":jobs.fifo").replace("batch_size: 100", "batch_size: 20"),
        "batch_size: |20",
        'functions: {nightly: {schedule: null, sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:q", maximum_concurrency: 1}}}',
        "maximum_concurrency: |1",
    ),
    *(
        Case(
            rule,
            "functions:\n",
            f"resources:\n  {name}: {{{body}}}\nfunctions:\n",
            mark,
            f"resources: {{{name}: {{{body}}}}}",
            mark,
        )
        for rule, name, body, mark in (
            ("LS230", "orders", "type: table, keys: {partition: id}, point_in_time_recovery: false", "recovery: |false"),
            ("LS231", "orders", "type: table, keys: {partition: id}, deletion_protection: false", "protection: |false"),
            ("LS232", "uploads", "type: bucket, versioning: false", "versioning: |false"),
            ("LS233", "uploads", "type: bucket, public: true", "public: |true"),
            ("LS234", "uploads", "type: bucket, require_tls: false", "require_tls: |false"),
            ("LS235", "jobs", "type: queue, dead_letter: false", "dead_letter: |false"),
            (
                "LS238",
                "uploads",
                'type: bucket, versioning: false, replicate_to: {region: us-west-2, bucket_arn: "arn:aws:s3:::replica"}',
                "|{region: us-west-2",
            ),
        )
    ),
    Case(
        "LS236",
        "functions:\n",
        "resources:\n  jobs: {type: queue}\nfunctions:\n  sender:\n    handler: app.send\n    access: {jobs: send}\n"
        "    concurrency: {reserved: 1}\n",
        "access: {jobs: |send",
        "resources: {jobs: {type: queue}}\nfunctions: {sender: {handler: app.send, access: {jobs: send}, "
        "concurrency: {reserved: 1}}}",
        "access: {jobs: |send",
    ),
    Case(
        "LS237",
        "    concurrency: {reserved: 50}\n",
        '    concurrency: {reserved: 50}\n    policies: [{Effect: Allow, Action: "s3:*", Resource: "arn:aws:s3:::reports/x"}]\n',
        'Action: |"s3:*"',
        'functions: {api: {policies: [{Effect: Allow, Action: "s3:*", Resource: "arn:aws:s3:::reports/x"}]}}',
        'Action: |"s3:*"',
    ),
    Case("LS301", "request: 9s", "request: 10s", "request: |10s", "timeouts: {request: 12s}", "request: |12s"),
    Case(
        "LS302",
        "function: 10s",
        "function: 45s",
        "function: |45s",
        "functions: {api: {timeouts: {function: 31s}}}",
        "function: |31s",
    ),
    Case(
        "LS303",
        "    schedule: rate(1 day)\n",
        "    schedule: rate(1 day)\n    timeouts: {function: 20m}\n",
        "function: |20m",
        "functions: {nightly: {timeouts: {function: 901s}}}",
        "function: |901s",
    ),
    Case("LS304", "memory: 512", "memory: 64", "memory: |64", "runtime: {memory: 20480}", "memory: |20480"),
    Case(
        "LS305",
        *WORKER,
        "batch_size: |100",
        'functions: {nightly: {schedule: null, sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:q", batch_size: 50}}}',
        "batch_size: |50",
    ),
    Case(
        "LS310",
        "architecture: arm64",
        "architecture: x86_64",
        "architecture: |x86_64",
        "functions: {nightly: {architecture: x86_64}}",
        "architecture: |x86_64",
    ),
    Case(
        "LS401",
        "    concurrency: {reserved: 50}\n",
        "",
        "  |api:",
        "functions: {api: {concurrency: {reserved: null}}}",
        "reserved: |null",
    ),
    Case(
        "LS410",
        WORKER[0],
        WORKER[1].replace("batch_size: 100", "batch_size: 10, maximum_concurrency: 20"),
        "maximum_concurrency: |20",
        'functions: {nightly: {schedule: null, sqs: {queue: "arn:aws:sqs:us-east-1:123456789012:q", maximum_concurrency: 3}}}',
        "maximum_concurrency: |3",
    ),
    Case(
        "LS411",
        "    schedule: rate(1 day)\n",
        "    schedule: rate(1 day)\n    async: {max_event_age: 30s}\n",
        "max_event_age: |30s",
        "functions: {nightly: {async: {max_event_age: 7h}}}",
        "max_event_age: |7h",
    ),
    Case(
        "LS412",
        "    concurrency: {reserved: 50}\n",
        "    concurrency: {reserved: 50}\n    async: {retries: 0}\n",
        "async: |{retries",
        "functions: {api: {async: {retries: 1}}}",
        "async: |{retries: 1",
    ),
    Case(
        "LS413",
        "    schedule: rate(1 day)\n",
        "    schedule: {expression: rate(1 day), flexible_window: 90s}\n",
        "flexible_window: |90s",
        "functions: {nightly: {schedule: {expression: rate(1 day), flexible_window: 2d}}}",
        "flexible_window: |2d",
    ),
    Case(
        "LS402",
        "concurrency: {reserved: 50}",
        "concurrency: {reserved: 50, provisioned: 60}",
        "provisioned: |60",
        "functions: {api: {concurrency: {provisioned: 80}}}",
        "provisioned: |80",
    ),
    Case(
        "LS403",
        "schedule: rate(1 day)",
        "schedule: rate(1 days)",
        "schedule: |rate",
        'functions: {nightly: {schedule: "cron(0 3 * * * *)"}}',
        'schedule: |"cron',
    ),
    Case(
        "LS404",
        "rate_limit: {enabled: true",
        "rate_limit: {enabled: false",
        "rate_limit: {enabled: |false",
        "rate_limit: {enabled: false}",
        "enabled: |false",
    ),
    Case("LS405", "max: 6000}", "max: 6000, burst: 10}", "burst: |10", "rate_limit: {burst: 50}", "burst: |50"),
    Case(
        "LS501",
        "tracing: {enabled: true}",
        "tracing: {enabled: false}",
        "tracing: {enabled: |false",
        "tracing: {enabled: false}",
        "enabled: |false",
    ),
    Case(
        "LS502",
        "tracing: {enabled: true}",
        "tracing: {enabled: true, sampling_rules: [{name: all, rate: 5, priority: 9000}]}",
        "rate: |5",
        "tracing: {sampling_rules: [{name: all, rate: 0.01, priority: 0}]}",
        "priority: |0",
    ),
    Case("LS503", *SAMPLING, "rate: |0.5", "tracing: {sampling_rules: [{name: all, rate: 0.2, priority: 10}]}", "rate: |0.2"),
    Case(
        "LS504",
        "metrics: {enabled: true, namespace: ShopApi}",
        "metrics: {enabled: false, namespace: ShopApi}",
        "enabled: |false",
        "metrics: {enabled: false}",
        "enabled: |false",
    ),
    Case(
        "LS505",
        "  throttles: {threshold: 1, period: 1m, evaluation_periods: 1}\n",
        "",
        "|alarms:",
        "alarms: {throttles: null}",
        "throttles: |null",
    ),
    Case(
        "LS506",
        "errors: {threshold: 5, period: 1m",
        "errors: {threshold: 5, period: 45s",
        "period: |45s",
        "alarms: {latency: {threshold: 2s, period: 1h, evaluation_periods: 200}}",
        "evaluation_periods: |200",
    ),
    Case(
        "LS507",
        *SAMPLING,
        "sampling_rules: |[",
        "tracing: {sampling_rules: [{name: all, rate: 0.01, priority: 10}]}",
        "sampling_rules: |[",
    ),
    Case("LS508", "  topic: {create: true}\n", "", "|alarms:", "alarms: {topic: null}", "topic: |null"),
    Case(
        "LS601",
        "strategy: Canary10Percent5Minutes",
        "strategy: AllAtOnce",
        "strategy: |AllAtOnce",
        "deployment: {strategy: AllAtOnce}",
        "strategy: |AllAtOnce",
    ),
    Case("LS602", "  rollback_on: [errors, latency]\n", "", "|deployment:", "deployment: {rollback_on: []}", "rollback_on: |[]"),
    Case(
        "LS603",
        "deployment:\n",
        "dead_letter: {enabled: false}\ndeployment:\n",
        "dead_letter: {enabled: |false",
        "dead_letter: {enabled: false}",
        "enabled: |false",
    ),
    Case(
        "LS604",
        "  nightly:\n    handler: jobs.nightly\n    schedule: rate(1 day)\n    concurrency: {reserved: 2}\n",
        "",
        "never",
        "functions: {nightly: null}\ndead_letter: {enabled: true}",
        "enabled: |true",
    ),
]

# LS80x: the same runtime switch asks each guarantee of an unwrapped runtime; the finding points at `lambda:`.
BARE = ("  architecture: arm64\n", "  lambda: provided.al2023\n  architecture: arm64\n")
BARE_WORKER = (
    WORKER[0],
    WORKER[1].replace("    handler: worker.handler\n", "    handler: worker.handler\n    lambda: provided.al2\n"),
)
CASES += [
    Case(rule, *BARE, "lambda: |provided", "runtime: {lambda: provided.al2023}", "lambda: |provided")
    for rule in ("LS801", "LS802", "LS803", "LS804", "LS805", "LS806", "LS807", "LS809")
]
CASES.append(
    Case(
        "LS808",
        *BARE_WORKER,
        "lambda: |provided",
        'functions: {nightly: {schedule: null, lambda: provided.al2, sqs: {queue: "arn:aws:sqs:us-east-1:1:q"}}}',
        "lambda: |provided",
    )
)


def _bad(case: Case) -> str:
    assert case.old in GOOD, f"{case.rule}: the good file has no {case.old!r}"
    text = GOOD.replace(case.old, case.new, 1)
    if case.rule == "LS604":
        text += "dead_letter: {enabled: true}\n"
    return text


def test_the_good_file_is_clean_in_every_environment() -> None:
    assert lint_text(GOOD).diagnostics == []
    for env in ("prod", "staging", "dev"):
        assert lint_text(with_overlay(GOOD, env, "tags: {owner: shop}")).diagnostics == []


def test_every_rule_has_a_trigger_case() -> None:
    rules = {code.id for code in all_codes() if code.kind == "rule"}
    on_disk = {"LS311"}  # reads the code folder: tests/test_rules_handler.py
    assert rules - on_disk == {case.rule for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_fires_in_the_base_at_the_value(case: Case) -> None:
    text = _bad(case)
    found = [where(d) for d in lint_text(text).diagnostics if d.id == case.rule]
    mark = "dead_letter: {enabled: |true" if case.rule == "LS604" else case.mark
    assert found == [(case.rule, *at(text, mark))]


@pytest.mark.parametrize("case", [c for c in CASES if c.overlay], ids=str)
def test_rule_fires_through_an_overlay_at_the_overlay_line(case: Case) -> None:
    text = with_overlay(GOOD, "prod", case.overlay)
    result = lint_text(text)
    found = [(where(d), d.env) for d in result.diagnostics if d.id == case.rule]
    mark = case.overlay_mark
    start = 0 if mark.startswith("^") else text.index("environments:")
    assert found == [((case.rule, *at(text, mark.lstrip("^"), start)), "prod")]
    assert [d for d in result.diagnostics if d.env in (None, "production")] == []


@pytest.mark.parametrize("case", CASES, ids=str)
def test_rule_is_silent_when_the_problem_is_only_in_another_environment(case: Case) -> None:
    # The default environment stays clean when only the overlay has the problem.
    text = with_overlay(GOOD, "prod", case.overlay or "tags: {owner: shop}")
    assert [d for d in lint_text(text, "production").diagnostics] == []
