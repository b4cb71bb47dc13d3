"""The Go runtime package (liftspec/data/go/liftruntime): go vet and its own Go tests, standard library only, in the wheel."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

from gotools import GO_SOURCES, ROOT, go


def test_go_vet_and_go_test_pass() -> None:
    go("vet", "./...", cwd=GO_SOURCES)
    done = go("test", "-count=1", "-v", "./...", cwd=GO_SOURCES)
    passed = set(re.findall(r"--- PASS: (\w+)", done.stdout))
    assert {"TestPlainHTTPIsRefusedInEveryHeaderForm", "TestDeadlineAnswers504", "TestSQSReportsTheFailedRecords"} <= passed
    assert "--- FAIL" not in done.stdout


def test_the_runtime_imports_the_standard_library_only() -> None:
    imports: set[str] = set()
    for source in (GO_SOURCES / "liftruntime").glob("*.go"):
        text = source.read_text(encoding="utf-8")
        block = re.search(r"^import \(\n(.*?)^\)", text, re.S | re.M)
        imports.update(re.findall(r'"([^"]+)"', block.group(1) if block else ""))
        imports.update(re.findall(r'^import "([^"]+)"', text, re.M))
    assert imports and all("." not in path.split("/")[0] for path in imports), sorted(imports)
    assert (GO_SOURCES / "go.mod").read_text(encoding="utf-8") == "module liftspec.local/lift\n\ngo 1.19\n"


def test_every_go_file_is_package_data_of_the_wheel() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"][
        "liftspec"
    ]
    files = [p.relative_to(ROOT / "liftspec").as_posix() for p in GO_SOURCES.rglob("*") if p.is_file()]
    assert any(f.endswith(".go") for f in files)
    unshipped = [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert unshipped == []


def test_go_sources_are_gofmt_clean() -> None:
    from gotools import gofmt_unformatted

    assert gofmt_unformatted(GO_SOURCES) == []
    assert Path(GO_SOURCES / "liftruntime" / "runtime.go").is_file()
