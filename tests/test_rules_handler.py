"""LS311: lint finds a handler whose module or function is not in the code folder, by parsing, never importing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.policy.lintkit import TODAY, liftspec

from liftspec.api import lint
from liftspec.check.options import LintOptions
from liftspec.diagnostics import Severity

LIFT = """\
liftspec: 1
service: svc
runtime: {{code: {code}, lambda: {runtime}}}
functions:
  job:
    handler: {handler}
    schedule: rate(1 day)
environments:
  staging: {{}}
"""


def _lint(
    tmp_path: Path, handler: str, files: dict[str, str], *, code: str = "src/", runtime: str = "python3.12"
) -> list[tuple[object, ...]]:
    (tmp_path / "lift.yaml").write_text(LIFT.format(handler=handler, code=code, runtime=runtime), encoding="utf-8")
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = lint(str(tmp_path / "lift.yaml"), options=LintOptions(today=TODAY))
    return [(d.env, d.severity, d.line, d.col, d.message, d.hint) for d in result.diagnostics if d.id == "LS311"]


HANDLER = "def handler(event, context):\n    return event\n"


def test_a_misspelt_function_is_an_error_in_production_at_the_handler_with_did_you_mean(tmp_path: Path) -> None:
    found = _lint(tmp_path, "app.handlr", {"src/app.py": HANDLER})
    message, hint = "handler app.handlr: src/app.py defines no handlr", "did you mean app.handler?"
    assert found == [
        ("production", Severity.ERROR, 6, 14, message, hint),
        ("staging", Severity.WARNING, 6, 14, message, hint),
    ]


def test_a_missing_module_suggests_the_closest_one(tmp_path: Path) -> None:
    found = _lint(tmp_path, "ap.handler", {"src/app.py": HANDLER})
    assert found[0][2:] == (6, 14, "handler ap.handler: no module ap in src", "did you mean app.handler?")
    found = _lint(tmp_path, "zzz.handler", {"src/app.py": HANDLER})
    assert found[0][4:] == (
        "handler zzz.handler: no module zzz in src",
        "add zzz.py to src, or fix the handler (module.function)",
    )
    assert _lint(tmp_path, "handler", {})[0][4] == "handler handler: not module.function"


@pytest.mark.parametrize(
    ("handler", "files"),
    [
        ("app.handler", {"src/app.py": HANDLER}),
        ("orders.api.handler", {"src/orders/__init__.py": "", "src/orders/api.py": HANDLER}),
        ("orders.handler", {"src/orders/__init__.py": "from .impl import handler\n"}),
        ("app.handler", {"src/app.py": "from wrappers import wrap\nhandler = wrap(print)\n"}),
        (
            "app.handler",
            {"src/app.py": "import os\nif os.environ.get('X'):\n    def handler(e, c): ...\nelse:\n    handler = None\n"},
        ),
        (
            "app.handler",
            {"src/app.py": "try:\n    from fast import handler\nexcept ImportError:\n    from slow import handler\n"},
        ),
        ("app.Handler", {"src/app.py": "class Handler:\n    pass\n"}),
        # What a parser cannot see through is given the benefit of the doubt.
        ("app.handler", {"src/app.py": "from impl import *\n"}),
        ("app.handler", {"src/app.py": "def __getattr__(name):\n    return print\n"}),
        ("app.handler", {"src/app.py": "globals()['handler'] = print\n"}),
        ("app.handler", {"src/app.py": "def handler(:\n"}),  # a syntax this Python may not know
        ("app.handler", {"src/app.cpython-312-x86_64-linux-gnu.so": "binary"}),
        ("app.handler", {"src/app.py": "x = 1\n" + "#" * (1024 * 1024)}),  # over 1 MB: not read
    ],
)
def test_defined_or_undecidable_handlers_pass(tmp_path: Path, handler: str, files: dict[str, str]) -> None:
    assert _lint(tmp_path, handler, files) == []


def test_no_code_folder_or_not_python_is_not_checked(tmp_path: Path) -> None:
    assert _lint(tmp_path, "app.handler", {}) == []  # no src/: compile reports LS718
    assert _lint(tmp_path, "bootstrap", {"src/main.go": "package main\n"}, runtime="provided.al2023") == []


def test_the_module_is_parsed_not_imported(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    code = f"open({str(marker)!r}, 'w').close()\ndef handler(e, c): ...\n"
    assert _lint(tmp_path, "app.handlr", {"src/app.py": code})[0][5] == "did you mean app.handler?"
    assert not marker.exists()


def test_a_module_outside_the_project_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "app.py").write_text("x = 1\n", encoding="utf-8")
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    os.symlink(outside / "app.py", project / "src" / "app.py")
    assert _lint(project, "app.handler", {}) == []
    assert _lint(project, "app.handler", {}, code="../outside/") == []
    os.mkfifo(project / "src" / "fifo.py")  # not a regular file: never opened (it would block)
    assert _lint(project, "fifo.handler", {}) == []


def test_an_edited_module_is_read_again(tmp_path: Path) -> None:
    assert _lint(tmp_path, "app.handler", {"src/app.py": "def other(e, c): ...\n"})
    assert _lint(tmp_path, "app.handler", {"src/app.py": "def other(e, c): ...\n\n\ndef handler(e, c): ...\n"}) == []


def test_each_module_is_parsed_once_for_every_environment(tmp_path: Path) -> None:
    from liftspec.check.rules.handler import _names_in

    before = _names_in.cache_info()
    unique = f"def handler(event, context):\n    return {id(before)}\n"  # bytes no earlier test parsed
    assert len(_lint(tmp_path, "app.handlr", {"src/app.py": unique})) == 2  # production and staging
    after = _names_in.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


def test_the_cli_reports_it_at_the_handler(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(HANDLER, encoding="utf-8")
    (tmp_path / "lift.yaml").write_text(LIFT.format(handler="app.handlr", code="src/", runtime="python3.12"), encoding="utf-8")
    result = liftspec("lint", "lift.yaml", "--env", "production", cwd=tmp_path)
    assert result.code == 1
    assert (
        "lift.yaml:6:14: LS311 handler app.handlr: src/app.py defines no handlr [production]\n"
        "  hint: did you mean app.handler?\n" in result.out
    )
