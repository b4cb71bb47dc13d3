"""Every YAML and shell snippet of README.md and docs/*.md runs as documented.

A fence is handled by its language and by an optional marker, an HTML comment on a line before it:

- ```yaml, no marker: a complete lift.yaml that lints clean (exit 0, no output);
- `<!-- snippet: file PATH -->` (any language): written to PATH in the document's workspace, for
  the commands after it;
- `<!-- snippet: partial -->`: a fragment; it must be valid YAML;
- `<!-- snippet: example (...) -->`: a rule's example of a problem (docs/rules.md); not run;
- `<!-- snippet: pre-commit-local -->` / `pre-commit-remote`: run by tests/test_precommit.py;
- `<!-- snippet: sam -->` ```sh: needs the SAM CLI, run by tests/test_sam_cli.py;
- `<!-- snippet: skip (reason) -->`: not run, for the reason given;
- ```console: each `$ command` runs in the workspace and its output (stdout and stderr) must be the
  lines that follow it, byte for byte;
- ```sh, no marker: run with bash -e in the workspace; it must succeed.

Each document gets one workspace, in order: a temporary folder holding a copy of `examples/` and, at its
top, the order-service example's lift.yaml and src/ (what `liftspec init` users have).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from paths import EXAMPLES, ROOT
from ruamel.yaml import YAML

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(r"^<!-- snippet: ([a-z-]+)(?: (.*?))? -->$")
RUN = {"yaml", "console", "sh"}


@dataclass
class Snippet:
    doc: Path
    line: int
    lang: str
    marker: str
    argument: str
    body: str

    def __str__(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


def snippets(doc: Path) -> list[Snippet]:
    out: list[Snippet] = []
    marker, argument = "", ""
    lines = doc.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        found = MARKER.match(line)
        if found:
            marker, argument = found.group(1), found.group(2) or ""
        elif line.startswith("```"):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            out.append(Snippet(doc, i + 1, line[3:].strip(), marker, argument, "".join(f"{x}\n" for x in lines[i + 1 : end])))
            marker, argument = "", ""
            i = end
        i += 1
    return out


def by_marker(marker: str) -> list[Snippet]:
    return [s for doc in DOCS for s in snippets(doc) if s.marker == marker]


def workspace(tmp: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp / "examples", ignore=shutil.ignore_patterns("build", ".aws-sam", "__pycache__"))
    shutil.copy(EXAMPLES / "order-service" / "lift.yaml", tmp / "lift.yaml")
    shutil.copytree(EXAMPLES / "order-service" / "src", tmp / "src", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp


def shell_env() -> dict[str, str]:
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    return {**os.environ, "PATH": path, "NO_COLOR": "1", "PYTHONPATH": ""}


def run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=shell_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )


def console(snippet: Snippet) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block."""
    pairs: list[tuple[str, str]] = []
    for line in snippet.body.splitlines(keepends=True):
        if line.startswith("$ "):
            pairs.append((line[2:].rstrip("\n"), ""))
        else:
            assert pairs, f"{snippet}: a console block starts with a `$ ` command"
            pairs[-1] = (pairs[-1][0], pairs[-1][1] + line)
    return pairs


def check(snippet: Snippet, work: Path) -> None:
    if snippet.marker == "file":
        target = work / snippet.argument
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(snippet.body, encoding="utf-8")
        return
    if snippet.marker in ("skip", "example", "sam") or snippet.lang not in RUN:
        assert snippet.marker != "skip" or snippet.argument.startswith("("), f"{snippet}: say why it is skipped"
        return
    if snippet.lang == "yaml":
        data = YAML(typ="safe", pure=True).load(snippet.body)
        if snippet.marker in ("partial", "pre-commit-local", "pre-commit-remote"):
            assert data is not None, f"{snippet}: empty"
        else:
            assert snippet.marker == "", f"{snippet}: unknown marker {snippet.marker}"
            alone = work / f"snippet-{snippet.line}"
            alone.mkdir()
            (alone / "lift.yaml").write_text(snippet.body, encoding="utf-8")
            result = run("liftspec lint lift.yaml", alone)
            assert (result.returncode, result.stdout) == (0, ""), f"{snippet}: not lint clean\n{result.stdout}"
    elif snippet.lang == "console":
        for command, expected in console(snippet):
            result = run(command, work)
            assert result.stdout == expected, f"{snippet}: `{command}` printed\n{result.stdout}"
    else:
        assert snippet.marker == "", f"{snippet}: unknown marker {snippet.marker}"
        result = run(snippet.body, work)
        assert result.returncode == 0, f"{snippet}: failed\n{result.stdout}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_snippet_runs_as_documented(doc: Path, tmp_path: Path) -> None:
    work = workspace(tmp_path)
    for snippet in snippets(doc):
        check(snippet, work)


def test_the_documents_have_snippets_of_each_kind() -> None:
    found = {(s.lang, s.marker) for doc in DOCS for s in snippets(doc)}
    assert {("yaml", ""), ("yaml", "file"), ("console", ""), ("sh", ""), ("yaml", "pre-commit-local")} <= found
    assert ("yaml", "pre-commit-remote") in found and ("sh", "sam") in found


def test_markers_are_known() -> None:
    known = {"", "file", "partial", "example", "pre-commit-local", "pre-commit-remote", "sam", "skip"}
    for doc in DOCS:
        for snippet in snippets(doc):
            assert snippet.marker in known, f"{snippet}: unknown marker {snippet.marker}"
