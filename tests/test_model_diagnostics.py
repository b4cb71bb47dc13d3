"""Schema diagnostics: each code at its exact line:col, in the base and inside overlays."""

from __future__ import annotations

from datetime import timedelta

from liftspec.api import lint_document, resolve_env
from liftspec.diagnostics import Diagnostic
from liftspec.load import load_text

BASE = """\
liftspec: 1
service: orders
functions:
  api:
    handler: app.handler
"""


def diags(text: str, env: str | None = None) -> list[Diagnostic]:
    return lint_document(load_text(text, "lift.yaml"), env, policies=False).diagnostics


def one(text: str, env: str | None = None) -> tuple[str, int, int, str]:
    found = diags(text, env)
    assert len(found) == 1, found
    d = found[0]
    assert d.hint, d
    return d.id, d.line, d.col, d.message


def test_minimal_file_is_valid_and_gets_safe_defaults() -> None:
    result = resolve_env(load_text(BASE))
    assert result.diagnostics == []
    spec = result.spec
    assert spec is not None
    assert spec.security.require_https and not spec.errors.detailed and spec.logging.level == "info"
    assert spec.tracing.enabled and spec.metrics.enabled and spec.environment == "production"


def test_unknown_key_with_did_you_mean() -> None:
    code, line, col, message = one(BASE + "logging:\n  retention_dayz: 30\n")
    assert (code, line, col) == ("LS003", 7, 3)
    assert message == "unknown key 'retention_dayz' in logging; did you mean 'retention_days'?"


def test_unknown_top_level_key_lists_nothing_close() -> None:
    code, line, col, message = one(BASE + "zzz: 1\n")
    assert (code, line, col) == ("LS003", 6, 1)
    assert message == "unknown key 'zzz' in the top level"


def test_unknown_key_in_function_and_csp() -> None:
    code, line, col, message = one(BASE + "    memroy: 512\n")
    assert (code, line, col) == ("LS003", 6, 5) and "did you mean 'memory'" in message
    text = BASE + "security:\n  headers:\n    content_security_policy:\n      script-scr: [\"'self'\"]\n"
    code, line, col, message = one(text)
    assert (code, line, col) == ("LS003", 9, 7) and "did you mean 'script-src'" in message


def test_wrong_type() -> None:
    code, line, col, message = one(BASE + "    memory: lots\n")
    assert (code, line, col) == ("LS004", 6, 13)
    assert message == "functions.api.memory must be a whole number, got 'lots'"


def test_wrong_enum() -> None:
    code, line, col, message = one(BASE + "logging: {level: verbose}\n")
    assert (code, line, col) == ("LS004", 6, 18) and "'debug', 'info', 'warn' or 'error'" in message


def test_bad_duration() -> None:
    code, line, col, message = one(BASE + "timeouts:\n  function: 30 seconds\n")
    assert (code, line, col) == ("LS004", 7, 13) and "invalid duration '30 seconds'" in message


def test_durations_and_percent_parse() -> None:
    text = BASE + (
        "timeouts: {function: 1h, request: 500ms}\n"
        "dead_letter: {retention: 14d}\n"
        "alarms: {error_rate: {threshold: 5%, period: 1m}}\n"
        "rate_limit: {window: 90}\n"
    )
    spec = resolve_env(load_text(text)).spec
    assert spec is not None
    assert spec.timeouts.function == timedelta(hours=1) and spec.timeouts.request == timedelta(milliseconds=500)
    assert spec.dead_letter.retention == timedelta(days=14)
    assert spec.alarms.error_rate is not None and spec.alarms.error_rate.threshold == 5.0
    assert spec.rate_limit.window == timedelta(seconds=90)


def test_missing_required_top_level() -> None:
    code, line, col, message = one("liftspec: 1\nfunctions:\n  api: {handler: a.b}\n")
    assert (code, line, col) == ("LS005", 1, 1) and message == "missing required key 'service' in the top level"


def test_missing_required_nested_points_at_parent_key() -> None:
    code, line, col, message = one("liftspec: 1\nservice: s\nfunctions:\n  api:\n    memory: 256\n")
    assert (code, line, col) == ("LS005", 4, 3)
    assert message == "missing required key 'handler' in functions.api"


def test_unknown_alarm_in_rollback_on() -> None:
    code, line, col, message = one(BASE + "deployment:\n  rollback_on: [errors]\n")
    assert (code, line, col) == ("LS008", 7, 17) and "'errors'" in message


def test_two_event_sources() -> None:
    text = BASE + "    http: {routes: ['GET /x']}\n    schedule: rate(1 hour)\nsecurity: {auth: {enabled: false}}\n"
    code, line, col, message = one(text)
    assert (code, line, col) == ("LS008", 7, 15) and "both http and schedule" in message


def test_bad_function_name_and_service_name() -> None:
    code, line, col, message = one("liftspec: 1\nservice: Orders_API\nfunctions:\n  api: {handler: a.b}\n")
    assert (code, line, col) == ("LS004", 2, 10) and "not a valid service name" in message


def test_format_version() -> None:
    code, line, col, message = one(BASE.replace("liftspec: 1", "liftspec: 2"))
    assert (code, line, col) == ("LS004", 1, 11) and "must be one of 1" in message


def test_three_mistakes_all_reported_in_line_order() -> None:
    text = BASE + "    memory: lots\nlogging:\n  retention_dayz: 30\n  format: xml\n"
    found = diags(text)
    assert [(d.id, d.line) for d in found] == [("LS004", 6), ("LS003", 8), ("LS004", 9)]


# --- overlays ---------------------------------------------------------------

OVERLAY = (
    BASE
    + """\
logging:
  level: info
environments:
  staging:
    logging:
      levle: debug
"""
)


def test_unknown_key_in_overlay_points_into_overlay() -> None:
    (d,) = diags(OVERLAY)
    assert (d.id, d.line, d.col, d.env) == ("LS003", 11, 7, "staging")
    assert "did you mean 'level'" in d.message


def test_wrong_type_in_overlay_and_env_filter() -> None:
    text = OVERLAY.replace("levle: debug", "level: 5")
    (d,) = diags(text)
    assert (d.id, d.line, d.col, d.env) == ("LS004", 11, 14, "staging")
    assert diags(text, env="production") == []


def test_base_error_reported_once_across_environments() -> None:
    text = OVERLAY.replace("levle: debug", "level: debug").replace("  level: info\n", "  level: loud\n")
    found = diags(text)
    # the overlay replaces the bad value in staging, so only production has it
    assert [(d.id, d.line, d.env) for d in found] == [("LS004", 7, "production")]
    text = OVERLAY.replace("levle: debug", "level: debug").replace(
        "    handler: app.handler\n", "    handler: app.handler\n    memory: x\n"
    )
    (d,) = diags(text)
    assert (d.id, d.line, d.env) == ("LS004", 6, None)


def test_overlay_value_is_where_it_was_written() -> None:
    text = BASE + "environments:\n  staging:\n    functions:\n      api:\n        memory: huge\n"
    (d,) = diags(text)
    assert (d.line, d.col, d.env) == (10, 17, "staging")


def test_null_resets_to_default_and_lists_replace() -> None:
    text = BASE + (
        "logging: {level: debug}\n"
        "tracing:\n  sampling_rules:\n    - {name: a, rate: 0.1, priority: 1}\n    - {name: b, rate: 0.2, priority: 2}\n"
        "environments:\n  staging:\n    logging: {level: null}\n"
        "    tracing: {sampling_rules: [{name: c, rate: 1, priority: 3}]}\n"
    )
    spec = resolve_env(load_text(text), "staging").spec
    assert spec is not None and spec.logging.level == "info"
    assert [r.name for r in spec.tracing.sampling_rules] == ["c"]
    base = resolve_env(load_text(text), "production").spec
    assert base is not None and base.logging.level == "debug" and len(base.tracing.sampling_rules) == 2


def test_maps_merge_key_by_key() -> None:
    text = BASE + "logging: {level: warn, retention_days: 30}\nenvironments:\n  dev:\n    logging: {format: text}\n"
    spec = resolve_env(load_text(text), "dev").spec
    assert spec is not None
    assert (spec.logging.level, spec.logging.format, spec.logging.retention_days) == ("warn", "text", 30)
    assert spec.environment == "dev"


def test_unknown_environment() -> None:
    (d,) = diags(OVERLAY, env="stagign")
    assert d.id == "LS009" and "did you mean 'staging'" in d.hint


def test_environment_key_selects_default() -> None:
    text = OVERLAY.replace("service: orders\n", "service: orders\nenvironment: staging\n")
    result = lint_document(load_text(text), None, policies=False)
    assert [e.env for e in result.envs] == ["staging"]


def test_header_values_cannot_inject_lines() -> None:
    text = BASE + 'security:\n  headers:\n    referrer_policy: "no-referrer\\r\\nX-Evil: 1"\n'
    code, line, col, message = one(text)
    assert (code, line, col) == ("LS004", 8, 22) and "header value" in message


def test_csp_source_with_space_is_split_by_the_hint() -> None:
    text = BASE + "security:\n  headers:\n    content_security_policy: {default-src: [\"'self' 'unsafe-inline'\"]}\n"
    found = diags(text)
    assert [(d.id, d.line, d.col) for d in found] == [("LS004", 8, 45)]
    assert "split it" in found[0].hint


def test_permissions_policy_feature_name_points_at_key() -> None:
    code, line, col, message = one(BASE + "security:\n  headers:\n    permissions_policy: {Camera: []}\n")
    assert (code, line, col) == ("LS004", 8, 26) and "key 'Camera'" in message
