"""--fix and --diff: only the fixed values change; comments, quoting, layout and the rest of the file are kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixtures.policy.lintkit import GOOD, ORDER_SERVICE, liftspec, lint_text, with_overlay

from liftspec.check.fix import fix_document, render
from liftspec.load import load_text

ORDER = ORDER_SERVICE.read_text(encoding="utf-8")

# The same width as the original, so the fix must also put the comments back in their column.
BROKEN = (
    ORDER.replace("  level: info  ", "  level: debug ")
    .replace("detailed: false", "detailed: true ")
    .replace("require_https: true", "require_https: false")
    .replace("x_content_type_options: nosniff", "x_content_type_options: sniff")
)


@pytest.fixture
def service(tmp_path: Path) -> Path:
    folder = tmp_path / "order-service"
    shutil.copytree(ORDER_SERVICE.parent, folder)
    (folder / "lift.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def test_the_broken_copy_differs_in_four_lines() -> None:
    changed = [a for a, b in zip(ORDER.splitlines(), BROKEN.splitlines(), strict=True) if a != b]
    assert len(changed) == 4


def test_fix_restores_the_commented_file_exactly(service: Path) -> None:
    result = liftspec("lint", "lift.yaml", "--fix", cwd=service, real=True)
    assert result.code == 0, result.out
    assert "Fixed 4 findings." in result.out
    assert (service / "lift.yaml").read_text(encoding="utf-8") == ORDER


def test_diff_shows_the_fix_and_writes_nothing(service: Path) -> None:
    result = liftspec("lint", "lift.yaml", "--diff", cwd=service)
    assert result.code == 1
    assert (service / "lift.yaml").read_text(encoding="utf-8") == BROKEN
    minus = [line for line in result.out.splitlines() if line.startswith("-") and not line.startswith("---")]
    plus = [line for line in result.out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    pairs = [(a, b) for a, b in zip(ORDER.splitlines(), BROKEN.splitlines(), strict=True) if a != b]
    assert minus == ["-" + broken for _, broken in pairs]
    assert plus == ["+" + original for original, _ in pairs]
    assert "+  level: info                     # debug | info | warn | error" in plus
    assert result.out.startswith("--- a/lift.yaml\n+++ b/lift.yaml\n")
    assert "Would fix 4 findings." in result.err


def test_fix_then_diff_has_nothing_left(service: Path) -> None:
    liftspec("lint", "lift.yaml", "--fix", cwd=service)
    again = liftspec("lint", "lift.yaml", "--diff", cwd=service)
    assert (again.code, again.out) == (0, "")
    assert "No fixes available." in again.err


def test_fix_keeps_quotes_and_fixes_inside_an_overlay() -> None:
    text = with_overlay(GOOD.replace("level: info", 'level: "debug"'), "prod", "errors: {detailed: yes}")
    result = lint_text(text)
    outcome = fix_document(result.document, result.fixes())  # type: ignore[arg-type]
    assert outcome.new == text.replace('level: "debug"', 'level: "info"').replace("{detailed: yes}", "{detailed: false}")
    assert lint_text(outcome.new).diagnostics == []


def test_a_value_shared_by_two_environments_is_fixed_once() -> None:
    text = with_overlay(GOOD.replace("require_https: true", "require_https: false"), "staging", "tags: {a: b}")
    result = lint_text(text)
    assert sorted((d.id, d.env) for d in result.diagnostics) == [("LS201", "production"), ("LS201", "staging")]
    outcome = fix_document(result.document, result.fixes())  # type: ignore[arg-type]
    assert len(outcome.edits) == 1
    assert outcome.new == text.replace("require_https: false", "require_https: true")


def test_suppressed_findings_are_not_fixed() -> None:
    text = GOOD.replace("level: info", "level: debug  # liftspec: ignore[LS101] incident OPS-1")
    result = lint_text(text)
    assert result.fixes() == []


def test_fix_leaves_unfixable_findings_and_exits_1(tmp_path: Path) -> None:
    text = GOOD.replace("level: info", "level: debug").replace("    concurrency: {reserved: 50}\n", "")
    (tmp_path / "lift.yaml").write_text(text, encoding="utf-8")
    result = liftspec("lint", "lift.yaml", "--fix", cwd=tmp_path)
    assert result.code == 1
    assert "LS401" in result.out and "LS101" not in result.out
    assert (tmp_path / "lift.yaml").read_text(encoding="utf-8") == text.replace("level: debug", "level: info")


def test_fix_keeps_the_file_mode_and_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "lift.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace("level: info", "level: debug").encode())
    path.chmod(0o640)
    assert liftspec("lint", "lift.yaml", "--fix", cwd=tmp_path).code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + GOOD.encode()
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["lift.yaml"]


@pytest.mark.parametrize(
    ("value", "original", "expected"),
    [
        ("info", "debug", "info"),
        ("info", '"debug"', '"info"'),
        ("info", "'debug'", "'info'"),
        (True, "false", "true"),
        (False, "yes", "false"),
        ("strict-origin-when-cross-origin", "unsafe-url", "strict-origin-when-cross-origin"),
        ("no", "x", '"no"'),
    ],
)
def test_render_keeps_the_quoting_style(value: bool | str, original: str, expected: str) -> None:
    assert render(value, original) == expected


def test_a_fix_that_would_not_read_back_is_refused() -> None:
    from liftspec.check.fix import Edit, FixError, fixed_text

    document = load_text(GOOD)
    start = GOOD.index("info")
    with pytest.raises(FixError):
        fixed_text(document, [Edit(start, start + 4, "info\nlevel: x", ("logging", "level"), "info")])
