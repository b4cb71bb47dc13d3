"""Suppressions: policy.ignore and inline comments, reasons, expiry, unused and non-suppressible rules."""

from __future__ import annotations

from fixtures.policy.lintkit import GOOD, at, liftspec, lint_text, where, with_overlay

DEBUG = GOOD.replace("level: info", "level: debug")


def _ignore(entries: str) -> str:
    return "\npolicy:\n  ignore:\n" + "".join(f"    - {line}\n" for line in entries.strip().splitlines())


def test_policy_ignore_with_a_reason_waives_the_finding() -> None:
    result = lint_text(DEBUG + _ignore('{rule: LS101, reason: "tracing a payment bug, OPS-12"}'))
    assert result.diagnostics == []
    assert [(s.diagnostic.id, s.by.reason) for s in result.suppressed] == [("LS101", "tracing a payment bug, OPS-12")]


def test_a_suppression_without_reason_is_reported_and_not_applied() -> None:
    text = DEBUG + _ignore("{rule: LS101}")
    result = lint_text(text)
    assert sorted(where(d) for d in result.diagnostics) == sorted(
        [("LS101", *at(text, "level: |debug")), ("LS901", *at(text, "- |{rule: LS101}"))]
    )
    assert result.suppressed == []


def test_an_expired_suppression_is_reported_and_the_finding_returns() -> None:
    text = DEBUG + _ignore('{rule: LS101, reason: "incident", until: 2026-01-14}')  # lintkit's today is 2026-01-15
    result = lint_text(text)
    assert sorted(d.id for d in result.diagnostics) == ["LS101", "LS902"]
    ls902 = next(d for d in result.diagnostics if d.id == "LS902")
    assert "expired on 2026-01-14" in ls902.message
    assert lint_text(DEBUG + _ignore('{rule: LS101, reason: "incident", until: 2026-01-15}')).diagnostics == []


def test_an_unused_suppression_is_reported_at_its_entry() -> None:
    text = GOOD + _ignore('{rule: LS101, reason: "debugging"}')
    result = lint_text(text)
    assert [(d.id, d.severity.value, d.line, d.col) for d in result.diagnostics] == [
        ("LS903", "warning", *at(text, "- |{rule: LS101"))
    ]


def test_a_suppression_of_an_unknown_rule_is_reported() -> None:
    result = lint_text(GOOD + _ignore('{rule: LS999, reason: "typo"}'))
    assert [d.id for d in result.diagnostics] == ["LS903"]
    assert "no such rule" in result.diagnostics[0].message


def test_a_rule_the_pack_marks_not_suppressible_cannot_be_waived() -> None:
    text = GOOD.replace("detailed: false", "detailed: true") + _ignore('{rule: LS102, reason: "easier debugging"}')
    result = lint_text(text)
    assert sorted(d.id for d in result.diagnostics) == ["LS102", "LS904"]


def test_schema_codes_cannot_be_suppressed() -> None:
    result = lint_text(GOOD + _ignore('{rule: LS003, reason: "x"}'))
    assert [d.id for d in result.diagnostics] == ["LS904"]


def test_a_path_limits_the_suppression() -> None:
    text = GOOD.replace("    concurrency: {reserved: 50}\n", "").replace("    concurrency: {reserved: 2}\n", "")
    result = lint_text(text + _ignore('{rule: LS401, path: functions.nightly, reason: "runs once a day"}'))
    assert [(d.id, d.message.split(":")[0]) for d in result.diagnostics] == [
        ("LS401", "function 'api' has no reserved concurrency")
    ]
    wildcard = lint_text(text + _ignore('{rule: LS401, path: "functions.*.concurrency", reason: "shared account"}'))
    assert wildcard.diagnostics == []
    unused = lint_text(GOOD + _ignore('{rule: LS401, path: functions.nope, reason: "x"}'))
    assert [d.id for d in unused.diagnostics] == ["LS903"]


def test_inline_comment_on_the_offending_line_waives_it() -> None:
    text = GOOD.replace("level: info", "level: debug   # liftspec: ignore[LS101] tracing OPS-12")
    result = lint_text(text)
    assert result.diagnostics == []
    assert result.suppressed[0].by.origin == "inline"
    assert result.suppressed[0].by.reason == "tracing OPS-12"


def test_inline_comment_on_the_key_line_of_a_block_value() -> None:
    text = GOOD.replace(
        "security:\n  require_https: true\n",
        "security:\n  require_https: true\n  headers:\n"
        "    content_security_policy:   # liftspec: ignore[LS204] legacy admin pages, CSP in OPS-9\n"
        "      default-src: [\"'self'\"]\n",
    )
    result = lint_text(text)
    assert result.diagnostics == []
    assert [s.diagnostic.id for s in result.suppressed] == ["LS204"]


def test_inline_comment_with_several_rules_and_an_expiry() -> None:
    text = GOOD.replace("level: info", "level: debug  # liftspec: ignore[LS101, LS999] until=2026-02-01 load test")
    result = lint_text(text)
    assert [(d.id, "LS999" in d.message) for d in result.diagnostics] == [("LS903", True)]
    expired = lint_text(GOOD.replace("level: info", "level: debug  # liftspec: ignore[LS101] until=2026-01-01 load test"))
    assert sorted(d.id for d in expired.diagnostics) == ["LS101", "LS902"]


def test_inline_comment_without_reason_is_ls901() -> None:
    text = GOOD.replace("level: info", "level: debug  # liftspec: ignore[LS101]")
    assert sorted(where(d) for d in lint_text(text).diagnostics) == sorted(
        [("LS101", *at(text, "level: |debug")), ("LS901", *at(text, "debug  |# liftspec"))]
    )


def test_malformed_inline_comment_is_ls905() -> None:
    text = GOOD.replace("level: info", "level: debug  # liftspec: ignore LS101 because")
    assert sorted(d.id for d in lint_text(text).diagnostics) == ["LS101", "LS905"]


def test_a_hash_inside_a_quoted_value_is_not_a_comment() -> None:
    text = GOOD.replace("service: shop-api", 'service: shop-api\ndescription: "docs say # liftspec: ignore[LS101] x"')
    assert lint_text(text).diagnostics == []


def test_ordinary_comments_that_mention_liftspec_are_left_alone() -> None:
    text = GOOD.replace("liftspec: 1", "liftspec: 1   # liftspec: format version")
    assert lint_text(text).diagnostics == []


def test_a_suppression_used_in_one_environment_is_not_unused() -> None:
    # LS101 is off in the staging pack: the waiver matters in production only, and that is not "unused".
    text = with_overlay(DEBUG + _ignore('{rule: LS101, reason: "until the incident is closed"}'), "staging", "tags: {a: b}")
    result = lint_text(text)
    assert result.diagnostics == []
    assert lint_text(text, "staging").diagnostics == []


def test_overlay_can_replace_the_ignore_list() -> None:
    text = with_overlay(DEBUG + _ignore('{rule: LS101, reason: "incident"}'), "prod", "policy: {ignore: []}")
    result = lint_text(text)
    assert [(d.id, d.env) for d in result.diagnostics] == [("LS101", "prod")]


def test_show_suppressed_lists_what_was_waived_and_why(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    text = DEBUG + _ignore('{rule: LS101, reason: "incident OPS-7", until: 2099-01-01}')
    (folder / "lift.yaml").write_text(text)
    quiet = liftspec("lint", "lift.yaml", cwd=folder)
    assert (quiet.code, quiet.out) == (0, "")
    shown = liftspec("lint", "lift.yaml", "--show-suppressed", cwd=folder)
    assert shown.code == 0
    assert "LS101 log level is debug" in shown.out
    line = at(text, "- |{rule: LS101")[0]
    assert f"waived: policy.ignore at line {line}: incident OPS-7 (until 2099-01-01)" in shown.out
